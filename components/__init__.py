"""Pulumi components for an Azure Machine Learning workspace and its associated resources."""

from ._common import ComponentInputError
from .compute import ComputeClusterSettings, ComputeInstanceSettings
from .key_vault import WorkspaceKeyVault, WorkspaceKeyVaultArgs
from .monitoring import WorkspaceMonitoring, WorkspaceMonitoringArgs
from .registry import WorkspaceContainerRegistry, WorkspaceContainerRegistryArgs
from .storage import WorkspaceStorage, WorkspaceStorageArgs, WorkspaceStorageError, lookup_existing_storage
from .workspace import MachineLearningWorkspace, MachineLearningWorkspaceArgs

__all__ = [
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
