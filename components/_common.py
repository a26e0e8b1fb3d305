"""Small helpers every component shares."""


from typing import Any, Mapping

import pulumi

PACKAGE = "amlws"


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


def inherited(section: Mapping[str, Any] | None, parent_args: Mapping[str, Any], *, protect: bool, tags: Mapping[str, str] | None) -> dict[str, Any]:
    """A sub-component's args: the parent's resource group, region, protection and tags, then the
    section's own settings (its tags added to the parent's)."""
    merged: dict[str, Any] = {"resource_group_name": parent_args["resource_group_name"], "protect": protect}
    if "location" in parent_args:
        merged["location"] = parent_args["location"]
    merged.update(section or {})
    merged["tags"] = merged_tags(tags, (section or {}).get("tags"))
    return merged


class ComponentInputError(ValueError):
    """A component input Azure would reject (or the docs forbid), raised before any resource exists.

    The message names the component, the input and the value so the caller can fix it without
    reading the traceback.
    """

    def __init__(self, component: str, setting: str, value: Any, problem: str):
        self.component = component
        self.setting = setting
        self.value = value
        self.problem = problem
        super().__init__(f"{component}: {setting}={value!r}: {problem}")
