"""The inputs of SharedWorkspaceResources (shared.py re-exports them): the sections it shares between workspaces
and the Azure ML registry it creates."""

from typing import NotRequired, TypedDict

import pulumi

from .key_vault_plan import WorkspaceKeyVaultArgs
from .locks import LockArgs
from .monitoring import WorkspaceMonitoringArgs
from .network import PrivateEndpointSettings
from .registry import WorkspaceContainerRegistryArgs
from .storage_plan import WorkspaceStorageArgs


class MachineLearningRegistrySettings(TypedDict):
    """An Azure ML registry (models, environments, components shared across workspaces)."""

    registry_name: str
    """Registry name: 3-33 letters, digits, hyphens and underscores, starting with a letter or digit."""
    locations: NotRequired[list[str]]
    """Regions the registry replicates to; the shared resource group's region by default."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Disabled` (default; reached through private endpoints and managed-network rules) or
    `Enabled`."""
    user_group_object_ids: NotRequired[list[str]]
    """Microsoft Entra groups given AzureML Registry User (1823dd4f-9b8c-4ab6-ab4e-7397a3684615) on the registry."""


class SharedWorkspaceResourcesArgs(TypedDict):
    """Inputs of SharedWorkspaceResources. Every section is optional: share only what is given."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the shared resources."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the shared resources."""
    container_registry: NotRequired[WorkspaceContainerRegistryArgs]
    """One container registry for all workspaces (created with these settings, or `existing_id`)."""
    key_vault: NotRequired[WorkspaceKeyVaultArgs]
    """One key vault for all workspaces (created with these settings, or `existing_id`)."""
    monitoring: NotRequired[WorkspaceMonitoringArgs]
    """One Log Analytics workspace and Application Insights for all workspaces."""
    storage: NotRequired[WorkspaceStorageArgs]
    """One storage account for all workspaces: only when asked, since it mixes the projects' data."""
    ml_registry: NotRequired[MachineLearningRegistrySettings]
    """An Azure ML registry for sharing models, environments and components."""
    private_endpoints: NotRequired[PrivateEndpointSettings]
    (
        "Private endpoints for the shared resources this component creates (registry, which must be Premium; "
        "vault; storage blob and file; the Azure ML registry, group `amlregistry`)."
    )
    diagnostics: NotRequired[bool]
    (
        "Send the created vault's and storage's logs to the shared Log Analytics workspace "
        "(default true when monitoring is shared)."
    )
    tags: NotRequired[dict[str, str]]
    """Tags for every shared resource."""
    protect: NotRequired[bool]
    """Protect the shared resources that hold data from deletion."""
    lock: NotRequired[LockArgs]
    (
        'AVM `lock`: a management lock (e.g. `{"kind": "CanNotDelete"}`) '
        "on the shared resources that hold data (registries, key vault, storage)."
    )
