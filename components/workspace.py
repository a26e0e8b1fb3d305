"""An Azure ML workspace together with everything it needs, as one component.

Everything the component will be asked to create or use is validated first (including the lookup of
an existing storage account), so a bad input fails before the component or any child is declared.
"""

from __future__ import annotations

from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from ._common import ComponentInputError, child, merged_tags, token
from .compute import (
    ComputeClusterSettings,
    ComputeInstanceSettings,
    compute_cluster_properties,
    compute_instance_properties,
    validate_compute_settings,
)
from .key_vault import WorkspaceKeyVault, WorkspaceKeyVaultArgs, validate_key_vault_args
from .monitoring import WorkspaceMonitoring, WorkspaceMonitoringArgs, validate_monitoring_args
from .registry import WorkspaceContainerRegistry, WorkspaceContainerRegistryArgs, validate_registry_args
from .storage import WorkspaceStorage, WorkspaceStorageArgs, validate_storage_args

COMPONENT = "MachineLearningWorkspace"
IDENTITY_TYPES = ("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned")
ISOLATION_MODES = ("Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound")


class MachineLearningWorkspaceArgs(TypedDict):
    """Inputs of MachineLearningWorkspace."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the workspace and of every associated resource it creates."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region; the resource group's by default."""
    workspace_name: NotRequired[str]
    """Workspace name (3-33 letters, digits, hyphens, underscores); auto-named when omitted."""
    friendly_name: NotRequired[str]
    """`friendlyName` shown in the studio."""
    description: NotRequired[str]
    """`description` of the workspace."""
    storage: NotRequired[WorkspaceStorageArgs]
    """The workspace's storage account (created by default, or `existing_id`). Premium, BlobStorage and HNS accounts are refused."""
    key_vault: NotRequired[WorkspaceKeyVaultArgs]
    """The workspace's key vault (created by default, or `existing_id`)."""
    monitoring: NotRequired[WorkspaceMonitoringArgs]
    """Log Analytics and workspace-based Application Insights (created by default, or existing IDs)."""
    container_registry: NotRequired[WorkspaceContainerRegistryArgs]
    """A container registry to create (or `existing_id`); omit for a workspace without one."""
    identity_type: NotRequired[str]
    """`identity.type`: `SystemAssigned` (default), `UserAssigned` or `SystemAssigned,UserAssigned`."""
    user_assigned_identity_ids: NotRequired[list[str]]
    """`identity.userAssignedIdentities`: resource IDs of user-assigned identities."""
    primary_user_assigned_identity: NotRequired[str]
    """`primaryUserAssignedIdentity`: the identity the workspace uses to reach its resources."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Enabled` (default) or `Disabled`."""
    managed_network_isolation_mode: NotRequired[str]
    """`managedNetwork.isolationMode`: `Disabled` (default), `AllowInternetOutbound` or `AllowOnlyApprovedOutbound`."""
    hbi_workspace: NotRequired[bool]
    """`hbiWorkspace`: high business impact data; settable only at creation."""
    compute_instances: NotRequired[list[ComputeInstanceSettings]]
    """Compute instances to create in the workspace."""
    compute_clusters: NotRequired[list[ComputeClusterSettings]]
    """Compute clusters to create in the workspace."""
    tags: NotRequired[dict[str, str]]
    """Tags for the workspace and every resource it creates."""
    protect_data: NotRequired[bool]
    """Protect the resources that hold data (workspace, storage, key vault, registry, monitoring) from deletion."""


def _nested(section: Optional[dict], args: MachineLearningWorkspaceArgs, tags: dict[str, str]) -> dict:
    """A child's args inherit the resource group, region, tags and protection of the workspace."""
    merged: dict = {"resource_group_name": args["resource_group_name"], "protect": args.get("protect_data", False)}
    if "location" in args:
        merged["location"] = args["location"]
    merged.update(section or {})
    merged["tags"] = merged_tags(tags, (section or {}).get("tags"))
    return merged


def validate_workspace_args(args: MachineLearningWorkspaceArgs) -> None:
    """Everything this component would refuse, before anything is declared."""
    identity = args.get("identity_type", "SystemAssigned")
    if identity not in IDENTITY_TYPES:
        raise ComponentInputError(COMPONENT, "identity_type", identity, f"must be one of {', '.join(IDENTITY_TYPES)}")
    if "UserAssigned" in identity and not args.get("user_assigned_identity_ids"):
        raise ComponentInputError(COMPONENT, "user_assigned_identity_ids", None, f"required when identity_type is {identity}")
    if identity == "UserAssigned" and not args.get("primary_user_assigned_identity"):
        raise ComponentInputError(COMPONENT, "primary_user_assigned_identity", None, "required when identity_type is UserAssigned")
    access = args.get("public_network_access", "Enabled")
    if access not in ("Enabled", "Disabled"):
        raise ComponentInputError(COMPONENT, "public_network_access", access, "must be Enabled or Disabled")
    isolation = args.get("managed_network_isolation_mode", "Disabled")
    if isolation not in ISOLATION_MODES:
        raise ComponentInputError(COMPONENT, "managed_network_isolation_mode", isolation, f"must be one of {', '.join(ISOLATION_MODES)}")
    tags = args.get("tags") or {}
    validate_storage_args(_nested(args.get("storage"), args, tags), COMPONENT)  # type: ignore[arg-type]
    validate_key_vault_args(_nested(args.get("key_vault"), args, tags), COMPONENT)  # type: ignore[arg-type]
    validate_monitoring_args(_nested(args.get("monitoring"), args, tags), COMPONENT)  # type: ignore[arg-type]
    if "container_registry" in args:
        validate_registry_args(_nested(args.get("container_registry"), args, tags), COMPONENT)  # type: ignore[arg-type]
    validate_compute_settings(COMPONENT, args.get("compute_instances", []), args.get("compute_clusters", []))


class MachineLearningWorkspace(pulumi.ComponentResource):
    """An Azure Machine Learning workspace with its storage, key vault, monitoring, optional registry and computes."""

    workspace_id: pulumi.Output[str]
    """Resource ID of the workspace."""
    workspace_name: pulumi.Output[str]
    """Name of the workspace."""
    principal_id: pulumi.Output[str]
    """Object ID of the workspace's system-assigned identity (empty for user-assigned only)."""
    storage_account_id: pulumi.Output[str]
    """Resource ID of the workspace's storage account."""
    key_vault_id: pulumi.Output[str]
    """Resource ID of the workspace's key vault."""
    application_insights_id: pulumi.Output[str]
    """Resource ID of the workspace's Application Insights."""
    log_analytics_workspace_id: pulumi.Output[Optional[str]]
    """Resource ID of the Log Analytics workspace behind Application Insights."""
    container_registry_id: pulumi.Output[Optional[str]]
    """Resource ID of the workspace's container registry, if it has one."""
    compute_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the computes, by compute name."""

    def __init__(self, name: str, args: MachineLearningWorkspaceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        validate_workspace_args(args)
        super().__init__(token(COMPONENT), name, None, opts)
        tags = args.get("tags") or {}
        protect = args.get("protect_data", False)

        store = WorkspaceStorage(f"{name}-storage", _nested(args.get("storage"), args, tags), child(self))  # type: ignore[arg-type]
        vault = WorkspaceKeyVault(f"{name}-keyvault", _nested(args.get("key_vault"), args, tags), child(self))  # type: ignore[arg-type]
        monitor = WorkspaceMonitoring(f"{name}-monitoring", _nested(args.get("monitoring"), args, tags), child(self))  # type: ignore[arg-type]
        registry = (
            WorkspaceContainerRegistry(f"{name}-registry", _nested(args.get("container_registry"), args, tags), child(self))  # type: ignore[arg-type]
            if "container_registry" in args
            else None
        )
        identity_type = args.get("identity_type", "SystemAssigned")
        storage_args = args.get("storage") or {}
        shared_key = storage_args.get("allow_shared_key_access", False) and not storage_args.get("existing_id")
        workspace = ml.Workspace(
            f"{name}-mlw",
            workspace_name=args.get("workspace_name"),
            resource_group_name=args["resource_group_name"],
            location=args.get("location"),
            friendly_name=args.get("friendly_name"),
            description=args.get("description"),
            sku=ml.SkuArgs(name="Basic", tier="Basic"),
            identity=ml.ManagedServiceIdentityArgs(
                type=identity_type,
                user_assigned_identities=args.get("user_assigned_identity_ids"),
            ),
            primary_user_assigned_identity=args.get("primary_user_assigned_identity"),
            storage_account=store.id,
            key_vault=vault.id,
            application_insights=monitor.application_insights_id,
            container_registry=registry.id if registry else None,
            public_network_access=args.get("public_network_access", "Enabled"),
            hbi_workspace=args.get("hbi_workspace", False),
            managed_network=ml.ManagedNetworkSettingsArgs(isolation_mode=args["managed_network_isolation_mode"])
            if "managed_network_isolation_mode" in args
            else None,
            system_datastores_auth_mode="accessKey" if shared_key else "identity",
            v1_legacy_mode=False,
            tags=tags,
            opts=child(self, protect=protect),
        )
        tenant_id = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
        compute_ids: dict[str, pulumi.Output[str]] = {}
        for ci in args.get("compute_instances", []):
            compute = ml.Compute(
                f"{name}-{ci['name']}",
                compute_name=ci["name"],
                resource_group_name=args["resource_group_name"],
                workspace_name=workspace.name,
                location=args.get("location"),
                properties=compute_instance_properties(ci, tenant_id),
                tags=tags,
                opts=child(self),
            )
            compute_ids[ci["name"]] = compute.id
        for cc in args.get("compute_clusters", []):
            compute = ml.Compute(
                f"{name}-{cc['name']}",
                compute_name=cc["name"],
                resource_group_name=args["resource_group_name"],
                workspace_name=workspace.name,
                location=args.get("location"),
                identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
                properties=compute_cluster_properties(cc),
                tags=tags,
                opts=child(self),
            )
            compute_ids[cc["name"]] = compute.id

        self.workspace_id = workspace.id
        self.workspace_name = workspace.name
        self.principal_id = workspace.identity.apply(lambda i: (i.principal_id if i else None) or "")
        self.storage_account_id = store.id
        self.key_vault_id = vault.id
        self.application_insights_id = monitor.application_insights_id
        self.log_analytics_workspace_id = monitor.log_analytics_workspace_id
        self.container_registry_id = registry.id if registry else pulumi.Output.from_input(None)
        self.compute_ids = pulumi.Output.all(**compute_ids) if compute_ids else pulumi.Output.from_input({})
        self.register_outputs(
            {
                "workspace_id": self.workspace_id,
                "workspace_name": self.workspace_name,
                "principal_id": self.principal_id,
                "storage_account_id": self.storage_account_id,
                "key_vault_id": self.key_vault_id,
                "application_insights_id": self.application_insights_id,
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "container_registry_id": self.container_registry_id,
                "compute_ids": self.compute_ids,
            }
        )
