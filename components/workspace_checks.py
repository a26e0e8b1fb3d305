"""Checking a MachineLearningWorkspace's args, once, before anything is declared: every rule, every lookup of an
existing resource it brings by ID (storage, key vault, registry, identities, datastore accounts) and the deployed
workspace's immutable settings. `check_workspace` returns `WorkspaceChecks`, what checking learned (the answers of
the lookups, never an Output), from which `shape_plan` (workspace_plan.py) makes the frozen plan.

Moved out of workspace_plan.py (which re-imports the names it offered before).
"""

from pathlib import Path
from typing import Any, Mapping, NamedTuple, cast

from pulumi_azure_native import machinelearningservices as ml

from amlws_rules.naming import ML_WORKSPACE

from ._common import ComponentInputError, check_arm_id, check_name, check_tags, inherited, unlocked
from .access import validate_access
from .compute import validate_compute_settings
from .compute_features import validate_serverless_compute
from .connections import ConnectionsPlan, plan_connections
from .datastore import PlannedDatastore, validate_datastores
from .diagnostics import plan_diagnostic_settings
from .encryption import KeyIdentity, check_encryption
from .environment import validate_environments, validate_image_build_compute
from .identity import (
    USER_ASSIGNED_IDENTITY_TYPE,
    primary_identity_principal,
    validate_identity_type,
    validate_workspace_identity,
)
from .image_builds import image_builds_setting, validate_image_builds
from .key_vault import VaultPlan, WorkspaceKeyVaultArgs, plan_key_vault, vault_of
from .kinds import check_kind, workspace_kind
from .locks import check_lock
from .lookups import Lookups, probe
from .monitoring import WorkspaceMonitoringArgs, has_log_analytics, validate_monitoring_args
from .role_assignments import check_no_duplicate_grants, check_role_assignments
from .outbound import check_endpoints_and_rules, check_network_modes
from .registry import RegistryPlan, WorkspaceContainerRegistryArgs, plan_registry
from .storage import StoragePlan, WorkspaceStorageArgs, plan_storage
from .system_datastores import system_datastores_auth_mode

from ._common import WORKSPACE_COMPONENT as COMPONENT


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


class WorkspaceChecks(NamedTuple):
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
