"""What a stack shares between its workspaces (`amlws:shared`: associated resources, an Azure ML registry) and
its self-serve zone (`amlws:selfServe`): the stack's own models."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, field_validator

from .config_base import (
    DUMPED_ON_ITS_OWN,
    Access,
    GroupIds,
    IsolationMode,
    StackModel,
    guids,
    optional_guids,
    region,
)
from .config_network import PrivateEndpointsConfig
from .config_sections import (
    ContainerRegistryConfig,
    KeyVaultConfig,
    MonitoringConfig,
    StorageConfig,
)


class MachineLearningRegistryConfig(StackModel):
    model_config = DUMPED_ON_ITS_OWN  # shared_args

    registry_name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$")
    """Registry name: 3-33 letters, digits, hyphens and underscores, starting with a letter or digit."""
    locations: Optional[list[str]] = None
    """Regions the registry replicates to; the shared resource group's region by default."""
    public_network_access: Optional[Access] = None
    """`publicNetworkAccess`: `Disabled` (the component's default; reached through private endpoints and
    managed-network rules) or `Enabled`."""
    user_group_object_ids: Optional[GroupIds] = None
    """Microsoft Entra groups given AzureML Registry User (1823dd4f-9b8c-4ab6-ab4e-7397a3684615) on the
    registry."""

    _check_groups = field_validator("user_group_object_ids")(classmethod(lambda cls, v: optional_guids(v)))
    _check_locations = field_validator("locations")(
        classmethod(lambda cls, v: v if v is None else [region(r) for r in v])
    )


class SharedConfig(StackModel):
    """Associated resources the stack's workspaces share; each present section is used by every workspace."""

    resource_group_name: Optional[str] = None
    """The shared resource group; default `rg-shared-<environment>`, created by the stack."""
    container_registry: Optional["ContainerRegistryConfig"] = None
    """One container registry for every workspace of the stack."""
    key_vault: Optional["KeyVaultConfig"] = None
    """One key vault for every workspace of the stack."""
    monitoring: Optional["MonitoringConfig"] = None
    """One Log Analytics workspace (and Application Insights) for every workspace of the stack."""
    storage: Optional["StorageConfig"] = None
    ml_registry: Optional[MachineLearningRegistryConfig] = None
    """An Azure ML registry the stack's workspaces share models and environments through."""
    private_endpoints: Optional[PrivateEndpointsConfig] = None
    """Where the shared resources' private endpoints go."""


class SelfServeResourcesConfig(StackModel):
    """Associated resources the self-serve zone creates itself (a section left out is taken from amlws:shared)."""

    storage: Optional[StorageConfig] = None
    """The zone's own storage account settings."""
    key_vault: Optional[KeyVaultConfig] = None
    """The zone's own key vault settings."""
    monitoring: Optional[MonitoringConfig] = None
    """The zone's own Log Analytics and Application Insights settings."""
    container_registry: Optional[ContainerRegistryConfig] = None
    """The zone's own container registry settings."""


class SelfServeConfig(StackModel):
    """A self-serve zone: a resource group where the named groups create their own workspaces, governed by
    Azure Policy."""

    resource_group_name: Optional[str] = None
    """The zone's resource group; default `rg-selfserve-<environment>`, created by the stack."""
    creator_group_object_ids: GroupIds
    """Microsoft Entra groups whose members may create workspaces in the zone."""
    effect: Literal["Deny", "Audit"] = "Deny"
    """Effect of every policy assignment: `Deny` (locked-down environments) or `Audit` (dev)."""
    public_network_access: Optional[Access] = None
    """`Disabled` to require workspaces without public network access (built-in 438c38d2); omit to leave it open."""
    managed_network_isolation_mode: Optional[IsolationMode] = None
    """The managed network isolation mode workspaces must use (built-in 6ddb1705); omit to leave it free."""
    required_tags: list[str] = Field(default=["project", "environment", "owner"], min_length=1)
    """Tag names every workspace must carry."""
    image_builds: Optional[Literal["Allowed", "Disabled"]] = None
    """`Allowed` or `Disabled`: may data scientists build custom environment images? Default `Allowed` when the
    zone approves a registry."""
    resources: SelfServeResourcesConfig = SelfServeResourcesConfig()
    """The associated resources the zone creates for its workspaces."""

    _check_groups = field_validator("creator_group_object_ids")(classmethod(lambda cls, v: guids(v)))
