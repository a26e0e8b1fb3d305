"""The pieces every stack config model is built from: the strict camelCase base, sections derived from the
component Args TypedDicts, and the reusable field validators (ARM enums, names, ARM IDs of a type, "not beside an
existing ID", regions, tags, group IDs).
"""

from __future__ import annotations

import collections.abc
import types
import typing
from typing import TYPE_CHECKING, Annotated, Any, Literal, Mapping, Optional, Union, get_args, get_origin

import pulumi
import typing_extensions
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator
from pydantic.alias_generators import to_camel
from pydantic.config import JsonDict

from amlws.components.schema import args_hints
from amlws_rules import arm, is_guid, naming
from amlws_rules.azure_values import is_azure_region, one_of_ignoring_case
from amlws_rules.tags import tag_name_problem, tag_set_problems, tag_value_problem

NAMESPACE = "amlws"
COMPONENT_DEFAULT = "componentDefault"  # marks a derived field left to the component's default when unset
ARGS_FIELD = "argsField"  # `WorkspaceStorageArgs.sku_name`: the Args field a derived field mirrors (its docstring)

Access = Literal["Enabled", "Disabled"]
NetworkDefaultAction = Literal["Allow", "Deny"]
IsolationMode = Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]


class StackModel(BaseModel):
    # strict: `maxNodeCount: true` or `amount: "100"` is refused, never coerced into something else.
    # defer_build: validators are built when first used (StackConfig's includes every section's), not once
    # per class at import: the same validation, about 15 ms less per command.
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True, strict=True, defer_build=True
    )


# A model the stack program also dumps on its own (`model_dump`) is built at import instead. A deferred model's first
# dump generates its whole schema again, although validating StackConfig generated it inside (25-46 ms for
# WorkspaceConfig), while StackConfig's schema reuses one built at import: each is generated once.
DUMPED_ON_ITS_OWN = ConfigDict(defer_build=False)


class ArgsSection(StackModel):
    """A stack section derived from a component's Args TypedDict (`args_section`): its fields are made at
    import from the Args' annotations, so the type checker sees them only as attributes of unknown type."""

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...


def _value_members(members: tuple[Any, ...]) -> list[Any]:
    """`pulumi.Input[T]` is `Union[T, Awaitable[T], Output[T]]`: a stack file holds only the T."""
    return [
        m for m in members if m is not pulumi.Output and get_origin(m) not in (pulumi.Output, collections.abc.Awaitable)
    ]


def stack_type(hint: Any, key: str) -> Any:
    """The stack-file type of an Args annotation. A nested TypedDict has a stack model of its own, which
    the section names explicitly (a missing one is an error at import, never a silently untyped field)."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = _value_members(get_args(hint))
        hint = members[0] if len(members) == 1 else Union[tuple(members)]
        origin = get_origin(hint)
    nested = [a for a in get_args(hint) if typing_extensions.is_typeddict(a)]
    if typing_extensions.is_typeddict(hint) or nested:
        raise TypeError(f"{key}: give the stack model for {hint} (args_section types=...)")
    return hint


def args_section(
    args_type: type,
    *,
    omit: tuple[str, ...] = (),
    types: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    base: type[ArgsSection] = ArgsSection,
) -> type[ArgsSection]:
    """A stack model with the fields of `args_type` (snake_case in the Args, camelCase in the stack file).

    `omit`: Args fields the stack sets itself (resource group, tags, protection, ...) and are no stack setting.
    `types`: stricter stack-file types (ARM enums as Literals, ranges, patterns) or a nested section's model.
    `defaults`: values for NotRequired fields the stack fills in; every other NotRequired field is None when
    left out, so the component applies its own default (components/defaults.py) and nothing restates it.
    Fields named `existing_*` come first: the "not beside an existing ID" validators see them (pydantic
    validates fields in order). `base` holds stack-only fields that come before the derived ones.
    """
    types, defaults = types or {}, defaults or {}
    hints = args_hints(args_type)
    unknown = (set(types) | set(defaults)) - set(hints)  # `omit` may name placement a section lacks
    if unknown:
        raise TypeError(f"{args_type.__name__} has no field {', '.join(sorted(unknown))}")
    required = getattr(args_type, "__required_keys__", frozenset())
    keys = sorted((k for k in hints if k not in omit), key=lambda k: not k.startswith("existing"))
    fields: dict[str, Any] = {}
    for key in keys:
        typ = types[key] if key in types else stack_type(hints[key], f"{args_type.__name__}.{key}")
        mirrors: JsonDict = {ARGS_FIELD: f"{args_type.__name__}.{key}"}
        if key in defaults:
            fields[key] = (typ, Field(defaults[key], json_schema_extra=mirrors))
        elif key in required:
            fields[key] = (typ, Field(..., json_schema_extra=mirrors))
        else:  # the component's default applies (the generated reference says so)
            fields[key] = (Optional[typ], Field(None, json_schema_extra={**mirrors, COMPONENT_DEFAULT: True}))
    name = args_type.__name__.removesuffix("Args").removesuffix("Settings") + "Section"
    return create_model(name, __base__=base, __doc__=args_type.__doc__, **fields)


def enum_check(allowed: tuple[str, ...], *fields: str) -> Any:
    """A validator for an ARM enum (compared without regard to case, as ARM does), naming what is allowed."""

    def check(cls: Any, value: str | None) -> str | None:
        if value is None:
            return None
        found = one_of_ignoring_case(value, allowed)
        if found is None:
            raise ValueError(f"Azure accepts one of {', '.join(allowed)}")
        return found

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]  # pydantic's decorator typing


def not_beside(existing: tuple[str, ...], *fields: str) -> Any:
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

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]  # pydantic's decorator typing


def name_check(rule: naming.NameRule, *fields: str) -> Any:
    """A validator that refuses a name breaking `rule`, quoting it (the same function the components use)."""

    def check(cls: Any, value: Optional[str]) -> Optional[str]:
        problem = None if value is None else naming.name_violation(rule, value)
        if problem:
            raise ValueError(problem)
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]  # pydantic's decorator typing


def arm_id_check(arm_type: str | None, *fields: str) -> Any:
    """A validator refusing anything but an ARM ID of `arm_type` (amlws_rules.arm, the parser the components use);
    a list field has each item checked. `arm_type` None: any resource in a resource group (an outbound rule's
    target). Keyed by field name, so it applies to the fields a section derives from the component Args."""

    def check(cls: Any, value: Any) -> Any:
        for one in value if isinstance(value, (list, tuple)) else [value]:
            problem = None if one is None else arm.arm_id_problem(one, arm_type)
            if problem:
                raise ValueError(problem)
        return value

    return field_validator(*fields)(classmethod(check))  # type: ignore[arg-type]  # pydantic's decorator typing


def region(value: str) -> str:
    if not is_azure_region(value):
        raise ValueError(
            'not an Azure region name (e.g. westeurope or "West Europe"); for a region newer than the list in '
            "amlws_rules/azure_values.py, set amlws:allowUnlistedLocation: true"
        )
    return value


COST_TAGS = ("project", "environment")  # set from the project and the stack: never from a tags map


def tag_problems(tags: dict[str, str], reserved: tuple[str, ...]) -> list[str]:
    """Cost tags are set for you; and Azure's limits on a set of tags (amlws_rules.tags: at most 50, names
    case-insensitive). Each tag's own name and value are checked by `Tags` below."""
    problems = [
        f"the tag {k!r} would override the mandatory cost tag {k.lower()!r}, which is set for you"
        for k in tags
        if k.lower() in reserved
    ]
    return problems + tag_set_problems(tags)


def _tag_name(name: str) -> str:
    problem = tag_name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


def _tag_value(value: str) -> str:
    problem = tag_value_problem("", value)
    if problem:
        raise ValueError(problem.removeprefix("tag '': "))
    return value


# A tags map whose every name and value Azure accepts (tag-resources, "Limitations"); an error names the tag
# (`amlws:tags.<name>`).
Tags = dict[Annotated[str, AfterValidator(_tag_name)], Annotated[str, AfterValidator(_tag_value)]]


def guids(values: list[str]) -> list[str]:
    bad = [v for v in values if not is_guid(v)]
    if bad:
        raise ValueError(f"Microsoft Entra object IDs are GUIDs: {', '.join(map(str, bad))}")
    if not values:
        raise ValueError("list at least one Microsoft Entra group object ID, or leave the setting out")
    return values


def optional_guids(values: list[str] | None) -> list[str] | None:
    return None if values is None else guids(values)


GroupIds = list[str]
