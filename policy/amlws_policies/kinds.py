"""Policies for the workspace kinds, connections and role assignments (issues 20 and 22).

They judge the azure-native inputs (camelCase) the components send for Hub, Project and FeatureStore
workspaces, `WorkspaceConnection`s and `RoleAssignment`s. The rules themselves are plain functions in
amlws_rules (kinds, connections, privileged) that the components reuse; each description names its anchor.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from amlws_rules import is_type
from amlws_rules.connections import KEYLESS_AUTH_TYPES, connection_key_violation
from amlws_rules.kinds import (
    ASSOCIATED_RESOURCES,
    HUB_DOC,
    hub_network_violation,
    is_kind,
    project_hub_violation,
    project_violations,
)
from amlws_rules.privileged import PRIVILEGED_ROLES, principal_allowed, privileged_role_name

from .base import UNKNOWN, get, of_type, peek, per_resource, resource_policy, stack_policy, text

ML_WORKSPACE = [("machinelearningservices", "Workspace")]
ML_CONNECTION = [("machinelearningservices", "WorkspaceConnection")]
ML_NAMESPACE = "/providers/microsoft.machinelearningservices/workspaces/"


def _project(props, _cfg):
    # hubResourceId and the associated resources as the program set them; a value not known yet (a new
    # hub's ID in a first preview) is a reference that will be set.
    own = {prop: peek(props, prop) for prop in ASSOCIATED_RESOURCES}
    return project_violations(get(props, "kind"), peek(props, "hubResourceId"), own)


def _project_hub_kind(args: StackValidationArgs, _cfg: dict[str, Any], report: ReportViolation) -> None:
    workspaces = of_type(args.resources, "machinelearningservices", "Workspace")

    def hubs_of(project: PolicyResource) -> list[PolicyResource]:
        """The workspaces of the stack that the project's hubResourceId names: by property dependency (known in a
        first preview), else by a known ID."""
        found = [
            d
            for d in project.property_dependencies.get("hubResourceId", [])
            if is_type(d.resource_type, "machinelearningservices", "Workspace")
        ]
        wanted = text(project.props, "hubResourceId")
        if found or wanted is None:
            return found
        return [w for w in workspaces if text(w.props, "id") == wanted.rstrip("/")]

    def check(project: PolicyResource) -> None:
        if not is_kind(peek(project.props, "kind"), "Project"):
            return
        for hub in hubs_of(project):
            kind = peek(hub.props, "kind")
            if kind is UNKNOWN:
                raise _can_not_tell("kind")
            problem = project_hub_violation(hub.name, kind)
            if problem:
                report(f"project {project.name}: {problem}", project.urn)

    per_resource(workspaces, check)


def _hub_network(props, _cfg):
    kind = get(props, "kind")
    mode = get(props, "managedNetwork.isolationMode") if isinstance(kind, str) and kind.lower() == "hub" else None
    problem = hub_network_violation(kind, mode)
    return [problem] if problem else []


def _keyless_connection(props, cfg):
    problem = connection_key_violation(
        get(props, "properties.authType"), get(props, "properties.category"), cfg["allowKeyCategories"]
    )
    return [problem] if problem else []


# Privileged role assignments on a workspace or its resources ----------------------------------------------


def _can_not_tell(*path: str) -> UnknownValueError:
    return UnknownValueError(UNKNOWN_STRING_VALUE, list(path))


def _covered(workspaces: list[PolicyResource], resources: list[PolicyResource]) -> dict[str, tuple[str, str]]:
    """URN -> (what, workspace name) for the workspaces and the associated resources they name by dependency."""
    by_urn = {r.urn: r for r in resources}
    found: dict[str, tuple[str, str]] = {}
    for ws in workspaces:
        found[ws.urn] = ("workspace", ws.name)
        for prop in ASSOCIATED_RESOURCES:
            for dep in ws.property_dependencies.get(prop, []):
                if dep.urn in by_urn and not is_type(dep.resource_type, "machinelearningservices", "Workspace"):
                    found.setdefault(dep.urn, (f"the {prop} of workspace", ws.name))
    return found


def _known_ids(workspaces: list[PolicyResource], covered: dict[str, tuple[str, str]], resources) -> dict[str, str]:
    """Lower-case known ARM IDs -> what they are: the workspaces', their associated resources' (in the stack or
    existing ones named by a known ID)."""
    ids: dict[str, str] = {}
    for r in resources:
        if r.urn in covered and text(r.props, "id"):
            what, ws = covered[r.urn]
            ids[text(r.props, "id") or ""] = f"{what} {ws}" if what != "workspace" else f"workspace {ws}"
    for ws in workspaces:
        for prop in ASSOCIATED_RESOURCES:
            value = text(ws.props, prop)
            if value and value.startswith("/subscriptions/"):
                ids.setdefault(value.rstrip("/"), f"the {prop} of workspace {ws.name}")
    return ids


def _scope_covers(assignment: PolicyResource, covered, ids: dict[str, str], workspaces) -> str | None:
    """What of a workspace the assignment's scope is (the workspace, a resource under it, or one of its
    associated resources); None when none. By property dependency first (known in a first preview)."""
    for dep in assignment.property_dependencies.get("scope", []):
        if dep.urn in covered:
            what, ws = covered[dep.urn]
            return f"workspace {ws}" if what == "workspace" else f"{what} {ws}"
    scope = peek(assignment.props, "scope")
    if scope is UNKNOWN:
        if assignment.property_dependencies.get("scope"):
            return None  # computed from resources that are not a workspace or its associated resources
        raise _can_not_tell("scope")
    if not isinstance(scope, str):
        return None
    scope = scope.lower().rstrip("/")
    for known, what in ids.items():
        if scope == known or scope.startswith(known + "/"):
            return what
    if ML_NAMESPACE in scope:
        name = scope.split(ML_NAMESPACE, 1)[1].split("/", 1)[0]
        for ws in workspaces:
            if name == (text(ws.props, "workspaceName") or text(ws.props, "name")):
                return f"workspace {ws.name}"
        return f"workspace {name}"  # a workspace outside the stack is a workspace too
    return None


def _privileged_roles(args: StackValidationArgs, cfg: dict[str, Any], report: ReportViolation) -> None:
    resources = list(args.resources)
    workspaces = of_type(resources, "machinelearningservices", "Workspace")
    covered = _covered(workspaces, resources)
    ids = _known_ids(workspaces, covered, resources)
    allowed = [str(p) for p in cfg["allowedPrincipalIds"]]

    def check(assignment: PolicyResource) -> None:
        # A built-in role's ID is a constant (with the subscription's ID, known in a preview); one computed from
        # a resource of the stack is a custom role the stack defines: custom-role-not-subscription-owner judges it.
        role = privileged_role_name(peek(assignment.props, "roleDefinitionId"))
        if role is None:
            return
        where = _scope_covers(assignment, covered, ids, workspaces)
        if where is None:
            return
        principal = peek(assignment.props, "principalId")
        if allowed and principal is UNKNOWN:
            raise _can_not_tell("principalId")
        if principal_allowed(principal, allowed):
            return
        shown = "a principal not known yet" if principal is UNKNOWN else f"principal {principal}"
        report(
            f"role assignment {assignment.name} grants {role} on {where} to {shown}: a privileged role can grant "
            "access to others; grant a narrower role, or list the principal in allowedPrincipalIds",
            assignment.urn,
        )

    per_resource(of_type(resources, "authorization", "RoleAssignment"), check)


KINDS_POLICIES = [
    resource_policy(
        "workspace-project-attached-to-hub",
        "A Project workspace (kind Project) names its hub in hubResourceId and declares no storage account, key vault, "
        "Application Insights or container registry of its own: the hub's are shared by all its projects. "
        f"Anchors: Azure ML docs, {HUB_DOC}; Azure Verified Module avm/res/machine-learning-services/workspace "
        "(hubResourceId required for kind Project).",
        ML_WORKSPACE,
        _project,
    ),
    stack_policy(
        "workspace-project-hub-is-a-hub",
        "The workspace a Project names in hubResourceId, where the stack declares it, is of kind Hub: only a hub "
        f"holds projects. Anchors: Azure ML docs, {HUB_DOC}; Azure Verified Module avm/res/machine-learning-services/"
        "workspace (hubResourceId: the resource ID of the hub).",
        _project_hub_kind,
    ),
    resource_policy(
        "workspace-connection-keyless",
        "Workspace connections authenticate without a stored key (authType "
        + ", ".join(KEYLESS_AUTH_TYPES)
        + "), unless the policy config allows keys for the connection's category (allowKeyCategories). "
        "Anchors: Azure ML docs, https://learn.microsoft.com/azure/machine-learning/how-to-connection (Microsoft "
        "Entra ID / identity-based connections); the spec's ConnectionAuthType (workspaceRP.json, 2025-12-01); "
        "Azure Policy 71ef260a (Azure AI Services resources should have key access disabled).",
        ML_CONNECTION,
        _keyless_connection,
        {
            "allowKeyCategories": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Connection categories (e.g. PythonFeed, Git) that may use a key-based authType.",
            }
        },
    ),
    resource_policy(
        "hub-managed-network-isolated",
        "A Hub workspace's managed network is isolated (isolationMode AllowInternetOutbound or "
        "AllowOnlyApprovedOutbound): its projects' compute and endpoints run in it. Anchors: Azure Policy 6ddb1705 "
        "(Azure Machine Learning and AI Studio should use Allow Only Approved Outbound Managed Vnet mode), "
        "Azure ML docs how-to-managed-network.",
        ML_WORKSPACE,
        _hub_network,
    ),
    stack_policy(
        "workspace-privileged-role-assignment",
        "No privileged role (" + ", ".join(PRIVILEGED_ROLES.values()) + ") is granted on a workspace, a resource under "
        "it, or its storage account, key vault, Application Insights or container registry, unless the policy config "
        "allows that principal (allowedPrincipalIds). Anchors: Azure RBAC best practices (learn.microsoft.com/azure/"
        "role-based-access-control/best-practices, 'Limit privileged administrator role assignments'), PSRule "
        "Azure.RBAC.LimitOwner.",
        _privileged_roles,
        {
            "allowedPrincipalIds": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Object IDs of principals that may hold a privileged role on a workspace's resources.",
            }
        },
    ),
]

__all__ = ["KINDS_POLICIES"]
