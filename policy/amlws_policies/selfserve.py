"""Image builds under control, and self-serve zones that carry their Azure Policy assignments.

Both are stack policies that read only what a first preview knows: a value that is still unknown
(an ID Azure assigns) is looked up through property dependencies instead, and never aborts the policy.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from pulumi_policy.proxy import UnknownValueError

from amlws_rules import is_type, role_guid
from amlws_rules import selfserve as rules

from .base import stack_policy

UNKNOWN = object()
ZONE_TYPE = "amlws:index:SelfServeZone"


def _read(props: Any, path: str) -> Any:
    """`a.b` from a (proxied) property bag: None when absent, UNKNOWN when not known yet."""
    value = props
    try:
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
    except UnknownValueError:
        return UNKNOWN
    return value


def _deps(resource: Any, prop: str) -> list[Any]:
    return list(resource.property_dependencies.get(prop, []) or [])


def _has_registry(ws: Any) -> bool:
    """A registry ID given, still unknown (one the stack creates), or wired by property dependency."""
    value = _read(ws.props, "containerRegistry")
    return value is UNKNOWN or bool(value) or bool(_deps(ws, "containerRegistry"))


def _scopes_workspace(assignment: Any, ws: Any) -> bool:
    """Is the assignment's scope the workspace, or a resource group or subscription that contains it?"""
    if any(dep.urn == ws.urn for dep in _deps(assignment, "scope")):
        return True
    scope = _read(assignment.props, "scope")
    if not isinstance(scope, str):
        return False
    scope = scope.lower().rstrip("/")
    name, group = _read(ws.props, "workspaceName"), _read(ws.props, "resourceGroupName")
    if isinstance(name, str) and scope.endswith(
        f"/providers/microsoft.machinelearningservices/workspaces/{name.lower()}"
    ):
        return True
    if isinstance(group, str) and scope.endswith(f"/resourcegroups/{group.lower()}"):
        return True
    return scope.count("/") == 2 and scope.startswith("/subscriptions/")


def _builds(assignment: Any, definitions: Mapping[str, Any]) -> str | None:
    """The role's name when the assignment's role may build environment images, else None."""
    for dep in _deps(assignment, "roleDefinitionId"):
        definition = definitions.get(dep.urn)
        if definition is not None:
            for permission in _read(definition.props, "permissions") or []:
                if role_grants_build(permission):
                    return str(_read(definition.props, "roleName") or definition.name)
    role = _read(assignment.props, "roleDefinitionId")
    if isinstance(role, str):
        return rules.BUILTIN_ROLES_THAT_BUILD.get(role_guid(role))
    return None


def role_grants_build(permission: Any) -> bool:
    actions = _read(permission, "actions")
    not_actions = _read(permission, "notActions")
    if actions is UNKNOWN or not_actions is UNKNOWN:
        return False
    return rules.role_grants(actions or [], not_actions or [], rules.OP_ENVIRONMENT_BUILD)


def _image_builds_need_registry(args: Any, cfg: dict[str, Any], report: Any) -> None:
    if not cfg["tagEnforcing"]:
        return
    resources = list(args.resources)
    definitions = {r.urn: r for r in resources if is_type(r.resource_type, "authorization", "RoleDefinition")}
    assignments = [r for r in resources if is_type(r.resource_type, "authorization", "RoleAssignment")]
    for ws in resources:
        if not is_type(ws.resource_type, "machinelearningservices", "Workspace") or _has_registry(ws):
            continue
        for assignment in assignments:
            role = _builds(assignment, definitions) if _scopes_workspace(assignment, ws) else None
            if role is not None:
                report(
                    f"workspace {ws.name}: {role} (role assignment {assignment.name}) "
                    "may build environment images, but the workspace "
                    "has no container registry, so Azure ML would create an "
                    "untagged one on the first build, which a tag-enforcing "
                    "environment refuses. Give it a registry the stack creates "
                    "(containerRegistry), or set imageBuilds: Disabled.",
                    ws.urn,
                )
                break


def _zone_children(resources: Iterable[Any], zone: Any) -> list[Any]:
    return [r for r in resources if r.parent is not None and r.parent.urn == zone.urn]


def _zone_governed(args: Any, cfg: dict[str, Any], report: Any) -> None:
    resources = list(args.resources)
    wanted_effect = str(cfg["effect"])
    required = set(cfg["requiredRules"])
    for zone in resources:
        if zone.resource_type != ZONE_TYPE:
            continue
        found: set[str] = set()
        for assignment in _zone_children(resources, zone):
            if not is_type(assignment.resource_type, "authorization", "PolicyAssignment"):
                continue
            kind = _read(assignment.props, "metadata.amlwsRule")
            kind = kind if isinstance(kind, str) else assignment.name
            found.add(kind)
            effect = _read(assignment.props, "parameters.effect.value")
            if effect is not UNKNOWN and str(effect).lower() != wanted_effect.lower():
                report(
                    f"self-serve zone {zone.name}: assignment {assignment.name} ({kind}) "
                    f"has effect {effect!r}; this environment needs {wanted_effect!r}",
                    zone.urn,
                )
            mode = _read(assignment.props, "enforcementMode")
            if mode not in (None, UNKNOWN, "Default"):
                report(
                    f"self-serve zone {zone.name}: assignment {assignment.name} ({kind}) "
                    f"has enforcementMode {mode!r}, so nothing is enforced; use 'Default'",
                    zone.urn,
                )
        missing = sorted(required - found)
        if missing:
            report(f"self-serve zone {zone.name}: no policy assignment for {', '.join(missing)}", zone.urn)


SELF_SERVE_POLICIES = [
    stack_policy(
        "workspace-image-builds-need-registry",
        "A workspace where someone may build environment images has a container registry the stack created, with tags: "
        "Azure ML otherwise creates an untagged one on the first build, which tag-enforcing subscriptions refuse. "
        "Anchor: the workspace docs (concept-workspace), 'Use Azure "
        "RBAC to prevent customer docker containers from being built'.",
        _image_builds_need_registry,
        {
            "tagEnforcing": {
                "type": "boolean",
                "default": True,
                "description": "This environment enforces tags (Azure Policy deny on untagged resources).",
            }
        },
    ),
    stack_policy(
        "self-serve-zone-governed",
        "A self-serve zone assigns its Azure Policy rules (approved "
        "resources, required tags, the relevant built-ins) at its "
        "resource group, enforced, with the effect the environment needs (Deny where locked down, Audit in dev). "
        "Anchors: Azure Policy 438c38d2, 6ddb1705, e96a9a5f; the workspace docs' 'Enable self-serve'.",
        _zone_governed,
        {
            "effect": {
                "type": "string",
                "enum": ["Deny", "Audit"],
                "default": "Deny",
                "description": "The effect every assignment must have.",
            },
            "requiredRules": {
                "type": "array",
                "items": {"type": "string"},
                "default": sorted(rules.required_rule_kinds()),
                "description": "Rule kinds (assignment metadata amlwsRule) every zone must assign.",
            },
        },
    ),
]

__all__ = ["SELF_SERVE_POLICIES"]
