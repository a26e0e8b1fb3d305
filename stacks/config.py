"""Typed stack configuration, read from Pulumi config (`Pulumi.<stack>.yaml`, namespace `amlws`).

Every problem is reported together, each naming the stack file, the key path, the value and what is
allowed, and all of it happens before a single resource is declared.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from typing import Any, Literal, Mapping, Optional, get_args

import pulumi
from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from amlws_rules import (
    budget_violations,
    cluster_scale_violations,
    datastore_violations,
    idle_shutdown_violation,
    is_guid,
    parse_duration,
    workspace_storage_violations,
)

from amlws.stack_lines import config_position
from amlws_rules import naming
from amlws_rules.azure_values import (
    STORAGE_KINDS,
    STORAGE_SKU_NAMES,
    is_azure_region,
    one_of_ignoring_case,
    region_name,
)
from amlws_rules.budget import start_date_findings
from amlws_rules.compute import MAX_NODE_COUNT, UNASSIGNED_INSTANCE, assigned_user_problem
from amlws_rules.vm_sizes import vm_size_problem

NAMESPACE = "amlws"

Access = Literal["Enabled", "Disabled"]


class StackConfigError(pulumi.RunError):
    """Bad stack configuration. A RunError, so `pulumi up` prints the message without a traceback.

    Each problem starts with its key path (`amlws:workspaces[0].storage.skuName = ...`); where the stack file
    wrote that key, the line says so first, as compilers do (`Pulumi.dev.yaml:37:11: amlws:...`)."""

    def __init__(self, stack_file: str, problems: list[str]):
        self.stack_file = stack_file
        self.problems = problems
        self.locations = [_problem_position(stack_file, p) for p in problems]
        lines = "\n".join(f"  - {at}: {p}" if at else f"  - {p}" for at, p in zip(self.locations, problems))
        super().__init__(f"{stack_file}: invalid configuration:\n{lines}")


_KEY_PATH = re.compile(rf"^{NAMESPACE}:([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w-]*)*)")


def _problem_position(stack_file: str, problem: str) -> str | None:
    """`Pulumi.dev.yaml:37:11` for a problem about `amlws:workspaces[0].computeClusters[0].maxNodeCount`."""
    found = _KEY_PATH.match(problem)
    if found is None:
        return None
    parts = re.findall(r"\[(\d+)\]|([^.\[\]]+)", found.group(1))
    return config_position(stack_file, NAMESPACE, tuple(int(i) if i else key for i, key in parts))


class _Model(BaseModel):
    # strict: `maxNodeCount: true` or `amount: "100"` is refused, never coerced into something else.
    # defer_build: validators are built when first used (StackConfig's includes every section's), not once
    # per class at import: the same validation, about 15 ms less per command.
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True, strict=True, defer_build=True
    )


def _enum(allowed: tuple[str, ...], *fields: str) -> Any:
    """A validator for an ARM enum (compared without regard to case, as ARM does), naming what is allowed."""

    def check(cls: Any, value: str) -> str:
        found = one_of_ignoring_case(value, allowed)
        if found is None:
            raise ValueError(f"Azure accepts one of {', '.join(allowed)}")
        return found

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]


def _not_beside(existing: tuple[str, ...], *fields: str) -> Any:
    """A validator refusing settings of a new resource given beside the ID of an existing one (they would be ignored).

    Field validators run only on values the stack file gives, and the existing IDs are declared first.
    """

    def check(cls: Any, value: Any, info: ValidationInfo) -> Any:
        given = [to_camel(e) for e in existing if info.data.get(e) is not None]
        if given:
            raise ValueError(
                f"ignored beside {' and '.join(given)} (nothing is created for it): remove this setting or {given[0]}"
            )
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]


def _region(value: str) -> str:
    if not is_azure_region(value):
        raise ValueError(
            'not an Azure region name (e.g. westeurope or "West Europe"); for a region newer than the list in '
            "amlws_rules/azure_values.py, set amlws:allowUnlistedLocation: true"
        )
    return value


COST_TAGS = ("project", "environment")  # set from the project and the stack: never from a tags map


def _tag_problems(tags: dict[str, str], reserved: tuple[str, ...]) -> list[str]:
    """Azure tag names are case-insensitive (learn.microsoft.com, azure-resource-manager/management/tag-resources)."""
    problems = [
        f"the tag {k!r} would override the mandatory cost tag {k.lower()!r}, which is set for you"
        for k in tags
        if k.lower() in reserved
    ]
    names = [k.lower() for k in tags]
    problems += [
        f"tags {', '.join(repr(k) for k in tags if k.lower() == n)} are one tag to Azure (names are case-insensitive)"
        for n in sorted({n for n in names if names.count(n) > 1})
    ]
    return problems


def _name_rule(rule: naming.NameRule, *fields: str) -> Any:
    """A validator that refuses a name breaking `rule`, quoting it (the same function the components use)."""

    def check(cls: Any, value: Optional[str]) -> Optional[str]:
        problem = None if value is None else naming.name_violation(rule, value)
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]


class StorageConfig(_Model):
    """The workspace's storage account: `existingId`, or the settings of a new one."""

    existing_id: Optional[str] = None
    account_name: Optional[str] = None  # `accountName`; default st<project><environment><suffix>
    # Secure by default, as the components are (storage.DEFAULT_*): open is written down in the stack file.
    sku_name: str = "Standard_ZRS"
    kind: str = "StorageV2"
    is_hns_enabled: bool = False
    allow_shared_key_access: bool = False
    public_network_access: Access = "Disabled"
    network_default_action: Literal["Allow", "Deny"] = "Deny"

    _check_name = _name_rule(naming.STORAGE_ACCOUNT, "account_name")
    _check_sku = _enum(STORAGE_SKU_NAMES, "sku_name")
    _check_kind = _enum(STORAGE_KINDS, "kind")
    _alone = _not_beside(
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
                kind=self.kind, sku_name=self.sku_name, is_hns_enabled=self.is_hns_enabled, existing=False
            )
            if problems:
                raise ValueError(" ".join(p.message for p in problems))
        return self


class KeyVaultConfig(_Model):
    existing_id: Optional[str] = None
    vault_name: Optional[str] = None  # `vaultName`; default kv-<project>-<environment>-<suffix>
    sku_name: Literal["standard", "premium"] = "standard"
    enable_purge_protection: bool = True
    soft_delete_retention_in_days: int = Field(default=90, ge=7, le=90)
    public_network_access: Access = "Disabled"  # secure by default, as the component (key_vault.DEFAULT_*)
    network_default_action: Literal["Allow", "Deny"] = "Deny"

    _check_name = _name_rule(naming.KEY_VAULT, "vault_name")
    _alone = _not_beside(
        ("existing_id",),
        "vault_name",
        "sku_name",
        "enable_purge_protection",
        "soft_delete_retention_in_days",
        "public_network_access",
        "network_default_action",
    )


class MonitoringConfig(_Model):
    existing_application_insights_id: Optional[str] = None
    existing_log_analytics_workspace_id: Optional[str] = None
    log_analytics_workspace_name: Optional[str] = None  # sets `workspaceName`; default log-<project>-<environment>
    application_insights_name: Optional[str] = None  # sets `resourceName`; default appi-<project>-<environment>
    retention_in_days: int = Field(default=30, ge=30, le=730)
    disable_local_auth: bool = True
    public_network_access: Access = "Enabled"

    _check_law = _name_rule(naming.LOG_ANALYTICS, "log_analytics_workspace_name")
    _check_ai = _name_rule(naming.APPLICATION_INSIGHTS, "application_insights_name")
    # An existing Application Insights means nothing is created; an existing Log Analytics workspace, no new one.
    _alone = _not_beside(
        ("existing_application_insights_id",),
        "application_insights_name",
        "disable_local_auth",
        "public_network_access",
    )
    _alone_law = _not_beside(
        ("existing_application_insights_id", "existing_log_analytics_workspace_id"),
        "log_analytics_workspace_name",
        "retention_in_days",
    )


class ContainerRegistryConfig(_Model):
    existing_id: Optional[str] = None
    registry_name: Optional[str] = None  # `registryName`; default cr<project><environment><suffix>
    sku_name: Literal["Basic", "Standard", "Premium"] = "Basic"
    public_network_access: Access = "Enabled"

    _check_name = _name_rule(naming.CONTAINER_REGISTRY, "registry_name")
    _alone = _not_beside(("existing_id",), "registry_name", "sku_name", "public_network_access")

    @model_validator(mode="after")
    def _premium_for_private(self) -> "ContainerRegistryConfig":
        if self.existing_id is None and self.public_network_access == "Disabled" and self.sku_name != "Premium":
            raise ValueError(f"only a Premium registry can disable public network access (skuName is {self.sku_name})")
        return self


def _vm_size(*fields: str) -> Any:
    """A validator for `vmSize` against amlws_rules/vm_sizes.py (the components' rule), unless `allowUnlistedVmSize`
    (declared before `vmSize`, so it is in `info.data`) vouches for a newer size."""

    def check(cls: Any, value: str, info: ValidationInfo) -> str:
        problem = vm_size_problem(value, info.data.get("allow_unlisted_vm_size") is True)
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]


class ComputeInstanceConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{2,23}$")
    allow_unlisted_vm_size: bool = False  # `allowUnlistedVmSize`: a size newer than amlws_rules/vm_sizes.py
    vm_size: str
    idle_time_before_shutdown: str
    assigned_user_object_id: str  # required: see assigned_user_problem for why
    assigned_user_tenant_id: Optional[str] = None
    ssh_public_access: Access = "Disabled"
    ssh_admin_public_key: Optional[str] = None
    subnet_id: Optional[str] = None

    _check_vm_size = _vm_size("vm_size")

    @field_validator("idle_time_before_shutdown")
    @classmethod
    def _idle_range(cls, value: str) -> str:
        problem = idle_shutdown_violation(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("assigned_user_object_id", "assigned_user_tenant_id")
    @classmethod
    def _assigned_user(cls, value: Optional[str], info: Any) -> Optional[str]:
        problem = assigned_user_problem(info.field_name, value)
        if problem:
            raise ValueError(problem)
        return value


class ComputeClusterConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{1,15}$")
    allow_unlisted_vm_size: bool = False  # `allowUnlistedVmSize`: a size newer than amlws_rules/vm_sizes.py
    vm_size: str
    max_node_count: int
    min_node_count: int = 0
    vm_priority: Literal["Dedicated", "LowPriority"] = "Dedicated"
    node_idle_time_before_scale_down: str = "PT120S"
    subnet_id: Optional[str] = None

    @field_validator("node_idle_time_before_scale_down")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    _check_vm_size = _vm_size("vm_size")

    @field_validator("max_node_count", "min_node_count")
    @classmethod
    def _count(cls, value: int, info: ValidationInfo) -> int:
        """Each count on its own key (its own line): negative, zero maximum, beyond the API's int32."""
        low, high = (value, MAX_NODE_COUNT) if info.field_name == "min_node_count" else (0, value)
        problems = [p for p in cluster_scale_violations(low, high) if p.startswith(to_camel(str(info.field_name)))]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @model_validator(mode="after")
    def _scale(self) -> "ComputeClusterConfig":
        problems = cluster_scale_violations(self.min_node_count, self.max_node_count)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _guids(values: list[str]) -> list[str]:
    bad = [v for v in values if not is_guid(v)]
    if bad:
        raise ValueError(f"Microsoft Entra object IDs are GUIDs: {', '.join(map(str, bad))}")
    if not values:
        raise ValueError("list at least one Microsoft Entra group object ID, or leave the setting out")
    return values


GroupIds = list[str]


class CustomRoleConfig(_Model):
    role_name: str = Field(min_length=1, max_length=128)
    description: Optional[str] = None
    actions: list[str] = []
    not_actions: list[str] = []
    data_actions: list[str] = []
    group_object_ids: GroupIds

    _check_groups = field_validator("group_object_ids")(classmethod(lambda cls, v: _guids(v)))

    @model_validator(mode="after")
    def _some_action(self) -> "CustomRoleConfig":
        if not self.actions and not self.data_actions:
            raise ValueError("a role needs at least one action or data action")
        return self


class AccessConfig(_Model):
    """Microsoft Entra groups (object IDs) per workspace role."""

    data_scientists: Optional[GroupIds] = None
    compute_operators: Optional[GroupIds] = None
    readers: Optional[GroupIds] = None
    admins: Optional[GroupIds] = None
    custom_roles: list[CustomRoleConfig] = []

    _check_groups = field_validator("data_scientists", "compute_operators", "readers", "admins")(
        classmethod(lambda cls, v: v if v is None else _guids(v))
    )


class CustomerManagedKeyConfig(_Model):
    key_name: str = Field(pattern=r"^[A-Za-z0-9-]{1,127}$")
    key_size: Literal[2048, 3072, 4096] = 3072
    identity_name: Optional[str] = None  # `resourceName` of the key's identity; default id-<project>-<environment>-cmk

    _check_name = _name_rule(naming.USER_ASSIGNED_IDENTITY, "identity_name")


class WorkspaceIdentityConfig(_Model):
    """A user-assigned identity the stack creates as the workspace's `primaryUserAssignedIdentity` (Azure Policy
    5f0c7d88, PSRule Azure.ML.UserManagedIdentity), granted the roles the docs list before the workspace exists."""

    identity_name: Optional[str] = None  # `resourceName`; default id-<project>-<environment>-mlw
    system_assigned: bool = (
        False  # keep a system-assigned identity beside it (identity.type SystemAssigned,UserAssigned)
    )

    _check_name = _name_rule(naming.USER_ASSIGNED_IDENTITY, "identity_name")


class PrivateEndpointsConfig(_Model):
    """Where the private endpoints go: an existing subnet by ID, or a subnet of `amlws:network` by name."""

    subnet_id: Optional[str] = Field(
        None,
        pattern=r"(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+/subnets/[^/]+$",
    )
    subnet_name: Optional[str] = Field(None, min_length=1)
    # false: no DNS zone group on the endpoints (the organisation's Azure Policy registers the records), and the
    # stack creates no private DNS zones for them
    private_dns_zone_group: bool = True

    @model_validator(mode="after")
    def _one_subnet(self) -> "PrivateEndpointsConfig":
        if (self.subnet_id is None) == (self.subnet_name is None):
            raise ValueError(
                "give exactly one of subnetId (an existing subnet) or subnetName (a subnet of amlws:network)"
            )
        return self


class OutboundRuleConfig(_Model):
    type: Literal["FQDN", "PrivateEndpoint", "ServiceTag"]
    destination: Optional[str] = None
    service_resource_id: Optional[str] = None
    subresource_target: Optional[str] = None
    service_tag: Optional[str] = None
    protocol: Optional[Literal["TCP", "UDP", "ICMP", "*"]] = None
    port_ranges: Optional[str] = None
    spark_enabled: Optional[bool] = None  # PrivateEndpoint rules to a storage account: `destination.sparkEnabled`


class DatastoreConfig(_Model):
    """A datastore on additional storage: premium and HNS (ADLS Gen2) accounts belong here."""

    name: str = Field(pattern=r"^[A-Za-z0-9_]{1,255}$")
    datastore_type: Literal["AzureBlob", "AzureDataLakeGen2"] = "AzureBlob"
    container_name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
    existing_storage_id: Optional[str] = None
    account_name: Optional[str] = None  # `accountName`; default st<datastore name><environment><suffix>
    sku_name: str = "Standard_LRS"
    kind: str = "StorageV2"
    is_hns_enabled: Optional[bool] = None
    description: Optional[str] = None

    _check_name = _name_rule(naming.STORAGE_ACCOUNT, "account_name")
    _check_sku = _enum(STORAGE_SKU_NAMES, "sku_name")
    _check_kind = _enum(STORAGE_KINDS, "kind")
    _alone = _not_beside(("existing_storage_id",), "account_name", "sku_name", "kind", "is_hns_enabled")

    @model_validator(mode="after")
    def _rules(self) -> "DatastoreConfig":
        if self.existing_storage_id is None:
            hns = self.is_hns_enabled if self.is_hns_enabled is not None else self.datastore_type == "AzureDataLakeGen2"
            problems = datastore_violations(
                self.datastore_type, kind=self.kind, is_hns_enabled=hns, credentials_type=None
            )
            if problems:
                raise ValueError("; ".join(problems))
        return self


class EnvironmentConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")
    docker_context: Optional[str] = Field(None, min_length=1)  # built and pushed from the deploying machine
    build_context_uri: Optional[str] = Field(None, min_length=1)  # a blob URI: Azure ML builds the image
    dockerfile: Optional[str] = None
    description: Optional[str] = None
    platform: Optional[str] = None

    @model_validator(mode="after")
    def _one_build_path(self) -> "EnvironmentConfig":
        if (self.docker_context is None) == (self.build_context_uri is None):
            raise ValueError(
                "give exactly one of dockerContext (built and pushed from the deploying machine) "
                "or buildContextUri (a blob URI of the context; Azure ML builds the image)"
            )
        return self


class BudgetConfig(_Model):
    budget_name: Optional[str] = None  # `budgetName`; default budget-<project>-<environment>
    amount: float
    start_date: Optional[str] = None  # default: the current month when the budget is created (see components/budget.py)
    thresholds: list[float] = [80, 100]
    forecast_thresholds: list[float] = []
    contact_emails: list[EmailStr]  # email-validator's syntax check (no DNS lookup)

    _check_name = _name_rule(naming.BUDGET, "budget_name")

    @model_validator(mode="after")
    def _rules(self) -> "BudgetConfig":
        problems = budget_violations(
            amount=self.amount,
            start_date=self.start_date,
            thresholds=[*self.thresholds, *self.forecast_thresholds],
            contact_emails=self.contact_emails,
        )
        if self.start_date is not None and not problems:
            problems += start_date_findings(self.start_date, dt.datetime.now(dt.timezone.utc).date())[0]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class MachineLearningRegistryConfig(_Model):
    registry_name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$")
    locations: Optional[list[str]] = None
    public_network_access: Access = "Enabled"
    user_group_object_ids: Optional[GroupIds] = None

    _check_groups = field_validator("user_group_object_ids")(classmethod(lambda cls, v: v if v is None else _guids(v)))
    _check_locations = field_validator("locations")(
        classmethod(lambda cls, v: v if v is None else [_region(r) for r in v])
    )


class SharedConfig(_Model):
    """Associated resources the stack's workspaces share; each present section is used by every workspace."""

    resource_group_name: Optional[str] = None
    container_registry: Optional["ContainerRegistryConfig"] = None
    key_vault: Optional["KeyVaultConfig"] = None
    monitoring: Optional["MonitoringConfig"] = None
    storage: Optional["StorageConfig"] = None
    ml_registry: Optional[MachineLearningRegistryConfig] = None
    private_endpoints: Optional[PrivateEndpointsConfig] = None


class SelfServeResourcesConfig(_Model):
    """Associated resources the self-serve zone creates itself (a section left out is taken from amlws:shared)."""

    storage: Optional[StorageConfig] = None
    key_vault: Optional[KeyVaultConfig] = None
    monitoring: Optional[MonitoringConfig] = None
    container_registry: Optional[ContainerRegistryConfig] = None


class SelfServeConfig(_Model):
    """A self-serve zone: a resource group where the named groups create their own workspaces, governed by Azure Policy."""

    resource_group_name: Optional[str] = None
    creator_group_object_ids: GroupIds
    effect: Literal["Deny", "Audit"] = "Deny"
    public_network_access: Optional[Access] = None
    managed_network_isolation_mode: Optional[
        Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
    ] = None
    required_tags: list[str] = Field(default=["project", "environment", "owner"], min_length=1)
    image_builds: Optional[Literal["Allowed", "Disabled"]] = None
    resources: SelfServeResourcesConfig = SelfServeResourcesConfig()

    _check_groups = field_validator("creator_group_object_ids")(classmethod(lambda cls, v: _guids(v)))


class SubnetConfig(_Model):
    name: str = Field(min_length=1)
    address_prefix: str = Field(min_length=1)


class VirtualNetworkConfig(_Model):
    """A virtual network the stack creates in the shared resource group (`PrivateNetwork`)."""

    name: Optional[str] = None  # `virtualNetworkName`; default vnet-shared-<environment>
    address_prefixes: list[str] = Field(min_length=1)
    subnets: list[SubnetConfig] = Field(min_length=1)


class NetworkConfig(_Model):
    """The stack's virtual network for private endpoints (an existing one by ID, or one it creates); its
    private DNS zones live in the shared resource group, linked to it."""

    virtual_network_id: Optional[str] = Field(
        None,
        pattern=r"(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+$",
    )
    virtual_network: Optional[VirtualNetworkConfig] = None

    @model_validator(mode="after")
    def _one_network(self) -> "NetworkConfig":
        if (self.virtual_network_id is None) == (self.virtual_network is None):
            raise ValueError(
                "give exactly one of virtualNetworkId (an existing network) or virtualNetwork (one the stack creates)"
            )
        return self


class DiagnosticLogCategoryConfig(_Model):
    category: Optional[str] = Field(None, min_length=1)
    category_group: Optional[str] = Field(None, min_length=1)
    enabled: bool = True


class DiagnosticMetricCategoryConfig(_Model):
    category: str = Field(min_length=1)
    enabled: bool = True


class DiagnosticSettingConfig(_Model):
    """A diagnostic setting in the Azure Verified Modules' shape (`diagnosticSettingFullType`); the component
    checks the destinations' IDs, the limits and the defaults (components/diagnostics.py)."""

    name: Optional[str] = Field(None, min_length=1)
    workspace_resource_id: Optional[str] = None
    storage_account_resource_id: Optional[str] = None
    event_hub_authorization_rule_resource_id: Optional[str] = None
    event_hub_name: Optional[str] = Field(None, min_length=1)
    marketplace_partner_resource_id: Optional[str] = None
    log_analytics_destination_type: Optional[Literal["Dedicated", "AzureDiagnostics"]] = None
    log_categories_and_groups: Optional[list[DiagnosticLogCategoryConfig]] = None
    metric_categories: Optional[list[DiagnosticMetricCategoryConfig]] = None


class WorkspaceConfig(_Model):
    """One project's workspace (the docs recommend a workspace per project)."""

    project: str = Field(pattern=r"^[a-z][a-z0-9-]{1,20}$")
    workspace_name: Optional[str] = None  # `workspaceName`; default mlw-<project>-<environment>
    resource_group_name: Optional[str] = None
    friendly_name: Optional[str] = None
    description: Optional[str] = None
    public_network_access: Optional[Access] = None  # the component decides: off when isolated
    hbi_workspace: bool = False
    managed_network_isolation_mode: Optional[
        Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
    ] = None
    managed_network_firewall_sku: Optional[Literal["Basic", "Standard"]] = None  # AllowOnlyApprovedOutbound only
    provision_network_now: Optional[bool] = None  # `provisionNetworkNow`: needs a managed network
    system_datastores_auth_mode: Optional[str] = None  # AccessKey, Identity or UserDelegationSAS
    identity_type: Optional[Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]] = (
        None  # the component's default: SystemAssigned
    )
    user_assigned_identity_ids: Optional[list[str]] = None
    primary_user_assigned_identity: Optional[str] = None
    workspace_identity: Optional[WorkspaceIdentityConfig] = (
        None  # after the keys it may not stand beside (checked below)
    )
    storage: StorageConfig = StorageConfig()
    key_vault: KeyVaultConfig = KeyVaultConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    container_registry: Optional[ContainerRegistryConfig] = None
    compute_instances: list[ComputeInstanceConfig] = []
    compute_clusters: list[ComputeClusterConfig] = []
    tags: dict[str, str] = {}
    access: Optional[AccessConfig] = None
    customer_managed_key: Optional[CustomerManagedKeyConfig] = None
    # true/false as before, or the workspace's own settings in the AVM `diagnosticSettings` shape
    diagnostics: bool | list[DiagnosticSettingConfig] = True

    _check_auth_mode = _enum(("AccessKey", "Identity", "UserDelegationSAS"), "system_datastores_auth_mode")
    private_endpoints: Optional[PrivateEndpointsConfig] = None
    managed_network_outbound_rules: dict[str, OutboundRuleConfig] = {}
    datastores: list[DatastoreConfig] = []
    environments: list[EnvironmentConfig] = []
    image_build_compute: Optional[str] = None  # `imageBuildCompute`: a compute of this workspace that builds images
    image_builds: Optional[Literal["Allowed", "Disabled"]] = (
        None  # the component decides: allowed exactly with a registry
    )
    budget: Optional[BudgetConfig] = None

    _check_name = _name_rule(naming.ML_WORKSPACE, "workspace_name")

    @field_validator("workspace_identity")
    @classmethod
    def _identity_alone(cls, value: Any, info: ValidationInfo) -> Any:
        """workspaceIdentity creates the primary identity and sets identity.type: an existing primary identity or an
        explicit type beside it would contradict it (both are declared before it, so they are in `info.data`)."""
        given = [
            to_camel(k) for k in ("primary_user_assigned_identity", "identity_type") if info.data.get(k) is not None
        ]
        if value is not None and given:
            raise ValueError(
                f"not beside {' and '.join(given)}: workspaceIdentity creates the primary identity and sets identity.type "
                "(UserAssigned, or SystemAssigned,UserAssigned with systemAssigned: true); remove one of them"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _no_cost_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        problems = _tag_problems(tags, COST_TAGS)
        if problems:
            raise ValueError("; ".join(problems))
        return tags

    @model_validator(mode="after")
    def _unique_compute_names(self) -> "WorkspaceConfig":
        names = [c.name.lower() for c in [*self.compute_instances, *self.compute_clusters]]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"compute names must be unique in a workspace: {', '.join(duplicates)}")
        return self


class StackConfig(_Model):
    """Everything under the `amlws:` namespace of a stack file."""

    environment: str = Field(pattern=r"^[a-z][a-z0-9]{1,9}$")
    name_seed: Optional[str] = Field(
        None, min_length=1, max_length=64
    )  # mixed into every name suffix (see README, Names)
    allow_unlisted_location: bool = False  # a region newer than amlws_rules/azure_values.py knows
    location_differs_from_provider: bool = False  # says so when `location` is not azure-native:location
    deployer_principal_type: Literal["ServicePrincipal", "User"] = (
        "ServicePrincipal"  # who runs `pulumi up` (CMK key grant)
    )
    location: str = Field(min_length=2)
    tags: dict[str, str]  # required: the owner tag is
    protect: bool = False
    shared: Optional[SharedConfig] = None
    network: Optional[NetworkConfig] = None
    self_serve: Optional[SelfServeConfig] = None
    workspaces: list[WorkspaceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_projects(self) -> "StackConfig":
        projects = [w.project for w in self.workspaces]
        duplicates = sorted({p for p in projects if projects.count(p) > 1})
        if duplicates:
            raise ValueError(f"each project may have one workspace per stack: {', '.join(duplicates)}")
        return self

    @field_validator("tags")
    @classmethod
    def _cost_allocation_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        if not tags.get("owner"):
            raise ValueError(
                "an owner tag is required: every resource carries project, environment and owner for cost allocation"
            )
        problems = _tag_problems(tags, (*COST_TAGS, "managed-by"))
        if problems:
            raise ValueError("; ".join(problems))
        return tags

    @field_validator("location")
    @classmethod
    def _known_region(cls, value: str, info: ValidationInfo) -> str:
        return value if info.data.get("allow_unlisted_location") else _region(value)

    @model_validator(mode="after")
    def _shared_or_own(self) -> "StackConfig":
        """A workspace may not also configure a resource the stack shares: which one would win is a guess."""
        if self.shared is None:
            return self
        problems = []
        for i, workspace in enumerate(self.workspaces):
            for field, key in (
                ("container_registry", "containerRegistry"),
                ("key_vault", "keyVault"),
                ("monitoring", "monitoring"),
                ("storage", "storage"),
            ):
                if getattr(self.shared, field) is not None and field in workspace.model_fields_set:
                    problems.append(
                        f"workspaces[{i}].{key} is set, but the stack shares one (amlws:shared.{key}); remove one of them"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _private_endpoints_need_network(self) -> "StackConfig":
        users = [
            (f"workspaces[{i}]", w.private_endpoints) for i, w in enumerate(self.workspaces) if w.private_endpoints
        ]
        if self.shared and self.shared.private_endpoints:
            users.append(("shared", self.shared.private_endpoints))
        if self.network is None and users:
            raise ValueError(
                "private endpoints need amlws:network.virtualNetworkId or amlws:network.virtualNetwork: their private DNS zones are linked to it"
            )
        created = self.network.virtual_network if self.network else None
        subnets = [s.name for s in created.subnets] if created else None
        problems = [
            f"{where}.privateEndpoints.subnetName {pe.subnet_name!r} is not a subnet of amlws:network.virtualNetwork ({', '.join(subnets)})"
            for where, pe in users
            if subnets is not None and pe.subnet_name is not None and pe.subnet_name not in subnets
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self


# Why a required setting is required, where the reason is not obvious.
MISSING_WHY = {"assignedUserObjectId": f" ({UNASSIGNED_INSTANCE})"}


def _key_path(loc: tuple[Any, ...]) -> str:
    """(`workspaces`, 0, `computeClusters`, 1, `maxNodeCount`) -> `amlws:workspaces[0].computeClusters[1].maxNodeCount`."""
    path = f"{NAMESPACE}:"
    for i, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if i else "") + str(part)
    return path


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The config model that holds the last key of `loc` (camelCase keys, list indexes, dict keys)."""
    model: Any = StackConfig
    for part in loc[:-1]:
        if isinstance(part, int) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        fields = {to_camel(name): f for name, f in model.model_fields.items()}
        field = fields.get(str(part)) or model.model_fields.get(str(part))
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """StorageConfig in Optional[StorageConfig], list[DatastoreConfig], dict[str, OutboundRuleConfig]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    """` (did you mean maxNodeCount?)` for a key close to one the section knows (its snake_case twin too)."""
    model = _model_at(loc)
    if model is None:
        return " (misspelt?)"
    known = sorted(to_camel(name) for name in model.model_fields)
    given = str(loc[-1])
    twin = to_camel(given) if "_" in given else None
    close = [twin] if twin in known else difflib.get_close_matches(given, known, n=2, cutoff=0.6)
    if close:
        return f" (did you mean {' or '.join(close)}?)"
    return f"; this section's settings are {', '.join(known)}"


def _shown(value: Any) -> str:
    """A value as the stack file wrote it: JSON, unicode kept as written (not \\u escapes)."""
    return json.dumps(value, default=str, ensure_ascii=False)


def _describe(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"{_key_path(error['loc'])}: unknown setting{_did_you_mean(tuple(error['loc']))}"
    if error["type"] == "missing":
        why = MISSING_WHY.get(str(error["loc"][-1]), "")
        return f"{_key_path(error['loc'])}: required setting is missing{why}"
    if not error["loc"]:
        return f"{NAMESPACE}: {message}"
    value = error.get("input")
    if isinstance(value, (dict, list)) and len(value) > 2 and error["type"] == "value_error":
        # A rule across a section's keys names the keys it is about: not the whole section.
        return f"{_key_path(error['loc'])}: {message}"
    return f"{_key_path(error['loc'])} = {_shown(error.get('input'))}: {message}"


_TOP_LEVEL_BOOLS = {to_camel(name) for name, field in StackConfig.model_fields.items() if field.annotation is bool}


def _parse(key: str, value: Any) -> Any:
    """Pulumi hands structured config to programs as JSON text, and top-level scalars as strings: a
    top-level boolean arrives as "true"/"false" and is read as one; nothing else is coerced."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if key in _TOP_LEVEL_BOOLS and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _location_problems(config: StackConfig, provider_location: str | None) -> list[str]:
    """`amlws:location` is where everything goes; a different `azure-native:location` (the provider's default
    for resources that name none) is most often a stack file copied from another region."""
    if (
        not provider_location
        or config.location_differs_from_provider
        or region_name(provider_location) == region_name(config.location)
    ):
        return []
    return [
        f"{NAMESPACE}:location = {json.dumps(config.location)}: differs from azure-native:location = {json.dumps(provider_location)}; "
        f"make them the same region, or set {NAMESPACE}:locationDiffersFromProvider: true if you mean it"
    ]


def parse_stack_config(raw: dict[str, Any], stack_file: str, provider_location: str | None = None) -> StackConfig:
    """Validate raw `amlws:` settings (keys without the namespace) and the provider's region. Raises StackConfigError."""
    try:
        config = StackConfig.model_validate({k: _parse(k, v) for k, v in raw.items()})
    except ValidationError as err:
        raise StackConfigError(stack_file, [_describe(e) for e in err.errors(include_url=False)]) from None
    problems = _location_problems(config, provider_location)
    if problems:
        raise StackConfigError(stack_file, problems)
    return config


def read_stack_config() -> StackConfig:
    """Read every `amlws:` key the engine passed to this program and validate it."""
    from pulumi.runtime import config as runtime_config

    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    raw = {k.split(":", 1)[1]: v for k, v in merged.items() if k.startswith(f"{NAMESPACE}:")}
    return parse_stack_config(raw, f"Pulumi.{pulumi.get_stack()}.yaml", merged.get("azure-native:location"))
