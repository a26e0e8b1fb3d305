"""Who may do what in a workspace: Microsoft Entra groups in built-in or custom roles, and the data-plane
roles the workspace's own identity needs so that access keys and admin users can stay off.

The docs' example custom roles ("IT operations may create compute targets and datastores; data
scientists may run jobs and register models") are expressed as `custom_roles` with the
`Microsoft.MachineLearningServices/workspaces/...` actions they need.
"""

from typing import NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import authorization

from amlws_rules import GROUP_ROLES, assignment_name, is_guid, role_definition_id, role_definition_name

from ._common import ComponentInputError, child


class CustomRoleSettings(TypedDict):
    """A custom role scoped to the workspace, and the groups that hold it."""

    role_name: str
    """`roleName`, unique in the tenant; the environment and project belong in it."""
    description: NotRequired[str]
    """`description` of the role."""
    actions: list[str]
    """`permissions.actions`, e.g. `Microsoft.MachineLearningServices/workspaces/computes/write`."""
    not_actions: NotRequired[list[str]]
    """`permissions.notActions`."""
    data_actions: NotRequired[list[str]]
    """`permissions.dataActions`."""
    group_object_ids: list[str]
    """Object IDs of the Microsoft Entra groups to assign the role to (at least one)."""


class WorkspaceAccessSettings(TypedDict):
    """Microsoft Entra groups (object IDs) per workspace role."""

    data_scientists: NotRequired[list[str]]
    """Groups given AzureML Data Scientist (f6c7c914-8db3-469d-8ca1-694a8f32e121)."""
    compute_operators: NotRequired[list[str]]
    """Groups given AzureML Compute Operator (e503ece1-11d0-4e8e-8e2c-7a6c3bf38815), e.g. IT operations."""
    readers: NotRequired[list[str]]
    """Groups given Reader."""
    admins: NotRequired[list[str]]
    """Groups given Contributor on the workspace (not Owner: granting access stays with the platform team)."""
    custom_roles: NotRequired[list[CustomRoleSettings]]
    """Custom roles defined at the workspace scope."""


def validate_access(component: str, access: WorkspaceAccessSettings | None) -> None:
    """Every group ID must be a GUID, and a role that is listed must name at least one group."""
    if not access:
        return
    unknown = sorted(set(access) - set(GROUP_ROLES) - {"custom_roles"})
    if unknown:
        raise ComponentInputError(
            component, "access", unknown, f"unknown roles; use {', '.join([*GROUP_ROLES, 'custom_roles'])}"
        )
    lists: list[tuple[str, Sequence[str]]] = [
        (f"access.{role}", access.get(role) or []) for role in GROUP_ROLES if role in access
    ]
    names: set[str] = set()
    for i, custom in enumerate(access.get("custom_roles", [])):
        setting = f"access.custom_roles[{i}]"
        if not custom.get("role_name"):
            raise ComponentInputError(component, f"{setting}.role_name", custom.get("role_name"), "required")
        if custom["role_name"].lower() in names:
            raise ComponentInputError(
                component, f"{setting}.role_name", custom["role_name"], "role names must be unique"
            )
        names.add(custom["role_name"].lower())
        if not custom.get("actions") and not custom.get("data_actions"):
            raise ComponentInputError(
                component,
                f"{setting}.actions",
                custom.get("actions"),
                "a role needs at least one action or data action",
            )
        lists.append((f"{setting}.group_object_ids", custom.get("group_object_ids") or []))
    for setting, groups in lists:
        if not groups:
            raise ComponentInputError(
                component,
                setting,
                list(groups),
                "list at least one Microsoft Entra group object ID, or leave the role out",
            )
        for group in groups:
            if not is_guid(group):
                raise ComponentInputError(component, setting, group, "a Microsoft Entra group object ID is a GUID")


def assign_role(
    parent: pulumi.Resource,
    name: str,
    *,
    scope: pulumi.Input[str],
    role: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    principal_type: str | None,
    depends_on: Sequence[pulumi.Resource] = (),
) -> authorization.RoleAssignment:
    """One role assignment, parented to `parent`, named by `assignment_name(scope, principal, role)`.

    The name resolves when the three do: in a first preview a scope or principal the provider computes
    (a new resource's ID, a system-assigned identity) is unknown, and so is the name, as in `pulumi preview`.
    """
    return authorization.RoleAssignment(
        name,
        role_assignment_name=pulumi.Output.all(scope, principal_id, role).apply(lambda v: assignment_name(*v)),
        scope=scope,
        role_definition_id=role,
        principal_id=principal_id,
        principal_type=principal_type,
        opts=child(parent, depends_on=list(depends_on)),
    )


def builtin_role(subscription_id: pulumi.Input[str], guid: str) -> pulumi.Output[str]:
    return pulumi.Output.from_input(subscription_id).apply(lambda sub: role_definition_id(sub, guid))


def grant_groups(
    parent: pulumi.Resource,
    name: str,
    *,
    scope: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
    access: WorkspaceAccessSettings,
    data_scientist_role: pulumi.Input[str] | None = None,
) -> list[pulumi.Resource]:
    """Group role assignments (and custom role definitions) at `scope`; returns what was declared.
    `data_scientist_role` replaces AzureML Data Scientist (e.g. by the role without image builds)."""
    declared: list[pulumi.Resource] = []
    for role, guid in GROUP_ROLES.items():
        for group in access.get(role) or []:
            role_id = (
                data_scientist_role
                if role == "data_scientists" and data_scientist_role is not None
                else builtin_role(subscription_id, guid)
            )
            declared.append(
                assign_role(
                    parent,
                    f"{name}-{role.replace('_', '-')}-{group[:8]}",
                    scope=scope,
                    role=role_id,
                    principal_id=group,
                    principal_type="Group",
                )
            )
    for custom in access.get("custom_roles", []):
        slug = "".join(c if c.isalnum() else "-" for c in custom["role_name"].lower())
        definition = authorization.RoleDefinition(
            f"{name}-role-{slug}",
            role_definition_id=pulumi.Output.from_input(scope).apply(
                lambda sc, n=custom["role_name"]: role_definition_name(sc, n)
            ),
            role_name=custom["role_name"],
            description=custom.get("description"),
            role_type="CustomRole",
            scope=scope,
            assignable_scopes=[scope],
            permissions=[
                authorization.PermissionArgs(
                    actions=custom.get("actions", []),
                    not_actions=custom.get("not_actions", []),
                    data_actions=custom.get("data_actions", []),
                )
            ],
            opts=child(parent),
        )
        declared.append(definition)
        for group in custom["group_object_ids"]:
            declared.append(
                assign_role(
                    parent,
                    f"{name}-role-{slug}-{group[:8]}",
                    scope=scope,
                    role=definition.id,
                    principal_id=group,
                    principal_type="Group",
                )
            )
    return declared
