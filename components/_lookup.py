"""Existence checks for resources a user brings by ID, run before anything is declared.

A resource that does not exist must fail the deployment at the start, naming the setting, not halfway
through when the workspace is created against it. Azure answers a missing resource with a
`...NotFound` error (or a 404); anything else (no credentials, a throttled API) is not evidence that
the resource is missing, and is re-raised as it is.
"""


import weakref
from typing import Any, Callable

import pulumi

from amlws_rules import parse_arm_id

from ._common import ComponentInputError

_NOT_FOUND_MARKERS = ("notfound", "not found", "was not found", "could not be found", "404")

# One answer per resource per deployment, keyed weakly by the runtime's monitor (a new deployment
# or test never sees a stale answer): the preflight and the components ask for the same resources.
_answers: "weakref.WeakKeyDictionary[object, dict[str, Any]]" = weakref.WeakKeyDictionary()


def is_not_found(err: BaseException) -> bool:
    text = str(err).lower()
    return any(marker in text for marker in _NOT_FOUND_MARKERS)


def cached(key: str, compute: Callable[[], Any]) -> Any:
    monitor = pulumi.runtime.settings.get_monitor()
    cache = _answers.setdefault(monitor, {}) if monitor is not None else {}
    if key.lower() not in cache:
        cache[key.lower()] = compute()
    return cache[key.lower()]


def lookup_existing(component: str, setting: str, resource_id: str, arm_type: str, invoke: Callable[[str, str], Any]) -> Any:
    """Parse `resource_id`, then `invoke(name, resource_group_name)`; a missing resource is a ComponentInputError."""
    try:
        arm = parse_arm_id(resource_id, arm_type)
    except ValueError as err:
        raise ComponentInputError(component, setting, resource_id, str(err)) from None

    def fetch() -> Any:
        try:
            return invoke(arm.name, arm.resource_group_name)
        except Exception as err:  # the engine reports invoke failures as plain exceptions
            if is_not_found(err):
                raise ComponentInputError(component, setting, resource_id, f"no such {arm_type} exists ({err})") from None
            raise

    return cached(f"{arm_type}|{resource_id}", fetch)


def probe(key: str, invoke: Callable[[], Any]) -> Any | None:
    """The current state of a resource that may not exist yet (None when Azure says it does not)."""

    def fetch() -> Any | None:
        try:
            return invoke()
        except Exception as err:
            if is_not_found(err):
                return None
            raise

    return cached(f"probe|{key}", fetch)


# Outputs of components declared in this program, with what is known about the resource behind them.
# A workspace may be given the `id` Output of a storage account or key vault declared in the same
# program (a shared one); it cannot be looked up before it exists, so the component that created it
# vouches for it here. Any other Output is refused: it could be anything.
_declared: "weakref.WeakKeyDictionary[object, dict[int, tuple[object, dict[str, Any]]]]" = weakref.WeakKeyDictionary()


def remember(output: object, **facts: Any) -> None:
    monitor = pulumi.runtime.settings.get_monitor()
    if monitor is not None:
        _declared.setdefault(monitor, {})[id(output)] = (output, facts)


def recall(output: object) -> dict[str, Any] | None:
    monitor = pulumi.runtime.settings.get_monitor()
    entry = _declared.get(monitor, {}).get(id(output)) if monitor is not None else None
    return entry[1] if entry is not None and entry[0] is output else None


def require_known(component: str, setting: str, value: object, made_by: str) -> dict[str, Any]:
    """Facts about an Output ID, or a ComponentInputError saying what to pass instead."""
    facts = recall(value)
    if facts is None:
        raise ComponentInputError(
            component, setting, "<Output>",
            f"an Output here must be the `id` of a {made_by} declared in this program; "
            "pass any other resource's ID as a plain string so it can be looked up and checked",
        )
    return facts
