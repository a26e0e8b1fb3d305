"""One schema for component inputs: the `*Args` TypedDicts themselves, validated by pydantic.

`check_component_args` holds a caller's args to the same definitions the components are typed with, as
strictly as a stack file is held to its models: an unknown key is refused with a "did you mean" (its
snake_case twin when the caller wrote camelCase, as in a stack file), a value of the wrong type names its
key path, and a required key that is missing is named. Where an Args type is `pulumi.Input[...]` an
`Output` (or any awaitable) is accepted as it is: its value may be unknown until the resource behind it
exists, and the component's own checks look at it once it is known.

The TypedDicts are rebuilt for pydantic (it needs `typing_extensions.TypedDict` on Python 3.11) with
`pulumi.Input[T]` read as "T, or an Output/awaitable passed through"; everything else is validated as
declared, strictly (`"4"` is not an int, `1` is not a bool).
"""

from __future__ import annotations

import collections.abc
import difflib
import functools
import types
import typing
from typing import Any, Annotated, Mapping, Union, get_args, get_origin, get_type_hints, cast

import pulumi
import typing_extensions
from pydantic import ConfigDict, TypeAdapter, ValidationError, WrapValidator, with_config
from pydantic.alias_generators import to_camel, to_snake

from amlws_rules.compute import UNASSIGNED_INSTANCE

from ._common import ComponentInputError

# extra="forbid": nothing a user writes is silently ignored. strict: no coercion ("4" stays a str).
# arbitrary_types_allowed: Args may name SDK classes (a Resource, an Output) as values.
SCHEMA_CONFIG = ConfigDict(extra="forbid", strict=True, arbitrary_types_allowed=True)


def _unknown_at_preview(value: Any) -> bool:
    """An Output or another awaitable (what `pulumi.Input` allows besides the plain value)."""
    return isinstance(value, (pulumi.Output, collections.abc.Awaitable))


def _pass_unknown(value: Any, handler: Any) -> Any:
    return value if _unknown_at_preview(value) else handler(value)


_INPUT_MARK = WrapValidator(_pass_unknown)


def _is_input_union(members: tuple[Any, ...]) -> bool:
    """`pulumi.Input[T]` is `Union[T, Awaitable[T], Output[T]]`."""
    return any(get_origin(m) is pulumi.Output or m is pulumi.Output for m in members)


def _plain_members(members: tuple[Any, ...]) -> list[Any]:
    """The members of an Input union that are values (not Output/Awaitable)."""
    return [
        m for m in members if not (get_origin(m) in (pulumi.Output, collections.abc.Awaitable) or m in (pulumi.Output,))
    ]


def _union(members: list[Any]) -> Any:
    return members[0] if len(members) == 1 else Union[tuple(members)]


@functools.cache
def schema_type(hint: Any) -> Any:
    """The pydantic type for an Args annotation (see the module docstring)."""
    origin = get_origin(hint)
    if typing_extensions.is_typeddict(hint):
        return _schema_typeddict(hint)
    if origin in (typing.Union, types.UnionType):
        members = get_args(hint)
        if _is_input_union(members):
            plain = [schema_type(m) for m in _plain_members(members)]
            return Annotated[_union(plain), _INPUT_MARK]
        return _union([schema_type(m) for m in members])
    if origin in (list, collections.abc.Sequence):  # a Sequence stays one (a tuple is fine there)
        (item,) = get_args(hint) or (Any,)
        return cast(Any, origin)[schema_type(item)]
    if origin in (dict, collections.abc.Mapping):
        key, value = get_args(hint) or (str, Any)
        return cast(Any, origin)[schema_type(key), schema_type(value)]
    return hint  # str, int, bool, float, Literal[...], Any, an enum or another class: validated as declared


_PULUMI_OUTPUT_NAMES = dict(vars(pulumi.output))  # `Output`, and the `T` of "Output[T]"


@functools.cache
def args_hints(typed_dict: type) -> dict[str, Any]:
    """The field annotations of an Args TypedDict, evaluated (`pulumi.Input` names `Output` as a forward
    reference, resolved here), in declaration order."""
    return get_type_hints(typed_dict, localns=_PULUMI_OUTPUT_NAMES)


@functools.cache
def _schema_typeddict(typed_dict: type) -> Any:
    hints = args_hints(typed_dict)
    required = getattr(typed_dict, "__required_keys__", frozenset(hints))
    fields = {
        key: (schema_type(hint) if key in required else typing_extensions.NotRequired[schema_type(hint)])
        for key, hint in hints.items()
    }
    make_typeddict: Any = typing_extensions.TypedDict  # the functional form, with fields known only at runtime
    return with_config(SCHEMA_CONFIG)(make_typeddict(typed_dict.__name__, fields))


@functools.cache
def _adapter(args_type: type) -> TypeAdapter[Any]:
    """The whole Args type as one schema: what `given_value_errors` must agree with (and falls back to)."""
    return TypeAdapter(_schema_typeddict(args_type))


@functools.cache
def _value_adapter(hint: Any) -> TypeAdapter[Any]:
    """One annotation's schema, cached by annotation: the same `Input[str]` or `Literal[...]` recurs across
    sections and components and is built once."""
    typ = schema_type(hint)
    return TypeAdapter(typ) if typing_extensions.is_typeddict(typ) else TypeAdapter(typ, config=SCHEMA_CONFIG)


def _errors(adapter: TypeAdapter[Any], value: Any, loc: tuple[Any, ...]) -> list[dict[str, Any]]:
    try:
        adapter.validate_python(value)
    except ValidationError as err:
        return [{**e, "loc": (*loc, *e["loc"])} for e in err.errors(include_url=False)]
    return []


def _holds_typeddict(hint: Any) -> bool:
    return typing_extensions.is_typeddict(hint) or any(_holds_typeddict(a) for a in get_args(hint))


def given_value_errors(hint: Any, value: Any, loc: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """pydantic's errors for `value` against the Args annotation `hint`, built only for what was given.

    Validating the whole Args type at once generates the schema of every section and option, given or not
    (a tenth of a second per command for the stack program's components). This walks the given sections
    instead: a TypedDict given as a dict is checked key by key, a list or mapping of sections item by item,
    and every other value by its annotation's own cached schema. The errors are the ones the whole schema
    reports, in its order (declared fields, then unknown keys as given), with the same locations: a test
    holds the two to each other. Anything else (a section given as an Output, a union of sections) is
    validated by the annotation's whole schema."""
    plain = hint
    if get_origin(hint) in (typing.Union, types.UnionType):
        members = get_args(hint)
        if _is_input_union(members) and _unknown_at_preview(value):
            return []
        if value is None and type(None) in members:
            return []
        values = [m for m in _plain_members(members) if m is not type(None)]
        plain = values[0] if len(values) == 1 else hint
    if plain in (str, bool, int) and type(value) is plain:
        return []  # what the strict schema of str, bool or int accepts whole: no schema needed to say so
    origin = get_origin(plain)
    if typing_extensions.is_typeddict(plain) and type(value) is dict:
        return _typeddict_errors(plain, value, loc)
    if origin in (list, collections.abc.Sequence) and _holds_typeddict(plain):
        sequence = (list, tuple) if origin is collections.abc.Sequence else (list,)
        if type(value) in sequence:
            (item,) = get_args(plain)
            items = cast(collections.abc.Sequence[Any], value)  # a list (or a tuple where a Sequence is declared)
            return [e for i, one in enumerate(items) for e in given_value_errors(item, one, (*loc, i))]
    if origin in (dict, collections.abc.Mapping) and _holds_typeddict(plain) and type(value) is dict:
        key_hint, item = get_args(plain)
        if key_hint is str and all(type(k) is str for k in value):
            return [e for k, one in value.items() for e in given_value_errors(item, one, (*loc, k))]
    return _errors(_value_adapter(hint), value, loc)


def _typeddict_errors(typed_dict: Any, value: dict[Any, Any], loc: tuple[Any, ...]) -> list[dict[str, Any]]:
    hints = args_hints(typed_dict)
    required = getattr(typed_dict, "__required_keys__", frozenset(hints))
    errors: list[dict[str, Any]] = []
    for key, hint in hints.items():
        if key in value:
            errors += given_value_errors(hint, value[key], (*loc, key))
        elif key in required:
            errors.append({"type": "missing", "loc": (*loc, key), "msg": "Field required", "input": value})
    extra = [k for k in value if k not in hints]
    if any(type(k) is not str for k in extra):
        return _errors(_adapter(typed_dict), value, loc)  # pydantic's own word on a non-string key
    errors += [
        {"type": "extra_forbidden", "loc": (*loc, k), "msg": "Extra inputs are not permitted", "input": value[k]}
        for k in extra
    ]
    return errors


# Why a required setting is required, where the reason is not obvious (the stack file says the same).
MISSING_WHY = {"assigned_user_object_id": UNASSIGNED_INSTANCE}


def setting_path(loc: tuple[Any, ...]) -> str:
    """(`compute_clusters`, 0, `max_node_count`) -> `compute_clusters[0].max_node_count`."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _type_at(args_type: Any, loc: tuple[Any, ...]) -> Any:
    """The Args type found by walking `loc` from `args_type` (None where the walk leaves the schema)."""
    current: Any = args_type
    for part in loc:
        current = _strip(current)
        if typing_extensions.is_typeddict(current):
            current = args_hints(current).get(str(part))
        elif get_origin(current) in (list, collections.abc.Sequence, dict, collections.abc.Mapping):
            current = get_args(current)[-1] if get_args(current) else None
        else:
            return None
    return _strip(current)


def _strip(hint: Any) -> Any:
    """The value type inside `Input[...]` / `Optional[...]`, when there is exactly one."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        plain = [m for m in _plain_members(get_args(hint)) if m is not type(None)]
        if len(plain) == 1:
            return _strip(plain[0])
    return hint


def did_you_mean(key: str, allowed: list[str]) -> str | None:
    """The allowed key the user most likely meant: the snake_case twin of a camelCase key (and back),
    else the closest spelling."""
    for twin in (to_snake(key), to_camel(key)):
        if twin != key and twin in allowed:
            return twin
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key_problem(args_type: type, loc: tuple[Any, ...]) -> str:
    parent = _type_at(args_type, loc[:-1])
    allowed = list(args_hints(parent)) if typing_extensions.is_typeddict(parent) else []
    guess = did_you_mean(str(loc[-1]), allowed)
    hint = f"did you mean {guess!r}? " if guess else ""
    where = parent.__name__ if typing_extensions.is_typeddict(parent) else "this mapping"
    return f"unknown setting; {hint}{where} takes {', '.join(allowed)}"


def _problem(args_type: type, error: Mapping[str, Any]) -> tuple[str, Any, str]:
    """(key path, value, problem) of one pydantic error."""
    loc = tuple(error["loc"])
    path = setting_path(loc) or "(args)"
    if error["type"] == "extra_forbidden":
        return path, error.get("input"), _unknown_key_problem(args_type, loc)
    if error["type"] == "missing":
        why = MISSING_WHY.get(str(loc[-1]))
        return path, None, f"required: {why}" if why else "required"
    return path, error.get("input"), str(error["msg"]).removeprefix("Value error, ")


def check_component_args(component: str, instance_name: str, args: Any, args_type: type) -> None:
    """Hold `args` to `args_type` (a component's Args TypedDict), or raise ComponentInputError naming the
    component, the instance, the first problem's key path as written, its value and what is allowed; the
    others follow in the problem text, so one run shows every mistake."""
    errors = given_value_errors(args_type, args)
    if errors:
        problems = [_problem(args_type, e) for e in errors]
        setting, value, problem = problems[0]
        if len(problems) > 1:
            problem += "".join(f"; also {p[0]}={p[1]!r}: {p[2]}" for p in problems[1:])
        raise ComponentInputError(component, setting, value, problem, instance=instance_name) from None
