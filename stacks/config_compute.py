"""The stack sections of the compute features: compute instances and clusters, their schedules, setup
scripts, managed identities and serverless compute (derived from the component Args, like every section;
stacks/config.py offers them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

from amlws.components.compute import ComputeClusterSettings, ComputeInstanceSettings
from amlws.components.compute_features import (
    ComputeScheduleSettings,
    ManagedIdentitiesSettings,
    ScriptReferenceSettings,
    ServerlessComputeSettings,
    SetupScriptsSettings,
)
from amlws_rules import (
    cluster_scale_violations,
    idle_shutdown_violation,
    parse_duration,
)
from amlws_rules import arm
from amlws_rules.compute import MAX_NODE_COUNT, assigned_user_problem
from amlws_rules.vm_sizes import vm_size_problem

from .config_base import (
    Access,
    args_section,
    arm_id_check,
)


def _vm_size(*fields: str) -> Any:
    """A validator for `vmSize` against amlws_rules/vm_sizes.py (the components' rule), unless `allowUnlistedVmSize`
    (declared before `vmSize` in the Args, so it is in `info.data`) vouches for a newer size."""

    def check(cls: Any, value: str, info: ValidationInfo) -> str:
        problem = vm_size_problem(value, info.data.get("allow_unlisted_vm_size") is True)
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]  # pydantic's overloads


# The compute features: the component checks their values while planning (cron, time zone, script source, IDs),
# and its refusals name the stack key (program.config_problem).
class ComputeScheduleConfig(args_section(ComputeScheduleSettings)):
    """`schedules[]` of a compute instance, as ComputeScheduleSettings."""


class ScriptReferenceConfig(args_section(ScriptReferenceSettings)):
    """`creationScript` / `startupScript`, as ScriptReferenceSettings."""


class SetupScriptsConfig(
    args_section(
        SetupScriptsSettings, types={"creation_script": ScriptReferenceConfig, "startup_script": ScriptReferenceConfig}
    )
):
    """`setupScripts` of a compute instance, as SetupScriptsSettings."""


class ManagedIdentitiesConfig(args_section(ManagedIdentitiesSettings)):
    """AVM `managedIdentities` on a compute (`{}` asks for no identity, which is why it is not just left out)."""


class ServerlessComputeConfig(args_section(ServerlessComputeSettings)):
    """`serverlessCompute` of a workspace, as ServerlessComputeSettings."""


class ComputeInstanceConfig(
    args_section(
        ComputeInstanceSettings,
        omit=("enable_node_public_ip", "disable_local_auth"),
        types={
            "name": Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{2,23}$")],
            "ssh_public_access": Access,
            "schedules": list[ComputeScheduleConfig],
            "setup_scripts": SetupScriptsConfig,
            "managed_identities": ManagedIdentitiesConfig,
        },
    )
):
    _check_vm_size = _vm_size("vm_size")
    _check_subnet = arm_id_check(arm.SUBNET, "subnet_id")

    @field_validator("idle_time_before_shutdown")
    @classmethod
    def _idle_range(cls, value: str) -> str:
        problem = idle_shutdown_violation(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("assigned_user_object_id", "assigned_user_tenant_id")
    @classmethod
    def _assigned_user(cls, value: str | None, info: ValidationInfo) -> str | None:
        problem = assigned_user_problem(str(info.field_name), value)
        if problem:
            raise ValueError(problem)
        return value


class ComputeClusterConfig(
    args_section(
        ComputeClusterSettings,
        omit=("enable_node_public_ip", "disable_local_auth"),
        types={
            "name": Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{1,15}$")],
            "vm_priority": Literal["Dedicated", "LowPriority"],
            "managed_identities": ManagedIdentitiesConfig,
        },
    )
):
    @field_validator("node_idle_time_before_scale_down")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    _check_vm_size = _vm_size("vm_size")
    _check_subnet = arm_id_check(arm.SUBNET, "subnet_id")

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
