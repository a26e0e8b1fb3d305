"""Pulumi components for an Azure Machine Learning workspace and its associated resources."""

from ._common import ComponentInputError
from .access import CustomRoleSettings, WorkspaceAccessSettings
from .budget import BudgetSettings, monthly_budget, validate_budget
from .connections import WorkspaceConnectionSettings
from .datastore import DatastoreSettings
from .environment import EnvironmentSettings
from .network import OutboundRuleSettings, PrivateDnsZones, PrivateDnsZonesArgs, PrivateEndpointSettings
from .self_serve import ApprovedResources, SelfServeZone, SelfServeZoneArgs, ZoneResources
from .shared import SharedWorkspaceResources
from .shared_args import MachineLearningRegistrySettings, SharedWorkspaceResourcesArgs
from .compute import ComputeClusterSettings, ComputeInstanceSettings
from .key_vault import WorkspaceKeyVault, WorkspaceKeyVaultArgs
from .monitoring import WorkspaceMonitoring, WorkspaceMonitoringArgs
from .registry import WorkspaceContainerRegistry, WorkspaceContainerRegistryArgs
from .storage import WorkspaceStorage, WorkspaceStorageArgs, WorkspaceStorageError, lookup_existing_storage
from .workspace import CustomerManagedKeySettings, MachineLearningWorkspace, MachineLearningWorkspaceArgs
from .vnet import PrivateNetwork, PrivateNetworkArgs, SubnetSettings

__all__ = [
    "BudgetSettings",
    "CustomRoleSettings",
    "CustomerManagedKeySettings",
    "DatastoreSettings",
    "EnvironmentSettings",
    "MachineLearningRegistrySettings",
    "OutboundRuleSettings",
    "PrivateDnsZones",
    "PrivateDnsZonesArgs",
    "PrivateEndpointSettings",
    "PrivateNetwork",
    "PrivateNetworkArgs",
    "SubnetSettings",
    "ApprovedResources",
    "SelfServeZone",
    "SelfServeZoneArgs",
    "ZoneResources",
    "SharedWorkspaceResources",
    "SharedWorkspaceResourcesArgs",
    "WorkspaceAccessSettings",
    "WorkspaceConnectionSettings",
    "monthly_budget",
    "validate_budget",
    "ComponentInputError",
    "ComputeClusterSettings",
    "ComputeInstanceSettings",
    "MachineLearningWorkspace",
    "MachineLearningWorkspaceArgs",
    "WorkspaceContainerRegistry",
    "WorkspaceContainerRegistryArgs",
    "WorkspaceKeyVault",
    "WorkspaceKeyVaultArgs",
    "WorkspaceMonitoring",
    "WorkspaceMonitoringArgs",
    "WorkspaceStorage",
    "WorkspaceStorageArgs",
    "WorkspaceStorageError",
    "lookup_existing_storage",
]
