"""Small helpers every component shares."""

from typing import Any, Mapping

import pulumi

from amlws.declared import declaration_site
from amlws_rules.arm import arm_id_problem
from amlws_rules.naming import NameRule, name_violation
from amlws_rules.tags import tag_problems

# The workspace component's name, as its errors and warnings give it (its token is `amlws:index:<this>`).
WORKSPACE_COMPONENT = "MachineLearningWorkspace"

PACKAGE = "amlws"


def repr_without(record: Any, *hidden: str) -> str:
    """A plan record's repr (a NamedTuple's) with the fields `hidden` left out: a secret, or state that repeats
    the args."""
    shown = ", ".join(f"{k}={v!r}" for k, v in zip(record._fields, record) if k not in hidden)
    return f"{type(record).__name__}({shown})"


def token(name: str) -> str:
    """`amlws:index:Name`, the type token the Pulumi component guidelines ask for."""
    return f"{PACKAGE}:index:{name}"


def child(parent: pulumi.Resource, **options: Any) -> pulumi.ResourceOptions:
    """Options for a child: always parented to the component, never the caller's whole opts."""
    return pulumi.ResourceOptions(parent=parent, **options)


def merged_tags(*layers: Mapping[str, str] | None) -> dict[str, str]:
    """Later layers win; empty or missing layers are skipped."""
    tags: dict[str, str] = {}
    for layer in layers:
        if layer:
            tags.update(layer)
    return tags


def required(args: Mapping[str, Any], key: str, component: str) -> Any:
    """A key the validation made sure of (e.g. `resource_group_name` of a resource to create)."""
    if args.get(key) is None:
        raise ComponentInputError(component, key, None, "required")
    return args[key]


def inherited(
    section: Mapping[str, Any] | None, parent_args: Mapping[str, Any], *, protect: bool, tags: Mapping[str, str] | None
) -> dict[str, Any]:
    """A sub-component's args: the parent's resource group, region, protection and tags, then the
    section's own settings (its tags added to the parent's)."""
    merged: dict[str, Any] = {"resource_group_name": parent_args["resource_group_name"], "protect": protect}
    if "location" in parent_args:
        merged["location"] = parent_args["location"]
    if parent_args.get("lock") is not None:
        merged["lock"] = parent_args["lock"]  # AVM `lock`: the parent's lock covers the data resources it creates
    merged.update(section or {})
    merged["tags"] = merged_tags(tags, (section or {}).get("tags"))
    return merged


def unlocked(args: Mapping[str, Any]) -> dict[str, Any]:
    """`inherited` args without the parent's `lock`, for WorkspaceMonitoring: the parent's lock covers the
    resources that hold data (storage, key vault, registry), and WorkspaceMonitoring takes no `lock`."""
    return {k: v for k, v in args.items() if k != "lock"}


def check_name(component: str, setting: str, rule: NameRule, value: object) -> None:
    """Refuse a name the user gave that breaks its type's rule, quoting the rule (None: we name it)."""
    if value is None:
        return
    problem = name_violation(rule, value)
    if problem:
        raise ComponentInputError(component, setting, value, problem)


def default_seed(name: str) -> tuple[str, ...]:
    """What a component hashes into the suffix of a name it picks itself: the Pulumi project, the stack
    and the component's own name, all known offline, so preview and up agree (the stack passes names)."""
    return (pulumi.get_project(), pulumi.get_stack(), name)


def keep_earlier_name(given: object, name_property: str) -> list[str]:
    """`ignore_changes` for a name the component picks itself: a resource an earlier version let
    azure-native autoname keeps that name instead of being replaced (a replaced vault, identity or
    Application Insights breaks the workspace that uses it). A name the user gives is always applied."""
    return [name_property] if given is None else []


def check_arm_id(component: str, setting: str, value: object, arm_type: str | None) -> None:
    """Refuse a string that is not an ARM ID of `arm_type` (amlws_rules.arm, the parser the stack config uses).
    An Output is a resource the program declares or reads elsewhere: unknown at plan time, left to Azure."""
    if isinstance(value, str):
        problem = arm_id_problem(value, arm_type)
        if problem:
            raise ComponentInputError(component, setting, value, problem)


def check_tags(component: str, setting: str, tags: object, *, storage_account: bool = False) -> None:
    """Refuse tags Azure refuses (amlws_rules.tags: the tag-resources page's limits) as they reach one resource."""
    if tags is None or isinstance(tags, pulumi.Output):
        return  # known only later: Azure checks it
    if isinstance(tags, Mapping):  # a value known only later is left to Azure; its name is checked
        tags = {k: "" if isinstance(v, pulumi.Output) else v for k, v in tags.items()}
    problems = tag_problems(tags, storage_account=storage_account)
    if problems:
        raise ComponentInputError(component, setting, tags, "; ".join(problems))


class ComponentInputError(ValueError):
    """A component input Azure would reject (or the docs forbid), raised before any resource exists.

    The message names the component, the input and the value so the caller can fix it without
    reading the traceback. `declared_at` is the (file, line) of the user's program that declared the
    component (None when the stack program did: then the stack file is where to look), `instance`
    the component's name; `located()` is the message with both, as `amlws preview` prints it.
    """

    def __init__(self, component: str, setting: str, value: Any, problem: str, *, instance: str | None = None):
        self.component = component
        self.setting = setting
        self.value = value
        self.problem = problem
        site, found_instance = declaration_site()
        self.declared_at = site
        self.instance = instance if instance is not None else found_instance
        # A checker that knows the instance (components/schema.py) names it in the message itself.
        named = f"{component} {instance!r}" if instance is not None else component
        super().__init__(f"{named}: {setting}={value!r}: {problem}")

    def located(self) -> str:
        """`/path/__main__.py:12: MachineLearningWorkspace vision: storage.sku_name='Premium_LRS': ...`"""
        who = f"{self.component} {self.instance}" if self.instance else self.component
        text = f"{who}: {self.setting}={self.value!r}: {self.problem}"
        return f"{self.declared_at[0]}:{self.declared_at[1]}: {text}" if self.declared_at else text
