"""Validation and planning of the workspace's key vault: its inputs, the lookup of a vault brought by ID, and the
facts a customer-managed key is placed and checked by, before any resource is declared.

Moved out of key_vault.py (which re-imports every name here).
"""

from typing import NamedTuple, NotRequired, TypedDict

import pulumi
from pulumi_azure_native import keyvault

from amlws_rules import cmk_vault_violations, parse_arm_id
from amlws_rules.naming import KEY_VAULT

from . import defaults
from ._common import ComponentInputError, check_name, required
from .role_assignments import RoleAssignmentSettings
from .lookups import Lookups, SectionPlan, check_when_known, lookup_existing, plan_section
from .locks import LockArgs, check_lock

KEY_VAULT_TYPE = "Microsoft.KeyVault/vaults"


class ExistingVaultFacts(TypedDict):
    """What the caller already knows of the vault behind an `existing_id` Output (e.g. it declared the
    vault itself): a customer-managed key is checked against these, with no lookup."""

    enable_purge_protection: bool
    """`enablePurgeProtection` of the vault."""
    enable_soft_delete: bool
    """`enableSoftDelete` of the vault."""
    vault_name: NotRequired[pulumi.Input[str]]
    """Name of the vault (read from the ID when omitted): where a customer-managed key is created."""
    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the vault (read from the ID when omitted)."""


class WorkspaceKeyVaultArgs(TypedDict):
    """Inputs of WorkspaceKeyVault: either `existing_id`, or the settings of a new vault."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the new vault (required unless `existing_id` is set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the new vault."""
    vault_name: NotRequired[str]
    (
        "`vaultName`, unique in all of Azure (3-24 letters, digits, hyphens); by default `kv-<name>-<suffix>`, a stable"
        " hash suffix."
    )
    existing_id: NotRequired[pulumi.Input[str]]
    (
        "Resource ID of an existing vault to use instead of creating one: looked up before anything is declared, or, "
        "for an Output (a StackReference, a shared vault), once its value is known and before the workspace is created;"
        " with `existing_facts` no lookup is made."
    )
    existing_facts: NotRequired[ExistingVaultFacts]
    """Facts of the `existing_id` vault the caller vouches for (it declared the vault): used instead of a lookup."""
    tenant_id: NotRequired[pulumi.Input[str]]
    """Microsoft Entra tenant of the vault; the deploying identity's tenant by default."""
    sku_name: NotRequired[str]
    """`standard` (default) or `premium` (HSM-backed keys)."""
    enable_purge_protection: NotRequired[bool]
    """`enablePurgeProtection`, default true. Azure never accepts false once it is on, so off is sent as unset."""
    soft_delete_retention_in_days: NotRequired[int]
    """`softDeleteRetentionInDays`, 7 to 90, default 90."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Disabled` (default; reached through private endpoints) or `Enabled`."""
    network_default_action: NotRequired[str]
    """`networkAcls.defaultAction`: `Deny` (default) or `Allow`; trusted Azure services are let through."""
    tags: NotRequired[dict[str, str]]
    """Tags for the new vault."""
    protect: NotRequired[bool]
    """Protect the vault from deletion (it holds the workspace's secrets)."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    (
        "Log Analytics workspace that receives the vault's audit logs and metrics (a diagnostic setting); none when "
        "omitted."
    )
    grant_deployer_crypto_officer: NotRequired[bool]
    (
        "Give the deploying identity Key Vault Crypto Officer on the new vault, so keys (a workspace's CMK) can be "
        "created in it through ARM; default false."
    )
    deployer_principal_type: NotRequired[str]
    (
        "`principalType` of the deploying identity for that grant: `ServicePrincipal` (default; CI, managed identities)"
        " or `User`. Azure refuses a type that does not match."
    )
    lock: NotRequired[LockArgs]
    """AVM `lock`: a management lock on the new vault (e.g. `{"kind": "CanNotDelete"}`); none when omitted."""
    role_assignments: NotRequired[list[RoleAssignmentSettings]]
    """AVM `roleAssignments` on the created key vault (not with `existing_id`)."""


class VaultFacts(NamedTuple):
    """What is known of the vault a workspace will use: enough to place and protect a CMK key."""

    id: pulumi.Input[str]
    name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    enable_purge_protection: bool | None
    enable_soft_delete: bool | None
    label: object
    known_later: bool = False
    """An Output ID with no facts: looked up and checked once its value is known (`checked_vault_id`)."""


def _get_vault(name: str, resource_group_name: str) -> VaultFacts:
    result = keyvault.get_vault(vault_name=name, resource_group_name=resource_group_name)
    props = result.properties
    return VaultFacts(
        id=result.id,
        name=result.name or name,
        resource_group_name=resource_group_name,
        enable_purge_protection=props.enable_purge_protection,
        enable_soft_delete=props.enable_soft_delete,
        label=result.id,
    )


def validate_key_vault_args(
    args: WorkspaceKeyVaultArgs, component: str = "WorkspaceKeyVault", lookups: Lookups | None = None
) -> VaultFacts | None:
    """Everything Azure would refuse, before any resource is declared. Returns what is known of an
    existing (looked up) or shared (declared in this program) vault; None for a vault to create."""
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return lookup_existing(component, "key_vault.existing_id", existing, KEY_VAULT_TYPE, _get_vault, lookups)
    if existing is not None and not isinstance(existing, str):
        return _handed_vault(existing, args.get("existing_facts"))
    if "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing_id is set")
    check_lock(component, "key_vault.lock", args.get("lock"))
    check_name(component, "key_vault.vault_name", KEY_VAULT, args.get("vault_name"))
    retention = args.get("soft_delete_retention_in_days", defaults.KEY_VAULT_SOFT_DELETE_RETENTION_IN_DAYS)
    if not 7 <= retention <= 90:
        raise ComponentInputError(
            component, "key_vault.soft_delete_retention_in_days", retention, "Azure accepts 7 to 90 days"
        )
    check_deployer_principal_type(component, "key_vault.deployer_principal_type", args.get("deployer_principal_type"))
    sku = args.get("sku_name", defaults.KEY_VAULT_SKU_NAME)
    if sku not in ("standard", "premium"):
        raise ComponentInputError(component, "key_vault.sku_name", sku, "must be standard or premium")
    return None


def _handed_vault(existing: pulumi.Input[str], facts: ExistingVaultFacts | None) -> VaultFacts:
    """A vault handed on as an Output ID, with the facts its caller vouches for (if any)."""
    given = facts or {}  # else name and group come from the ID in the component (no Output is made while validating)
    return VaultFacts(
        id=existing,
        name=given.get("vault_name", ""),
        resource_group_name=given.get("resource_group_name", ""),
        enable_purge_protection=facts["enable_purge_protection"] if facts else None,
        enable_soft_delete=facts["enable_soft_delete"] if facts else None,
        label="<Output>",
        known_later=facts is None,
    )


VaultPlan = SectionPlan[VaultFacts]
"""The validated key vault section (`plan_key_vault`): what the lookup of a string `existing_id` found."""


def plan_key_vault(
    args: WorkspaceKeyVaultArgs, component: str = "WorkspaceKeyVault", lookups: Lookups | None = None
) -> VaultPlan:
    """Validate the section once (looking up a string `existing_id`); the component declares from the result."""
    return plan_section(validate_key_vault_args, args, component, lookups)


def vault_of(args: WorkspaceKeyVaultArgs, plan: VaultPlan) -> VaultFacts:
    """Facts of the vault a validated section leads to (no lookup, no check: `plan` holds their answers)."""
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing and plan.looked_up is not None:
        return plan.looked_up
    if existing is not None and not isinstance(existing, str):
        return _handed_vault(existing, args.get("existing_facts"))
    return _new_vault(args)


DEPLOYER_PRINCIPAL_TYPES = ("ServicePrincipal", "User")


def check_deployer_principal_type(component: str, setting: str, value: object) -> None:
    """The spec's default principalType is `User`; a service principal given as a user is refused by Azure."""
    if value is not None and value not in DEPLOYER_PRINCIPAL_TYPES:
        raise ComponentInputError(component, setting, value, f"must be one of {', '.join(DEPLOYER_PRINCIPAL_TYPES)}")


def planned_vault(args: WorkspaceKeyVaultArgs, component: str, lookups: Lookups | None = None) -> VaultFacts:
    """Facts of the vault these args lead to (before it exists, for a vault we create)."""
    found = validate_key_vault_args(args, component, lookups)
    if found is not None:
        return found
    return _new_vault(args)


def _new_vault(args: WorkspaceKeyVaultArgs) -> VaultFacts:
    return VaultFacts(
        id="",
        name="",
        resource_group_name=required(args, "resource_group_name", "WorkspaceKeyVault"),
        enable_purge_protection=args.get("enable_purge_protection", True),
        enable_soft_delete=True,
        label="<new vault>",
    )


def vault_facts(found: VaultFacts) -> ExistingVaultFacts | None:
    """The facts to hand on with the vault's ID (None: nothing known yet, each user looks it up)."""
    if found.known_later or found.enable_purge_protection is None:
        return None
    return {
        "enable_purge_protection": bool(found.enable_purge_protection),
        "enable_soft_delete": found.enable_soft_delete is not False,
        "vault_name": found.name,
        "resource_group_name": found.resource_group_name,
    }


def vault_name_and_group(vault_id: pulumi.Output[str]) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    arm = vault_id.apply(lambda i: parse_arm_id(i, KEY_VAULT_TYPE))
    return arm.apply(lambda a: a.name), arm.apply(lambda a: a.group)


def checked_vault_id(value: pulumi.Input[str], component: str, *, for_cmk: bool) -> pulumi.Output[str]:
    """The ID of a vault known only later, resolved once the vault is looked up (and, when it will hold
    a customer-managed key, held to the CMK rules)."""

    def judge(resource_id: str, found: keyvault.GetVaultResult) -> str:
        props = found.properties
        problems = cmk_vault_violations(
            enable_purge_protection=props.enable_purge_protection, enable_soft_delete=props.enable_soft_delete
        )
        if for_cmk and problems:
            raise ComponentInputError(component, "key_vault", resource_id, "; ".join(problems))
        return resource_id

    return check_when_known(
        component,
        "key_vault.existing_id",
        value,
        KEY_VAULT_TYPE,
        lambda name, rg: keyvault.get_vault_output(vault_name=name, resource_group_name=rg),
        judge,
    )
