"""Typed stack configuration, read from Pulumi config (`Pulumi.<stack>.yaml`, namespace `amlws`).

Every problem is reported together, each naming the stack file, the key path, the value and what is
allowed, and all of it happens before a single resource is declared. The models live beside this module:
config_base (the strict camelCase base, derivation from the component Args, shared validators),
config_sections (the sections derived from the component Args, with config_compute, config_access and
config_network), config_models (the stack's own models, with config_budget).
This module reads the stack's settings and turns pydantic's errors into the stack file's messages.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any, Mapping, get_args

import pulumi
from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel

from amlws.stack_lines import config_position
from amlws_rules.azure_values import region_name
from amlws.components.schema import MISSING_WHY as COMPONENT_MISSING_WHY

from .kinds import hub_problems
from .config_base import COST_TAGS, NAMESPACE, Access, GroupIds, StackModel
from .config_access import AccessConfig, CustomRoleConfig
from .config_budget import BudgetConfig
from .config_compute import ComputeClusterConfig, ComputeInstanceConfig
from .config_models import StackConfig, WorkspaceConfig, cost_tags
from .config_shared import MachineLearningRegistryConfig, SelfServeConfig, SelfServeResourcesConfig, SharedConfig
from .config_network import (
    NetworkConfig,
    OutboundRuleConfig,
    PrivateEndpointsConfig,
    SubnetConfig,
    VirtualNetworkConfig,
)
from .config_sections import (
    ContainerRegistryConfig,
    CustomerManagedKeyConfig,
    DatastoreConfig,
    EnvironmentConfig,
    KeyVaultConfig,
    MonitoringConfig,
    StorageConfig,
    WorkspaceIdentityConfig,
)

__all__ = [
    "COST_TAGS",
    "NAMESPACE",
    "Access",
    "AccessConfig",
    "BudgetConfig",
    "ComputeClusterConfig",
    "ComputeInstanceConfig",
    "ContainerRegistryConfig",
    "CustomRoleConfig",
    "CustomerManagedKeyConfig",
    "DatastoreConfig",
    "EnvironmentConfig",
    "GroupIds",
    "KeyVaultConfig",
    "MachineLearningRegistryConfig",
    "MonitoringConfig",
    "NetworkConfig",
    "OutboundRuleConfig",
    "PrivateEndpointsConfig",
    "SelfServeConfig",
    "SelfServeResourcesConfig",
    "SharedConfig",
    "StackConfig",
    "StackConfigError",
    "StackModel",
    "StorageConfig",
    "SubnetConfig",
    "VirtualNetworkConfig",
    "WorkspaceConfig",
    "WorkspaceIdentityConfig",
    "cost_tags",
    "parse_stack_config",
    "read_stack_config",
]


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


# Why a required setting is required, where the reason is not obvious.
MISSING_WHY = {to_camel(key): f" ({why})" for key, why in COMPONENT_MISSING_WHY.items()}


def _key_path(loc: tuple[Any, ...]) -> str:
    """(`workspaces`, 0, `computeClusters`, 1, `maxNodeCount`)
    -> `amlws:workspaces[0].computeClusters[1].maxNodeCount`."""
    path = f"{NAMESPACE}:"
    for i, part in enumerate(loc):
        if part == "[key]" and i == len(loc) - 1:  # pydantic's marker of a mapping's key (a tag name)
            continue
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
        return f" (did you mean {' or '.join(c for c in close if c)}?)"
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
        f"{NAMESPACE}:location = {json.dumps(config.location)}: differs from azure-native:location = "
        f"{json.dumps(provider_location)}; "
        f"make them the same region, or set {NAMESPACE}:locationDiffersFromProvider: true if you mean it"
    ]


def parse_stack_config(raw: dict[str, Any], stack_file: str, provider_location: str | None = None) -> StackConfig:
    """Validate raw `amlws:` settings (keys without the namespace) and the provider's region.
    Raises StackConfigError."""
    try:
        config = StackConfig.model_validate({k: _parse(k, v) for k, v in raw.items()})
    except ValidationError as err:
        raise StackConfigError(stack_file, [_describe(e) for e in err.errors(include_url=False)]) from None
    problems = _location_problems(config, provider_location) + hub_problems(config)
    if problems:
        raise StackConfigError(stack_file, problems)
    return config


def read_stack_config() -> StackConfig:
    """Read every `amlws:` key the engine passed to this program and validate it."""
    from pulumi.runtime import config as runtime_config

    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    raw = {k.split(":", 1)[1]: v for k, v in merged.items() if k.startswith(f"{NAMESPACE}:")}
    return parse_stack_config(raw, f"Pulumi.{pulumi.get_stack()}.yaml", merged.get("azure-native:location"))
