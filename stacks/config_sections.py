"""The stack sections that configure a component's inputs, derived from the component Args TypedDicts.

Each section takes its fields, their order and their documentation from the Args (`args_section`); the
stack narrows a type where a stack file is held tighter (an ARM enum as a Literal, a range, a pattern)
or checks a derived field by its name (an ARM ID as the type it must be: amlws_rules.arm, the components' parser)
and leaves out what the stack sets itself (resource group, region, tags, protection, locks, diagnostics).
A setting left out stays None: the component applies its default (components/defaults.py), which the
rules below read too, so no default is restated here. The compute, access and network sections live in
config_compute, config_access and config_network; stacks/config.py offers every section.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from amlws.components import defaults
from amlws.components.connections import WorkspaceConnectionSettings
from amlws.components.datastore import DatastoreSettings
from amlws.components.diagnostics import DiagnosticLogCategoryArgs, DiagnosticMetricCategoryArgs, DiagnosticSettingArgs
from amlws.components.environment import EnvironmentSettings
from amlws.components.key_vault import WorkspaceKeyVaultArgs
from amlws.components.monitoring import WorkspaceMonitoringArgs
from amlws.components.registry import WorkspaceContainerRegistryArgs
from amlws.components.storage_plan import WorkspaceStorageArgs
from amlws.components.kinds import FeatureStoreSettings, WorkspaceHubConfigSettings
from amlws.components.workspace import CustomerManagedKeySettings, WorkspaceIdentitySettings
from amlws_rules import (
    datastore_violations,
    workspace_storage_violations,
)
from amlws_rules import arm, naming
from amlws_rules.azure_values import STORAGE_KINDS, STORAGE_SKU_NAMES

from .config_base import (
    DUMPED_ON_ITS_OWN,
    Access,
    GroupIds,
    NetworkDefaultAction,
    args_section,
    arm_id_check,
    enum_check,
    name_check,
    not_beside,
)
from .config_access import (
    ROLE_ASSIGNMENTS,
    AccessConfig,
    CustomRoleConfig,
    RoleAssignmentConfig,
)
from .config_compute import (
    ComputeClusterConfig,
    ComputeInstanceConfig,
    ServerlessComputeConfig,
)
from .config_network import (
    OutboundRuleConfig,
    PrivateEndpointsConfig,
)

# What every created resource's section gets from the stack or its component, never from the stack file.
PLACEMENT = ("resource_group_name", "location", "tags", "protect", "lock", "diagnostics_workspace_id")
# Facts about an existing resource the program vouches for: a program's Outputs, never a stack setting.
EXISTING_FACTS = ("existing_facts",)


def _value(section: Any, key: str, default: Any) -> Any:
    value = getattr(section, key)
    return default if value is None else value


class StorageConfig(
    args_section(
        WorkspaceStorageArgs,
        omit=(*PLACEMENT, *EXISTING_FACTS),
        types={"public_network_access": Access, "network_default_action": NetworkDefaultAction, **ROLE_ASSIGNMENTS},
    )
):
    """The workspace's storage account: `existingId`, or the settings of a new one."""

    _check_id = arm_id_check(arm.STORAGE_ACCOUNT, "existing_id")
    _check_name = name_check(naming.STORAGE_ACCOUNT, "account_name")
    _check_sku = enum_check(STORAGE_SKU_NAMES, "sku_name")
    _check_kind = enum_check(STORAGE_KINDS, "kind")
    _alone = not_beside(
        ("existing_id",),
        "account_name",
        "sku_name",
        "kind",
        "is_hns_enabled",
        "allow_shared_key_access",
        "public_network_access",
        "network_default_action",
    )

    @model_validator(mode="after")
    def _documented_rules(self) -> "StorageConfig":
        if self.existing_id is None:
            problems = workspace_storage_violations(
                kind=_value(self, "kind", defaults.STORAGE_KIND),
                sku_name=_value(self, "sku_name", defaults.STORAGE_SKU_NAME),
                is_hns_enabled=_value(self, "is_hns_enabled", False),
                existing=False,
            )
            if problems:
                raise ValueError(" ".join(p.message for p in problems))
        return self


class KeyVaultConfig(
    args_section(
        WorkspaceKeyVaultArgs,
        omit=(*PLACEMENT, *EXISTING_FACTS, "tenant_id", "grant_deployer_crypto_officer", "deployer_principal_type"),
        types={
            "sku_name": Literal["standard", "premium"],
            "soft_delete_retention_in_days": Annotated[int, Field(ge=7, le=90)],
            "public_network_access": Access,
            "network_default_action": NetworkDefaultAction,
            **ROLE_ASSIGNMENTS,
        },
    )
):
    _check_id = arm_id_check(arm.KEY_VAULT, "existing_id")
    _check_name = name_check(naming.KEY_VAULT, "vault_name")
    _alone = not_beside(
        ("existing_id",),
        "vault_name",
        "sku_name",
        "enable_purge_protection",
        "soft_delete_retention_in_days",
        "public_network_access",
        "network_default_action",
    )


class MonitoringConfig(
    args_section(
        WorkspaceMonitoringArgs,
        omit=(*PLACEMENT, *EXISTING_FACTS),
        types={
            "retention_in_days": Annotated[int, Field(ge=30, le=730)],
            "public_network_access": Access,
            **ROLE_ASSIGNMENTS,
        },
    )
):
    _check_ai_id = arm_id_check(arm.APPLICATION_INSIGHTS, "existing_application_insights_id")
    _check_law_id = arm_id_check(arm.LOG_ANALYTICS_WORKSPACE, "existing_log_analytics_workspace_id")
    _check_law = name_check(naming.LOG_ANALYTICS, "log_analytics_workspace_name")
    _check_ai = name_check(naming.APPLICATION_INSIGHTS, "application_insights_name")
    # An existing Application Insights means nothing is created; an existing Log Analytics workspace, no new one.
    _alone = not_beside(
        ("existing_application_insights_id",),
        "application_insights_name",
        "disable_local_auth",
        "public_network_access",
    )
    _alone_law = not_beside(
        ("existing_application_insights_id", "existing_log_analytics_workspace_id"),
        "log_analytics_workspace_name",
        "retention_in_days",
    )


class ContainerRegistryConfig(
    args_section(
        WorkspaceContainerRegistryArgs,
        omit=(*PLACEMENT, *EXISTING_FACTS, "zone_redundancy"),
        types={
            "sku_name": Literal["Basic", "Standard", "Premium"],
            "public_network_access": Access,
            **ROLE_ASSIGNMENTS,
        },
    )
):
    model_config = DUMPED_ON_ITS_OWN  # shared_args

    _check_id = arm_id_check(arm.CONTAINER_REGISTRY, "existing_id")
    _check_name = name_check(naming.CONTAINER_REGISTRY, "registry_name")
    _alone = not_beside(("existing_id",), "registry_name", "sku_name", "public_network_access")

    @model_validator(mode="after")
    def _premium_for_private(self) -> "ContainerRegistryConfig":
        sku = _value(self, "sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME)
        if self.existing_id is None and self.public_network_access == "Disabled" and sku != "Premium":
            raise ValueError(f"only a Premium registry can disable public network access (skuName is {sku})")
        return self


class CustomerManagedKeyConfig(
    args_section(
        CustomerManagedKeySettings,
        omit=("deployer_principal_type",),  # the stack's amlws:deployerPrincipalType
        types={
            "key_name": Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,127}$")],
            "key_size": Literal[2048, 3072, 4096],
        },
    )
):
    _check_name = name_check(naming.USER_ASSIGNED_IDENTITY, "identity_name")
    _check_identity = arm_id_check(arm.USER_ASSIGNED_IDENTITY, "user_assigned_identity_resource_id")


class WorkspaceIdentityConfig(args_section(WorkspaceIdentitySettings)):
    """A user-assigned identity the stack creates as the workspace's `primaryUserAssignedIdentity` (Azure Policy
    5f0c7d88, PSRule Azure.ML.UserManagedIdentity), granted the roles the docs list before the workspace exists."""

    _check_name = name_check(naming.USER_ASSIGNED_IDENTITY, "identity_name")


class FeatureStoreConfig(args_section(FeatureStoreSettings)):
    """`featureStoreSettings` of a FeatureStore workspace (MachineLearningWorkspace checks it: components/kinds.py)."""


class WorkspaceHubConfigConfig(args_section(WorkspaceHubConfigSettings)):
    """`workspaceHubConfig` of a Hub workspace (AVM ai-hub)."""


class ConnectionConfig(args_section(WorkspaceConnectionSettings)):
    """A workspace connection to Azure OpenAI, AI Services or AI Search. The component's checks name the allowed
    values (the name pattern, categories, authType, the resource type per category); a `secret` must be a `secure:`
    value (the program checks)."""


class DatastoreConfig(
    args_section(
        DatastoreSettings,
        types={
            "name": Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,255}$")],
            "datastore_type": Literal["AzureBlob", "AzureDataLakeGen2"],
            "container_name": Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")],
        },
    )
):
    """A datastore on additional storage: premium and HNS (ADLS Gen2) accounts belong here."""

    _check_id = arm_id_check(arm.STORAGE_ACCOUNT, "existing_storage_id")
    _check_name = name_check(naming.STORAGE_ACCOUNT, "account_name")
    _check_sku = enum_check(STORAGE_SKU_NAMES, "sku_name")
    _check_kind = enum_check(STORAGE_KINDS, "kind")
    _alone = not_beside(("existing_storage_id",), "account_name", "sku_name", "kind", "is_hns_enabled")

    @model_validator(mode="after")
    def _rules(self) -> "DatastoreConfig":
        if self.existing_storage_id is None:
            kind_of = _value(self, "datastore_type", "AzureBlob")
            hns = _value(self, "is_hns_enabled", kind_of == "AzureDataLakeGen2")
            problems = datastore_violations(
                kind_of, kind=_value(self, "kind", defaults.STORAGE_KIND), is_hns_enabled=hns, credentials_type=None
            )
            if problems:
                raise ValueError("; ".join(problems))
        return self


class EnvironmentConfig(
    args_section(
        EnvironmentSettings,
        types={
            "name": Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")],
            "version": Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")],
            "docker_context": Annotated[str, Field(min_length=1)],  # built and pushed from the deploying machine
            "build_context_uri": Annotated[str, Field(min_length=1)],  # a blob URI: Azure ML builds the image
        },
    )
):
    @model_validator(mode="after")
    def _one_build_path(self) -> "EnvironmentConfig":
        if (self.docker_context is None) == (self.build_context_uri is None):
            raise ValueError(
                "give exactly one of dockerContext (built and pushed from the deploying machine) "
                "or buildContextUri (a blob URI of the context; Azure ML builds the image)"
            )
        return self


class DiagnosticLogCategoryConfig(args_section(DiagnosticLogCategoryArgs)):
    """`logCategoriesAndGroups[]` of a diagnostic setting, as DiagnosticLogCategoryArgs."""


class DiagnosticMetricCategoryConfig(args_section(DiagnosticMetricCategoryArgs)):
    """`metricCategories[]` of a diagnostic setting, as DiagnosticMetricCategoryArgs."""


class DiagnosticSettingConfig(
    args_section(
        DiagnosticSettingArgs,
        types={
            "log_analytics_destination_type": Literal["Dedicated", "AzureDiagnostics"],
            "log_categories_and_groups": list[DiagnosticLogCategoryConfig],
            "metric_categories": list[DiagnosticMetricCategoryConfig],
        },
    )
):
    """A diagnostic setting in the Azure Verified Modules' shape (`diagnosticSettingFullType`); the component checks
    the destinations' IDs, the limits and the defaults (components/diagnostics.py)."""


__all__ = [
    "DiagnosticSettingConfig",
    "AccessConfig",
    "RoleAssignmentConfig",
    "ComputeClusterConfig",
    "ComputeInstanceConfig",
    "ServerlessComputeConfig",
    "ContainerRegistryConfig",
    "CustomRoleConfig",
    "CustomerManagedKeyConfig",
    "FeatureStoreConfig",
    "WorkspaceHubConfigConfig",
    "DatastoreConfig",
    "EnvironmentConfig",
    "GroupIds",
    "KeyVaultConfig",
    "MonitoringConfig",
    "OutboundRuleConfig",
    "PrivateEndpointsConfig",
    "StorageConfig",
    "WorkspaceIdentityConfig",
]
