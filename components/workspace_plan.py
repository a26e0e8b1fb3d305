"""Plan once, then declare: `plan_workspace` checks a MachineLearningWorkspace's args (every rule, every lookup of
an existing resource, the deployed workspace's immutable settings) and returns a frozen `WorkspacePlan`, which
the `declare_*` functions read piece by piece.

A plan has two layers. `WorkspaceChecks` is what checking learned: the answers of the lookups, nothing that
is an Output. The rest is shaped from the args without any check (`shape_plan`). A program that checks every
workspace before declaring any (the stack program) plans with stand-ins for what does not exist yet (resource
groups, shared resources) and later `wired` swaps in the real Inputs: the same checks, this run's Inputs.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, cast

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules.naming import KEY_VAULT, ML_WORKSPACE, NAME_SUFFIX_PATTERN, hyphenated_name, suffixed_name

from ._common import ComponentInputError, check_arm_id, check_name, check_tags, default_seed, inherited, unlocked
from .access import WorkspaceAccessSettings, validate_access
from .compute import ComputeClusterSettings, ComputeInstanceSettings, validate_compute_settings
from .compute_features import ServerlessComputeSettings, validate_serverless_compute
from .connections import ConnectionsPlan, plan_connections
from .datastore import PlannedDatastore, validate_datastores
from .diagnostics import PlannedSetting, plan_diagnostic_settings
from .encryption import EncryptionPlan, KeyIdentity, check_encryption, plan_encryption
from .environment import EnvironmentSettings, validate_environments, validate_image_build_compute
from .identity import (
    USER_ASSIGNED_IDENTITY_TYPE,
    IdentityPlan,
    plan_identity,
    primary_identity_principal,
    validate_identity_type,
    validate_workspace_identity,
)
from .image_builds import image_builds_setting, validate_image_builds
from .key_vault import VaultFacts, VaultPlan, WorkspaceKeyVaultArgs, plan_key_vault, vault_of
from .kinds import KindPlan, check_kind, plan_kind, workspace_kind
from .locks import LockArgs, check_lock
from .lookups import Lookups, probe
from .monitoring import WorkspaceMonitoringArgs, has_log_analytics, validate_monitoring_args
from .role_assignments import (
    RoleAssignmentsPlan,
    check_no_duplicate_grants,
    check_role_assignments,
    plan_all_role_assignments,
)
from .outbound import NetworkPlan, check_endpoints_and_rules, check_network_modes, isolation_mode, plan_network
from .registry import RegistryPlan, WorkspaceContainerRegistryArgs, plan_registry
from .storage import StoragePlan, WorkspaceStorageArgs, plan_storage
from .system_datastores import system_datastores_auth_mode

COMPONENT = "MachineLearningWorkspace"


def _section(args: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A child's args inherit the resource group, region, tags and protection of the workspace. Its
    `role_assignments` are the workspace's to declare (`declare_role_assignments`), not the child's."""
    section = args.get(key)
    if isinstance(section, dict) and "role_assignments" in section:
        section = {k: v for k, v in section.items() if k != "role_assignments"}
    return inherited(section, args, protect=args.get("protect_data", False), tags=args.get("tags") or {})


def storage_args(args: Mapping[str, Any]) -> WorkspaceStorageArgs:
    return cast(WorkspaceStorageArgs, _section(args, "storage"))


def key_vault_args(args: Mapping[str, Any]) -> WorkspaceKeyVaultArgs:
    return cast(WorkspaceKeyVaultArgs, _section(args, "key_vault"))


def monitoring_args(args: Mapping[str, Any]) -> WorkspaceMonitoringArgs:
    return cast(WorkspaceMonitoringArgs, unlocked(_section(args, "monitoring")))  # it takes no lock


def registry_args(args: Mapping[str, Any]) -> WorkspaceContainerRegistryArgs:
    return cast(WorkspaceContainerRegistryArgs, _section(args, "container_registry"))


@dataclass(frozen=True, slots=True)
class WorkspaceChecks:
    """What checking the args learned (the answers of the lookups): never an Output, so a plan made with
    stand-ins holds for the real Inputs."""

    storage: StoragePlan | None
    """None for a Project, which uses its hub's (and so for the key vault)."""
    key_vault: VaultPlan | None
    registry: RegistryPlan | None
    primary_principal: str | None
    datastores: tuple[PlannedDatastore, ...]
    connections: ConnectionsPlan
    """Checked connections; their keys are the args' (`with_secrets`), never a stand-in's."""
    settings: frozenset[str]
    """The top-level settings that were checked (a plan is wired only to args with the same ones)."""
    key_identity: KeyIdentity | None = None
    """The existing identity that unwraps the customer-managed key, as looked up."""
    auth_mode: str | None = None
    """`systemDatastoresAuthMode` (None for a Project, which has no storage of its own), decided against what is
    known of the storage's shared-key setting."""


@dataclass(frozen=True, slots=True)
class WorkspaceNames:
    name: str
    """The component's name; children's logical names derive from it."""
    workspace_name: str
    given_workspace_name: str | None
    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str] | None
    tags: dict[str, str]
    protect: bool


@dataclass(frozen=True, slots=True)
class StorageSection:
    args: WorkspaceStorageArgs
    plan: StoragePlan
    auth_mode: str
    """`systemDatastoresAuthMode` as sent (`system_datastores.system_datastores_auth_mode`)."""


@dataclass(frozen=True, slots=True)
class VaultSection:
    args: WorkspaceKeyVaultArgs
    plan: VaultPlan
    facts: VaultFacts


@dataclass(frozen=True, slots=True)
class RegistrySection:
    args: WorkspaceContainerRegistryArgs
    plan: RegistryPlan


@dataclass(frozen=True, slots=True)
class ComputePlan:
    instances: tuple[ComputeInstanceSettings, ...]
    clusters: tuple[ComputeClusterSettings, ...]
    serverless: ServerlessComputeSettings | None = None
    """The workspace's `serverlessComputeSettings` (None: not sent)."""


@dataclass(frozen=True, slots=True)
class AccessPlan:
    settings: WorkspaceAccessSettings | None
    data_scientist_role_name: str | None
    """The custom data-scientist role without image builds (None: the built-in role)."""


@dataclass(frozen=True, slots=True)
class EnvironmentPlan:
    environments: tuple[EnvironmentSettings, ...]
    image_build_compute: str | None
    base_dir: Path


@dataclass(frozen=True, slots=True)
class LockPlan:
    data: LockArgs | None
    """AVM `lock` on the data resources (storage, key vault, registry, datastore accounts)."""
    workspace: LockArgs | None
    """The lock on the workspace itself: none with a managed network (`workspace_lock`)."""


@dataclass(frozen=True, slots=True)
class WorkspacePlan:
    names: WorkspaceNames
    kind: KindPlan
    identity: IdentityPlan
    storage: StorageSection | None
    """None for a Project: a project has no storage, key vault, monitoring or registry of its own (kinds.py)."""
    key_vault: VaultSection | None
    monitoring: WorkspaceMonitoringArgs | None
    registry: RegistrySection | None
    network: NetworkPlan
    encryption: EncryptionPlan | None
    compute: ComputePlan
    access: AccessPlan
    datastores: tuple[PlannedDatastore, ...]
    connections: ConnectionsPlan
    environments: EnvironmentPlan
    lock: LockPlan
    diagnostics: bool
    """The default setting to the Log Analytics workspace, on the workspace (without `diagnostic_settings`) and on the
    storage, vault and registry it creates."""
    diagnostic_settings: tuple[PlannedSetting, ...]
    """The workspace's own AVM `diagnosticSettings` (empty: the default setting, if `diagnostics`)."""
    friendly_name: str | None
    description: str | None
    hbi_workspace: bool
    role_assignments: RoleAssignmentsPlan
    """AVM `roleAssignments` per resource (the workspace and each associated resource it creates)."""
    checks: WorkspaceChecks = field(repr=False)

    def wired(self, name: str, args: Mapping[str, Any]) -> "WorkspacePlan":
        """This plan's checks with `args`' Inputs: `args` are the args it was planned from with stand-ins
        swapped for the real Outputs (a resource group's name, a shared resource's ID). No check runs again."""
        args = with_name_suffix(name, args)
        if name != self.names.name or frozenset(args) != self.checks.settings:
            raise ComponentInputError(
                COMPONENT,
                "plan",
                f"plan_workspace({self.names.name!r}, <{len(self.checks.settings)} settings>)",
                f"was made for other args than {name!r}'s: pass the plan of the same name and settings",
            )
        return shape_plan(name, args, self.checks)


def workspace_lock(args: Mapping[str, Any]) -> LockArgs | None:
    """The AVM `lock` for the workspace itself: none when the workspace has a managed network.

    how-to-managed-network, "Limitations": "Make sure there are no scope locks on the Azure Machine Learning
    resources and resource group. Internal operations related to managed virtual network might be blocked."
    (MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md, commit d675e2ff). The data
    resources (storage, key vault, registry, datastore accounts) keep their own locks: they are not Azure
    Machine Learning resources, and each lock is scoped to its resource, not to the resource group.
    """
    lock = args.get("lock")
    if lock and lock.get("kind") != "None" and isolation_mode(args) != "Disabled":
        return None
    return lock


def refuse_immutable_changes(
    args: Mapping[str, Any], resource_group_name: str, workspace_name: str, lookups: Lookups | None = None
) -> None:
    """Refuse a change to what Azure sets only at creation (HBI, customer-managed key).

    The deployed workspace is read (`getWorkspace`) and compared with the request. Changing either
    would need a new workspace, and replacing one loses its runs, models and data; so instead of a
    silent replacement the change is refused, naming the setting. A workspace that does not exist
    yet (Azure answers "not found") has nothing to compare.
    """
    current = probe(
        f"workspace|{resource_group_name}|{workspace_name}",
        lambda: ml.get_workspace(resource_group_name=resource_group_name, workspace_name=workspace_name),
        lookups,
    )
    if current is None:
        return
    deployed_hbi = bool(current.hbi_workspace)
    wanted_hbi = bool(args.get("hbi_workspace", False))
    if deployed_hbi != wanted_hbi:
        raise ComponentInputError(
            COMPONENT,
            "hbi_workspace",
            wanted_hbi,
            f"the deployed workspace {workspace_name} has hbiWorkspace={deployed_hbi}; Azure sets it only at "
            "creation. Changing it would replace the workspace and lose its data: keep the deployed value, or "
            "create a new workspace",
        )
    encryption = current.encryption
    deployed_cmk = encryption is not None and str(encryption.status).lower() == "enabled"
    wanted_cmk = "customer_managed_key" in args
    if deployed_cmk != wanted_cmk:
        raise ComponentInputError(
            COMPONENT,
            "customer_managed_key",
            args.get("customer_managed_key"),
            f"the deployed workspace {workspace_name} {'uses' if deployed_cmk else 'does not use'} a customer-managed "
            "key; Azure sets encryption only at creation. Changing it would replace the workspace and lose its data: "
            "keep the deployed setting, or create a new workspace",
        )


def check_workspace(args: Mapping[str, Any], lookups: Lookups | None = None) -> WorkspaceChecks:
    """Everything the component would refuse, before anything is declared; each section checked once."""
    lookups = lookups or Lookups()
    check_kind(args)
    project = workspace_kind(args) == "Project"
    check_lock(COMPONENT, "lock", args.get("lock"))
    validate_identity_type(args)
    check_network_modes(args)
    check_name(COMPONENT, "workspace_name", ML_WORKSPACE, args.get("workspace_name"))
    check_tags(COMPONENT, "tags", args.get("tags"))
    role_assignments = check_role_assignments(COMPONENT, args)
    for i, identity_id in enumerate(args.get("user_assigned_identity_ids") or []):
        check_arm_id(COMPONENT, f"user_assigned_identity_ids[{i}]", identity_id, USER_ASSIGNED_IDENTITY_TYPE)
    primary = args.get("primary_user_assigned_identity")
    check_arm_id(COMPONENT, "primary_user_assigned_identity", primary, USER_ASSIGNED_IDENTITY_TYPE)
    storage = vault = None
    key_identity = None
    if not project:  # a Project uses its hub's associated resources (check_kind refused its own)
        storage = plan_storage(storage_args(args), COMPONENT, lookups)
        vault_section = key_vault_args(args)
        vault = plan_key_vault(vault_section, COMPONENT, lookups)
        validate_monitoring_args(monitoring_args(args), COMPONENT, lookups)
        key_identity = check_encryption(args, vault_of(vault_section, vault), lookups)
    registry = plan_registry(registry_args(args), COMPONENT, lookups) if "container_registry" in args else None
    validate_compute_settings(COMPONENT, args.get("compute_instances", []), args.get("compute_clusters", []))
    validate_serverless_compute(COMPONENT, "serverless_compute", args.get("serverless_compute"))
    validate_access(COMPONENT, args.get("access"))
    validate_workspace_identity(args)
    principal = primary_identity_principal(args, lookups)
    has_registry = registry is not None
    validate_image_builds(
        COMPONENT,
        image_builds_setting(args.get("image_builds"), has_registry),
        has_registry,
        "container_registry: created, shared or existing_id",
    )
    if args.get("diagnostics") is True and not has_log_analytics(args.get("monitoring")):
        raise ComponentInputError(
            COMPONENT,
            "diagnostics",
            True,
            "needs a Log Analytics workspace: set monitoring.existing_log_analytics_workspace_id",
        )
    if "diagnostic_settings" in args:
        plan_diagnostic_settings(COMPONENT, "diagnostic_settings", args["diagnostic_settings"])
    check_endpoints_and_rules(args)
    check_no_duplicate_grants(
        COMPONENT, args, role_assignments, principal, key_identity.principal_id if key_identity else None
    )
    datastores = validate_datastores(COMPONENT, args.get("datastores", []), lookups)
    connections = plan_connections(COMPONENT, args.get("connections"))
    environments = args.get("environments", [])
    private_registry = registry is not None and registry.facts(registry_args(args))[1] == "Disabled"
    validate_environments(COMPONENT, environments, has_registry, Path.cwd(), private_registry)
    computes = [c["name"] for c in [*args.get("compute_clusters", []), *args.get("compute_instances", [])]]
    validate_image_build_compute(COMPONENT, args.get("image_build_compute"), computes, environments, private_registry)
    rg, ws_name = args.get("resource_group_name"), args.get("workspace_name")
    if isinstance(rg, str) and isinstance(ws_name, str):
        refuse_immutable_changes(args, rg, ws_name, lookups)
    return WorkspaceChecks(
        storage,
        vault,
        registry,
        principal,
        tuple(datastores),
        connections,
        frozenset(args),
        key_identity,
        _auth_mode(args, storage),
    )


def _auth_mode(args: Mapping[str, Any], storage: StoragePlan | None) -> str | None:
    """`systemDatastoresAuthMode` against the storage's shared-key setting: a created account's
    `allow_shared_key_access` (default false), or what the lookup of an existing one found (null reads as true);
    unknown for an account known only later. None for a Project (its hub's storage)."""
    if storage is None:
        return None
    given = args.get("storage") or {}
    if not given.get("existing_id"):
        return system_datastores_auth_mode(
            args.get("system_datastores_auth_mode"), given.get("allow_shared_key_access", False), created=True
        )
    found = storage.looked_up
    shared_key = None if found is None else found.allow_shared_key_access is not False
    return system_datastores_auth_mode(args.get("system_datastores_auth_mode"), shared_key, created=False)


def shape_plan(name: str, args: Mapping[str, Any], checks: WorkspaceChecks) -> WorkspacePlan:
    """The plan of checked args: no check, no lookup (`checks` holds their answers)."""
    given_name = args.get("workspace_name")
    names = WorkspaceNames(
        name=name,
        workspace_name=given_name or hyphenated_name(ML_WORKSPACE, "mlw", [name]),
        given_workspace_name=given_name,
        resource_group_name=args["resource_group_name"],
        location=args.get("location"),
        tags=args.get("tags") or {},
        protect=args.get("protect_data", False),
    )
    kind = plan_kind(args)
    storage = storage_args(args)
    vault = key_vault_args(args)
    own = checks.storage is not None and checks.key_vault is not None  # a Project has none of its own
    registry = (
        RegistrySection(registry_args(args), checks.registry)
        if checks.registry is not None and "container_registry" in args
        else None
    )
    access = args.get("access")
    scientist_role = None
    if (
        access
        and access.get("data_scientists")
        and image_builds_setting(args.get("image_builds"), registry is not None) == "Disabled"
    ):
        scientist_role = f"amlws {given_name or name} data scientist (no image builds)"
    return WorkspacePlan(
        names=names,
        kind=kind,
        identity=plan_identity(args, checks.primary_principal),
        storage=StorageSection(storage, checks.storage, checks.auth_mode) if checks.storage is not None else None,
        key_vault=(
            VaultSection(vault, checks.key_vault, vault_of(vault, checks.key_vault))
            if checks.key_vault is not None
            else None
        ),
        monitoring=monitoring_args(args) if own else None,
        registry=registry,
        network=plan_network(args),
        encryption=(
            plan_encryption(args, vault_of(vault, checks.key_vault), checks.key_identity)
            if checks.key_vault is not None
            else None
        ),
        compute=ComputePlan(
            tuple(args.get("compute_instances", [])),
            tuple(args.get("compute_clusters", [])),
            args.get("serverless_compute"),
        ),
        access=AccessPlan(access or None, scientist_role),
        datastores=checks.datastores,
        connections=checks.connections.with_secrets(args.get("connections")),
        environments=EnvironmentPlan(tuple(args.get("environments", [])), args.get("image_build_compute"), Path.cwd()),
        lock=LockPlan(args.get("lock"), workspace_lock(args)),
        diagnostics=bool(args.get("diagnostics", True))
        and (has_log_analytics(args.get("monitoring")) if own else "diagnostics_workspace_id" in args),
        diagnostic_settings=(
            plan_diagnostic_settings(COMPONENT, "diagnostic_settings", args["diagnostic_settings"])
            if "diagnostic_settings" in args
            else ()
        ),
        friendly_name=args.get("friendly_name"),
        description=args.get("description"),
        hbi_workspace=args.get("hbi_workspace", False),
        role_assignments=plan_all_role_assignments(COMPONENT, args),
        checks=checks,
    )


def with_name_suffix(name: str, args: Mapping[str, Any]) -> Mapping[str, Any]:
    """`name_suffix` in the names the component picks for what a deletion blocks (docs/soft-delete.md): the
    workspace's (`mlw-<name>-<suffix>`) and a created key vault's; a name the user gives is kept. Without it,
    `args` as they are."""
    suffix = args.get("name_suffix")
    if suffix is None:
        return args
    if not isinstance(suffix, str) or not re.match(NAME_SUFFIX_PATTERN, suffix):
        raise ComponentInputError(
            COMPONENT, "name_suffix", suffix, f"lowercase letters and digits, {NAME_SUFFIX_PATTERN}"
        )
    named = dict(args)
    if not named.get("workspace_name"):
        named["workspace_name"] = suffixed_name(ML_WORKSPACE, hyphenated_name(ML_WORKSPACE, "mlw", [name]), suffix)
    vault = dict(named.get("key_vault") or {})
    if workspace_kind(args) != "Project" and not vault.get("existing_id") and not vault.get("vault_name"):
        logical = f"{name}-keyvault"  # WorkspaceKeyVault's own default, with the suffix in its parts and hash
        vault["vault_name"] = hyphenated_name(KEY_VAULT, "kv", [logical, suffix], default_seed(logical))
        named["key_vault"] = vault
    return named


def plan_workspace(name: str, args: Mapping[str, Any], lookups: Lookups | None = None) -> WorkspacePlan:
    """Check `args` once (looking up what they bring by ID, answered by `lookups` when the caller shares one
    across workspaces) and return the frozen plan the component declares from."""
    args = with_name_suffix(name, args)
    return shape_plan(name, args, check_workspace(args, lookups))
