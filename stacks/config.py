"""Typed stack configuration, read from Pulumi config (`Pulumi.<stack>.yaml`, namespace `amlws`).

Every problem is reported together, each naming the stack file, the key path, the value and what is
allowed, and all of it happens before a single resource is declared.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, Optional

import pulumi
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from amlws_rules import cluster_scale_violations, idle_shutdown_violation, parse_duration, workspace_storage_violations

NAMESPACE = "amlws"

Access = Literal["Enabled", "Disabled"]


class StackConfigError(pulumi.RunError):
    """Bad stack configuration. A RunError, so `pulumi up` prints the message without a traceback."""

    def __init__(self, stack_file: str, problems: list[str]):
        self.stack_file = stack_file
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{stack_file}: invalid configuration:\n{lines}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True)


class StorageConfig(_Model):
    """The workspace's storage account: `existingId`, or the settings of a new one."""

    existing_id: Optional[str] = None
    sku_name: str = "Standard_LRS"
    kind: str = "StorageV2"
    is_hns_enabled: bool = False
    allow_shared_key_access: bool = False
    public_network_access: Access = "Enabled"
    network_default_action: Literal["Allow", "Deny"] = "Allow"

    @model_validator(mode="after")
    def _documented_rules(self) -> "StorageConfig":
        if self.existing_id is None:
            problems = workspace_storage_violations(kind=self.kind, sku_name=self.sku_name, is_hns_enabled=self.is_hns_enabled)
            if problems:
                raise ValueError(" ".join(p.message for p in problems))
        return self


class KeyVaultConfig(_Model):
    existing_id: Optional[str] = None
    sku_name: Literal["standard", "premium"] = "standard"
    enable_purge_protection: bool = True
    soft_delete_retention_in_days: int = Field(90, ge=7, le=90)
    public_network_access: Access = "Enabled"
    network_default_action: Literal["Allow", "Deny"] = "Allow"


class MonitoringConfig(_Model):
    existing_application_insights_id: Optional[str] = None
    existing_log_analytics_workspace_id: Optional[str] = None
    retention_in_days: int = Field(30, ge=30, le=730)
    disable_local_auth: bool = True
    public_network_access: Access = "Enabled"


class ContainerRegistryConfig(_Model):
    existing_id: Optional[str] = None
    sku_name: Literal["Basic", "Standard", "Premium"] = "Basic"
    public_network_access: Access = "Enabled"

    @model_validator(mode="after")
    def _premium_for_private(self) -> "ContainerRegistryConfig":
        if self.existing_id is None and self.public_network_access == "Disabled" and self.sku_name != "Premium":
            raise ValueError(f"only a Premium registry can disable public network access (skuName is {self.sku_name})")
        return self


class ComputeInstanceConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{2,23}$")
    vm_size: str
    idle_time_before_shutdown: str
    assigned_user_object_id: Optional[str] = None
    assigned_user_tenant_id: Optional[str] = None
    ssh_public_access: Access = "Disabled"
    ssh_admin_public_key: Optional[str] = None
    subnet_id: Optional[str] = None

    @field_validator("idle_time_before_shutdown")
    @classmethod
    def _idle_range(cls, value: str) -> str:
        problem = idle_shutdown_violation(value)
        if problem:
            raise ValueError(problem)
        return value


class ComputeClusterConfig(_Model):
    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{1,15}$")
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

    @model_validator(mode="after")
    def _scale(self) -> "ComputeClusterConfig":
        problems = cluster_scale_violations(self.min_node_count, self.max_node_count)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class WorkspaceConfig(_Model):
    """One project's workspace (the docs recommend a workspace per project)."""

    project: str = Field(pattern=r"^[a-z][a-z0-9-]{1,20}$")
    resource_group_name: Optional[str] = None
    friendly_name: Optional[str] = None
    description: Optional[str] = None
    public_network_access: Access = "Enabled"
    hbi_workspace: bool = False
    managed_network_isolation_mode: Optional[Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]] = None
    identity_type: Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"] = "SystemAssigned"
    user_assigned_identity_ids: Optional[list[str]] = None
    primary_user_assigned_identity: Optional[str] = None
    storage: StorageConfig = StorageConfig()
    key_vault: KeyVaultConfig = KeyVaultConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    container_registry: Optional[ContainerRegistryConfig] = None
    compute_instances: list[ComputeInstanceConfig] = []
    compute_clusters: list[ComputeClusterConfig] = []
    tags: dict[str, str] = {}

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
    location: str = Field(min_length=2)
    tags: dict[str, str] = {}
    protect: bool = False
    workspaces: list[WorkspaceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_projects(self) -> "StackConfig":
        projects = [w.project for w in self.workspaces]
        duplicates = sorted({p for p in projects if projects.count(p) > 1})
        if duplicates:
            raise ValueError(f"each project may have one workspace per stack: {', '.join(duplicates)}")
        return self


def _key_path(loc: tuple[Any, ...]) -> str:
    """(`workspaces`, 0, `computeClusters`, 1, `maxNodeCount`) -> `amlws:workspaces[0].computeClusters[1].maxNodeCount`."""
    path = f"{NAMESPACE}:"
    for i, part in enumerate(loc):
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if i else "") + str(part)
    return path


def _describe(error: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"{_key_path(error['loc'])}: unknown setting (misspelt?)"
    if error["type"] == "missing":
        return f"{_key_path(error['loc'])}: required setting is missing"
    return f"{_key_path(error['loc'])} = {json.dumps(error.get('input'), default=str)}: {message}"


def _parse(value: Any) -> Any:
    """Pulumi hands structured config to programs as JSON text; scalars stay strings for pydantic to coerce."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def parse_stack_config(raw: dict[str, Any], stack_file: str) -> StackConfig:
    """Validate raw `amlws:` settings (keys without the namespace). Raises StackConfigError."""
    try:
        return StackConfig.model_validate({k: _parse(v) for k, v in raw.items()})
    except ValidationError as err:
        raise StackConfigError(stack_file, [_describe(e) for e in err.errors(include_url=False)]) from None


def read_stack_config() -> StackConfig:
    """Read every `amlws:` key the engine passed to this program and validate it."""
    from pulumi.runtime import config as runtime_config

    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    raw = {k.split(":", 1)[1]: v for k, v in merged.items() if k.startswith(f"{NAMESPACE}:")}
    return parse_stack_config(raw, f"Pulumi.{pulumi.get_stack()}.yaml")
