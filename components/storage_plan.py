"""Validation and planning of the workspace's default storage account: its inputs, the lookup of an account
brought by ID, and the documented workspace-storage rules (`amlws_rules.storage`) applied before any resource
is declared.

Moved out of storage.py (which re-imports every name here).
"""

from typing import NamedTuple, NotRequired, TypedDict

import pulumi
from pulumi_azure_native import storage

from amlws_rules import workspace_storage_findings, workspace_storage_violations
from amlws_rules.naming import STORAGE_ACCOUNT

from amlws.declared import as_written

from . import defaults
from ._common import ComponentInputError, check_name, check_tags
from .role_assignments import RoleAssignmentSettings
from .lookups import Lookups, SectionPlan, check_when_known, lookup_existing, plan_section
from .locks import LockArgs, check_lock

STORAGE_ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts"


class ExistingStorageFacts(TypedDict):
    """What the caller already knows of the account behind an `existing_id` Output (e.g. it declared the
    account itself): the account is held to the workspace-storage rules through these, with no lookup."""

    kind: str
    """Account kind (`kind`)."""
    sku_name: str
    """Storage SKU (`sku.name`)."""
    is_hns_enabled: bool
    """Hierarchical namespace (`isHnsEnabled`)."""


class WorkspaceStorageArgs(TypedDict):
    """Inputs of WorkspaceStorage: either `existing_id`, or the settings of a new account."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the new account (required unless `existing_id` is set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the new account; the resource group's by default."""
    account_name: NotRequired[str]
    (
        "`accountName`, unique in all of Azure (3-24 lowercase letters and digits); by default `st<name><suffix>`, a "
        "stable hash suffix."
    )
    existing_id: NotRequired[pulumi.Input[str]]
    (
        "Resource ID of an existing account to use instead of creating one, held to the workspace storage rules: looked"
        " up before anything is declared, or, for an Output (a StackReference, a shared account), once its value is "
        "known and before the workspace is created; with `existing_facts` no lookup is made."
    )
    existing_facts: NotRequired[ExistingStorageFacts]
    (
        "Facts of the `existing_id` account the caller vouches for (it declared the account): checked at once instead "
        "of looked up."
    )
    sku_name: NotRequired[str]
    """Storage SKU (`sku.name`), default `Standard_ZRS`. Premium SKUs are refused for workspace storage."""
    kind: NotRequired[str]
    """Account kind, default `StorageV2`. `BlobStorage`, `FileStorage` and `BlockBlobStorage` are refused."""
    is_hns_enabled: NotRequired[bool]
    """Hierarchical namespace (`isHnsEnabled`); must stay false for workspace storage."""
    allow_shared_key_access: NotRequired[bool]
    """`allowSharedKeyAccess`, default false: the workspace reaches its storage with its identity."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Disabled` (default; reached through private endpoints) or `Enabled`."""
    network_default_action: NotRequired[str]
    """`networkRuleSet.defaultAction`: `Deny` (default) or `Allow`; Azure services are always let through."""
    tags: NotRequired[dict[str, str]]
    """Tags for the new account."""
    protect: NotRequired[bool]
    """Protect the account from deletion (it holds the workspace's data)."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    (
        "Log Analytics workspace that receives the blob and file services' logs and metrics (diagnostic settings); none"
        " when omitted."
    )
    lock: NotRequired[LockArgs]
    """AVM `lock`: a management lock on the new account (e.g. `{"kind": "CanNotDelete"}`); none when omitted."""
    role_assignments: NotRequired[list[RoleAssignmentSettings]]
    """AVM `roleAssignments` on the created storage account (not with `existing_id`)."""


class WorkspaceStorageError(ComponentInputError):
    """The account breaks a documented workspace-storage rule."""


class ExistingStorage(NamedTuple):
    """What the lookup of an existing account (or the component that declared it) told us."""

    id: pulumi.Input[str]
    name: pulumi.Input[str]
    kind: str | None
    sku_name: str | None
    is_hns_enabled: bool | None
    allow_shared_key_access: bool | None = None
    """`allowSharedKeyAccess` as found (None: not known, or null, which Azure reads as true)."""


def _get_account(name: str, resource_group_name: str) -> ExistingStorage:
    result = storage.get_storage_account(account_name=name, resource_group_name=resource_group_name)
    sku = result.sku
    return ExistingStorage(
        id=result.id,
        name=result.name or name,
        kind=result.kind,
        sku_name=sku.name if sku is not None else None,
        is_hns_enabled=result.is_hns_enabled,
        allow_shared_key_access=result.allow_shared_key_access,
    )


def lookup_existing_storage(
    resource_id: str,
    component: str = "WorkspaceStorage",
    setting: str = "storage.existing_id",
    lookups: Lookups | None = None,
) -> ExistingStorage:
    """Look up an existing account (`azure-native:storage:getStorageAccount`) without judging it.

    Synchronous on purpose: it runs before any resource is declared, once per account per
    deployment. A missing account is a ComponentInputError naming the setting.
    """
    found: ExistingStorage = lookup_existing(
        component, setting, resource_id, STORAGE_ACCOUNT_TYPE, _get_account, lookups
    )
    return ExistingStorage(
        id=found.id or resource_id,
        name=found.name,
        kind=found.kind,
        sku_name=found.sku_name,
        is_hns_enabled=found.is_hns_enabled,
        allow_shared_key_access=found.allow_shared_key_access,
    )


def existing_workspace_storage(
    value: pulumi.Input[str],
    component: str = "WorkspaceStorage",
    facts: ExistingStorageFacts | None = None,
    lookups: Lookups | None = None,
) -> ExistingStorage | None:
    """An account the workspace will use, held to the documented workspace-storage rules: a string ID
    is looked up, an Output with `facts` is judged by them. An Output without facts is only known later:
    None, and the component checks it when it is known (`checked_storage_id`)."""
    if isinstance(value, str):
        found = lookup_existing_storage(value, component, lookups=lookups)
        shown: object = value
    else:
        vouched = _vouched_storage(value, facts)
        if vouched is None:
            return None
        found, shown = vouched, "<Output>"
    check_workspace_storage(
        component,
        "storage.existing_id",
        shown,
        kind=found.kind,
        sku_name=found.sku_name,
        is_hns_enabled=found.is_hns_enabled,
        existing=facts is None,  # facts: the caller declares the account (e.g. the stack's shared one)
    )
    return found


def _vouched_storage(value: pulumi.Input[str], facts: ExistingStorageFacts | None) -> ExistingStorage | None:
    """An Output ID with the facts its caller vouches for (None without facts: checked once known)."""
    if facts is None:
        return None
    return ExistingStorage(
        id=value,
        name="",  # the component reads the name from the ID (no Output is made while validating)
        kind=facts["kind"],
        sku_name=facts["sku_name"],
        is_hns_enabled=facts["is_hns_enabled"],
    )


StoragePlan = SectionPlan[ExistingStorage]
"""The validated storage section (`plan_storage`): what the lookup of a string `existing_id` found."""


def plan_storage(
    args: WorkspaceStorageArgs, component: str = "WorkspaceStorage", lookups: Lookups | None = None
) -> StoragePlan:
    """Validate the section once (looking up a string `existing_id`); the component declares from the result."""
    return plan_section(validate_storage_args, args, component, lookups)


def _planned_found(args: WorkspaceStorageArgs, plan: StoragePlan) -> ExistingStorage | None:
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return plan.looked_up
    return _vouched_storage(existing, args.get("existing_facts")) if existing else None


def _account_name(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def checked_storage_id(value: pulumi.Input[str], component: str = "WorkspaceStorage") -> pulumi.Output[str]:
    """The ID of an account known only later, resolved once the account is looked up and held to the rules."""

    def judge(resource_id: str, found: storage.GetStorageAccountResult) -> str:
        sku = found.sku
        check_workspace_storage(
            component,
            "storage.existing_id",
            resource_id,
            kind=found.kind,
            sku_name=sku.name if sku is not None else None,
            is_hns_enabled=found.is_hns_enabled,
        )
        return resource_id

    return check_when_known(
        component,
        "storage.existing_id",
        value,
        STORAGE_ACCOUNT_TYPE,
        lambda name, rg: storage.get_storage_account_output(account_name=name, resource_group_name=rg),
        judge,
    )


def planned_storage(
    args: WorkspaceStorageArgs, component: str = "WorkspaceStorage", lookups: Lookups | None = None
) -> ExistingStorage | None:
    """What is known of the account these args lead to: looked up, vouched for, or the settings of a new
    one; None for an Output ID known only later."""
    found = validate_storage_args(args, component, lookups)
    if args.get("existing_id"):
        return found
    return _new_account(args)


def _new_account(args: WorkspaceStorageArgs) -> ExistingStorage:
    return ExistingStorage(
        id="",
        name="<new account>",
        kind=args.get("kind", defaults.STORAGE_KIND),
        sku_name=args.get("sku_name", defaults.STORAGE_SKU_NAME),
        is_hns_enabled=False,
    )


def storage_facts(found: ExistingStorage | None) -> ExistingStorageFacts | None:
    """The facts to hand on with the account's ID (None: nothing known yet, each user checks it)."""
    if found is None or found.kind is None or found.sku_name is None:
        return None
    return {"kind": found.kind, "sku_name": found.sku_name, "is_hns_enabled": bool(found.is_hns_enabled)}


def check_workspace_storage(
    component: str,
    setting: str,
    value: object,
    *,
    kind: str | None,
    sku_name: str | None,
    is_hns_enabled: bool | None,
    existing: bool = True,
) -> None:
    """Raise quoting every rule the account breaks. Pure: safe to call from every validation pass.
    `existing` False: the account is being created, and the message says so (not "an existing account")."""
    errors = workspace_storage_violations(
        kind=kind, sku_name=sku_name, is_hns_enabled=is_hns_enabled, existing=existing
    )
    if errors:
        problem = " ".join(f"The workspace's storage account: {f.message}" for f in errors)
        raise WorkspaceStorageError(component, setting, value, problem)


def warn_workspace_storage(component: str, setting: str, value: object, *, kind: str | None) -> None:
    """Log the allowed-but-notable findings (a general-purpose v1 account) through the engine, once
    per account: called where the account is used, not in the validation passes."""
    for finding in workspace_storage_findings(kind=kind, sku_name=None, is_hns_enabled=None):
        if not finding.is_error:
            pulumi.log.warn(f"{component}: {as_written(setting)}={value!r}: {finding.message}")


def validate_storage_args(
    args: WorkspaceStorageArgs, component: str = "WorkspaceStorage", lookups: Lookups | None = None
) -> ExistingStorage | None:
    """Everything Azure or the docs would refuse, before any resource is declared.

    Returns what is known of the `existing_id` account (None for an account we create, or for an
    Output ID that is checked once known).
    """
    existing = args.get("existing_id")
    if existing:
        return existing_workspace_storage(existing, component, args.get("existing_facts"), lookups)
    kind = args.get("kind", defaults.STORAGE_KIND)
    sku_name = args.get("sku_name", defaults.STORAGE_SKU_NAME)
    is_hns = args.get("is_hns_enabled", False)
    check_name(component, "storage.account_name", STORAGE_ACCOUNT, args.get("account_name"))
    check_tags(component, "storage.tags", args.get("tags"), storage_account=True)  # the parent's tags and its own
    check_workspace_storage(
        component,
        "storage (kind, sku_name, is_hns_enabled)",
        (kind, sku_name, is_hns),
        kind=kind,
        sku_name=sku_name,
        is_hns_enabled=is_hns,
        existing=False,
    )
    if "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing_id is set")
    check_lock(component, "storage.lock", args.get("lock"))
    return None
