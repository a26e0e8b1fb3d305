"""Building blocks: a resource policy from a check function, config with schema defaults, and
errors that name the policy instead of surfacing as an anonymous gRPC failure."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError, _is_unknown

from amlws_rules import get_path, is_any_type, is_type, with_aliases

Check = Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[str]]


class PolicyRaised(RuntimeError):
    """A policy's own code failed: reported as an error naming the policy, never as a pass."""


def config_with_defaults(schema: Mapping[str, Mapping[str, Any]], given: Mapping[str, Any] | None) -> dict[str, Any]:
    """The CLI merges schema defaults into policy config; the Python SDK does not, so we do it here too."""
    merged = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
    merged.update(given or {})
    return merged


def _config_schema(properties: Mapping[str, Mapping[str, Any]]) -> PolicyConfigSchema | None:
    return PolicyConfigSchema(properties={k: dict(v) for k, v in properties.items()}) if properties else None


def _guard(name: str, fn: Callable[..., None]) -> Callable[..., None]:
    def guarded(args: Any, report: ReportViolation) -> None:
        try:
            fn(args, report)
        except UnknownValueError:
            raise  # the SDK turns this into "can't run policy during preview"
        except Exception as err:  # noqa: BLE001 - re-raised with the policy's name
            raise PolicyRaised(f"policy {name!r} raised {type(err).__name__}: {err}") from err

    return guarded


def resource_policy(
    name: str,
    description: str,
    types: Iterable[tuple[str, str]],
    check: Callable[..., Iterable[str]],
    schema: Mapping[str, Mapping[str, Any]] | None = None,
    level: EnforcementLevel = EnforcementLevel.MANDATORY,
    with_type: bool = False,
) -> ResourceValidationPolicy:
    """A policy over resources of `types` ((module, Name), any API version): one violation per message.
    With `with_type`, the check is called as `check(resource_type, props, config)`."""
    wanted = with_aliases(types)
    properties = dict(schema or {})

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if not is_any_type(args.resource_type, wanted):
            return
        config = config_with_defaults(properties, args.get_config())
        found = check(args.resource_type, args.props, config) if with_type else check(args.props, config)
        for message in found:
            report(message, None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=_guard(name, validate),
        enforcement_level=level,
        config_schema=_config_schema(properties),
    )


def stack_policy(
    name: str,
    description: str,
    check: Callable[[StackValidationArgs, dict[str, Any], ReportViolation], None],
    schema: Mapping[str, Mapping[str, Any]] | None = None,
    level: EnforcementLevel = EnforcementLevel.MANDATORY,
) -> StackValidationPolicy:
    properties = dict(schema or {})

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        check(args, config_with_defaults(properties, args.get_config()), report)

    return StackValidationPolicy(
        name=name,
        description=description,
        validate=_guard(name, validate),
        enforcement_level=level,
        config_schema=_config_schema(properties),
    )


get = get_path  # short name for the checks


class _Unknown:
    """A value computed by the provider and not known yet (a first `pulumi preview`)."""

    def __repr__(self) -> str:
        return "<unknown during preview>"

    def __bool__(self) -> bool:
        return True  # an unknown reference is a reference: it will be set


UNKNOWN = _Unknown()


def peek(props: Any, path: str) -> Any:
    """`get(props, path)` that answers UNKNOWN instead of raising when the value is unknown.

    For matching resources (IDs, scopes, sinks) a policy must not read an unknown value through
    the SDK's proxy: that aborts the policy with "can't run policy during preview".
    """
    try:
        value = get_path(props, path)
    except UnknownValueError:
        return UNKNOWN
    return UNKNOWN if _is_unknown(value) else value


def unset_by_program(props: Any, path: str) -> bool:
    """In a stack policy (outputs): is the whole object at `path` unknown, so the program never set it?

    In a first preview azure-native answers a create with `PreviewOutputs(inputs, response)`: every
    object the inputs hold is kept (its own unset fields computed), and every response property the
    inputs lack is computed as a whole (pulumi/pulumi-azure-native,
    provider/pkg/convert/previewOutputs.go; provider/pkg/provider/provider.go `Create`). So a whole
    unknown object (e.g. `managedNetwork`, `encryption`) is one the program left to Azure's default.
    """
    return peek(props, path) is UNKNOWN


def text(props: Any, path: str) -> str | None:
    """A known string value (lowercased for comparing IDs), else None."""
    value = peek(props, path)
    return value.lower() if isinstance(value, str) else None


def per_resource(items: Iterable[Any], check: Callable[[Any], None]) -> None:
    """Run `check` on each item; an unknown value costs only that item's verdict.

    Violations found on the other items are reported first; the first unknown is raised last, so
    the SDK still adds its advisory "can't run policy during preview" naming the value.
    """
    deferred: UnknownValueError | None = None
    for item in items:
        try:
            check(item)
        except UnknownValueError as err:
            deferred = deferred or err
    if deferred is not None:
        raise deferred


def of_type(resources: Iterable[Any], module: str, kind: str) -> list[Any]:
    return [r for r in resources if is_type(r.resource_type, module, kind)]


def refers_to(resource: Any, prop: str, target: Any, path: str | None = None) -> bool:
    """Does `resource`'s property `prop` point at `target`? By property dependency first (known in
    a preview), then by a known ID at `path` (default: `prop`) equal to the target's known ID."""
    if any(dep.urn == target.urn for dep in resource.property_dependencies.get(prop, [])):
        return True
    value, wanted = text(resource.props, path or prop), text(target.props, "id")
    return value is not None and wanted is not None and value == wanted


def when(condition: bool, message: str) -> list[str]:
    """[message] if the condition holds, else no finding: how a check states one rule."""
    return [message] if condition else []


def items(props: Any, path: str) -> list[Any]:
    """The items of a list property, each known value or UNKNOWN (never raising)."""
    value = peek(props, path)
    count = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else 0
    return [peek(props, f"{path}.{i}") for i in range(count)]


# The `required` flag of the "where required" policies: they cost money or need infrastructure the stack
# does not create, so each environment turns them on in its policy config.
REQUIRED = {"required": {"type": "boolean", "default": False, "description": "Enforce this rule in this environment."}}
