"""Existence checks for resources a user brings by ID, run while planning, before anything is declared.

A resource that does not exist must fail the deployment at the start, naming the setting, not halfway
through when the workspace is created against it. Azure answers a missing resource with a
`...NotFound` error (or a 404); anything else (no credentials, a throttled API) is not evidence that
the resource is missing, and is re-raised as it is.

Answers are kept only where the caller asks for it: a `Lookups` the caller makes and passes in (the stack
program makes one per run, so two workspaces naming the same existing storage account ask Azure once; a
component makes its own for one construction). Nothing is remembered behind the caller's back.
"""

from typing import Any, Callable, Generic, Mapping, NamedTuple, TypeVar

import pulumi

from amlws_rules import parse_arm_id

from ._common import ComponentInputError

T = TypeVar("T")
Found = TypeVar("Found")
Section = TypeVar("Section", bound=Mapping[str, Any])

_NOT_FOUND_MARKERS = ("notfound", "not found", "was not found", "could not be found", "404")


class Lookups:
    """The answers of the lookups of one run, owned by whoever made it (the stack program, a component):
    the same question (a resource type and ID, any letter case) is put to Azure once."""

    def __init__(self) -> None:
        self._answers: dict[str, Any] = {}

    def answer(self, key: str, compute: Callable[[], Any]) -> Any:
        """The earlier answer to `key`, else `compute()` (kept only when it returns: a refusal is not kept)."""
        if key.lower() not in self._answers:
            self._answers[key.lower()] = compute()
        return self._answers[key.lower()]


def is_not_found(err: BaseException) -> bool:
    text = str(err).lower()
    return any(marker in text for marker in _NOT_FOUND_MARKERS)


def lookup_existing(
    component: str,
    setting: str,
    resource_id: str,
    arm_type: str,
    invoke: Callable[[str, str], Any],
    lookups: Lookups | None = None,
) -> Any:
    """Parse `resource_id`, then `invoke(name, resource_group_name)` (answered by `lookups` when it was asked
    before); a missing resource is a ComponentInputError."""
    try:
        arm = parse_arm_id(resource_id, arm_type)
    except ValueError as err:
        raise ComponentInputError(component, setting, resource_id, str(err)) from None

    def fetch() -> Any:
        try:
            return invoke(arm.name, arm.group)
        except Exception as err:  # the engine reports invoke failures as plain exceptions
            if is_not_found(err):
                raise ComponentInputError(
                    component, setting, resource_id, f"no such {arm_type} exists ({err})"
                ) from None
            if getattr(err, "names_setting", False):  # the offline preview has no fixture: name the setting
                raise ComponentInputError(component, setting, resource_id, str(err)) from None
            raise

    return (lookups or Lookups()).answer(f"{arm_type}|{resource_id}", fetch)


def probe(key: str, invoke: Callable[[], Any], lookups: Lookups | None = None) -> Any | None:
    """The current state of a resource that may not exist yet (None when Azure says it does not)."""

    def fetch() -> Any | None:
        try:
            return invoke()
        except Exception as err:
            if is_not_found(err):
                return None
            raise

    return (lookups or Lookups()).answer(f"probe|{key}", fetch)


def check_when_known(
    component: str,
    setting: str,
    value: pulumi.Input[str],
    arm_type: str,
    fetch: Callable[[str, str], pulumi.Output[Any]],
    judge: Callable[[str, Any], T],
) -> pulumi.Output[T]:
    """An ID known only later (a StackReference output, an ID from another language's program), checked
    once it is known: parsed, looked up with `fetch(name, resource_group_name)` (an output-form invoke),
    then `judge(resource_id, found)`, which raises a ComponentInputError for a resource the component
    would refuse and otherwise returns what the caller needs (the ID, the lookup). That value resolves
    only after the check: feed it to the resource that uses it,
    so that resource waits, and a refusal fails the run before it is created. A preview that never
    learns the ID never runs the check (`pulumi up` does).
    """

    async def check(resource_id: str) -> T:
        try:
            arm = parse_arm_id(resource_id, arm_type)
        except ValueError as err:
            raise ComponentInputError(component, setting, resource_id, str(err)) from None
        try:
            found = await fetch(arm.name, arm.group).future()
        except Exception as err:  # the engine reports invoke failures as plain exceptions
            if is_not_found(err):
                raise ComponentInputError(
                    component, setting, resource_id, f"no such {arm_type} exists ({err})"
                ) from None
            raise
        return judge(resource_id, found)

    return pulumi.Output.from_input(value).apply(check)


class SectionPlan(NamedTuple, Generic[Found]):
    """A checked section of an account the workspace creates or brings by `existing_id` (its storage account, its
    key vault): what the lookup of a string `existing_id` found (None otherwise: an account to create, or an Output
    ID, whose facts come with the args or are checked once known). Everything else the component needs is read from
    its args, which may carry Outputs the plan never saw."""

    looked_up: Found | None


def plan_section(
    check: Callable[[Section, str, Lookups | None], Found | None],
    args: Section,
    component: str,
    lookups: Lookups | None = None,
) -> SectionPlan[Found]:
    """Created or found, checked once: `check` the section (its lookup of a string `existing_id` answered by
    `lookups`) and keep what that lookup found, so the component declares from it without asking again."""
    found = check(args, component, lookups)
    return SectionPlan(found if isinstance(args.get("existing_id"), str) else None)
