"""Plan once, then declare: `plan_workspace` checks a MachineLearningWorkspace's args (every rule, every lookup of
an existing resource, the deployed workspace's immutable settings) and returns a frozen `WorkspacePlan`, which
the `declare_*` functions read piece by piece.

A plan has two layers. `WorkspaceChecks` is what checking learned (`check_workspace`, workspace_checks.py): the
answers of the lookups, nothing that is an Output. The rest is shaped from the args without any check
(`shape_plan`). A program that checks every workspace before declaring any (the stack program) plans with
stand-ins for what does not exist yet (resource groups, shared resources) and later `wired` swaps in the real
Inputs: the same checks, this run's Inputs.

The records are NamedTuples rather than frozen dataclasses: equally immutable, and defined without compiling
generated methods at every import (CONTRIBUTING.md, "How the workspace component is built").
"""

import re
from pathlib import Path
from typing import Any, Mapping, NamedTuple

import pulumi

from amlws_rules.naming import KEY_VAULT, ML_WORKSPACE, NAME_SUFFIX_PATTERN, hyphenated_name, suffixed_name

from ._common import ComponentInputError, default_seed, repr_without
from .access import WorkspaceAccessSettings
from .compute import ComputeClusterSettings, ComputeInstanceSettings
from .compute_features import ServerlessComputeSettings
from .connections import ConnectionsPlan
from .datastore import PlannedDatastore
from .diagnostics import PlannedSetting, plan_diagnostic_settings
from .encryption import EncryptionPlan, plan_encryption
from .environment import EnvironmentSettings
from .identity import IdentityPlan, plan_identity
from .image_builds import image_builds_setting
from .key_vault import VaultFacts, VaultPlan, WorkspaceKeyVaultArgs, vault_of
from .kinds import KindPlan, plan_kind, workspace_kind
from .locks import LockArgs
from .lookups import Lookups
from .monitoring import WorkspaceMonitoringArgs, has_log_analytics
from .role_assignments import RoleAssignmentsPlan, plan_all_role_assignments
from .outbound import NetworkPlan, isolation_mode, plan_network
from .registry import RegistryPlan, WorkspaceContainerRegistryArgs
from .storage import StoragePlan, WorkspaceStorageArgs
from .workspace_checks import (  # noqa: F401 (refuse_immutable_changes: moved, imported from here before)
    COMPONENT,
    WorkspaceChecks,
    check_workspace,
    key_vault_args,
    monitoring_args,
    refuse_immutable_changes,
    registry_args,
    storage_args,
)


class WorkspaceNames(NamedTuple):
    name: str
    """The component's name; children's logical names derive from it."""
    workspace_name: str
    given_workspace_name: str | None
    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str] | None
    tags: dict[str, str]
    protect: bool


class StorageSection(NamedTuple):
    args: WorkspaceStorageArgs
    plan: StoragePlan
    auth_mode: str
    """`systemDatastoresAuthMode` as sent (`system_datastores.system_datastores_auth_mode`)."""


class VaultSection(NamedTuple):
    args: WorkspaceKeyVaultArgs
    plan: VaultPlan
    facts: VaultFacts


class RegistrySection(NamedTuple):
    args: WorkspaceContainerRegistryArgs
    plan: RegistryPlan


class ComputePlan(NamedTuple):
    instances: tuple[ComputeInstanceSettings, ...]
    clusters: tuple[ComputeClusterSettings, ...]
    serverless: ServerlessComputeSettings | None = None
    """The workspace's `serverlessComputeSettings` (None: not sent)."""


class AccessPlan(NamedTuple):
    settings: WorkspaceAccessSettings | None
    data_scientist_role_name: str | None
    """The custom data-scientist role without image builds (None: the built-in role)."""


class EnvironmentPlan(NamedTuple):
    environments: tuple[EnvironmentSettings, ...]
    image_build_compute: str | None
    base_dir: Path


class LockPlan(NamedTuple):
    data: LockArgs | None
    """AVM `lock` on the data resources (storage, key vault, registry, datastore accounts)."""
    workspace: LockArgs | None
    """The lock on the workspace itself: none with a managed network (`workspace_lock`)."""


class WorkspacePlan(NamedTuple):
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
    checks: WorkspaceChecks

    def __repr__(self) -> str:
        return repr_without(self, "checks")

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
        storage=(
            StorageSection(storage, checks.storage, checks.auth_mode)
            if checks.storage is not None and checks.auth_mode is not None  # decided exactly when there is storage
            else None
        ),
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
