"""AVM's `roleAssignments` interface: any principal in any role, on the workspace and on each associated resource
the component creates.

The shape is AVM's `roleAssignmentType` (Azure/bicep-registry-modules avm/utl/types/avm-common-types, used by
avm/res/machine-learning-services/workspace/main.bicep `workspace_roleAssignments`): `roleDefinitionIdOrName` (a
built-in role name, a role definition GUID or a full role definition ID), `principalId`, `principalType`,
`description`, `condition`, `conditionVersion`. The values go to `Microsoft.Authorization/roleAssignments`
(2022-04-01, RoleAssignmentProperties: "conditionVersion: Version of the condition. Currently the only accepted
value is '2.0'"). Names are `assignment_name(scope, principal, role)` like every other grant here: role
assignment names are unique in the whole tenant (role-based-access-control/role-assignments), and a second
assignment of one principal, role and scope fails with 409 RoleAssignmentExists, so such a duplicate is refused
while planning.
"""

import difflib
from typing import Any, Iterable, Mapping, NamedTuple, NotRequired, Sequence, TypedDict, cast

import pulumi
from pulumi_azure_native import authorization

from amlws_rules import GROUP_ROLES, assignment_name, is_guid
from amlws_rules import roles as role_ids
from amlws_rules.roles import resolve_role, role_definition_id, role_guid

from ._common import ComponentInputError, child

PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal", "ForeignGroup", "Device")
CONDITION_VERSION = "2.0"
ROLE_ASSIGNMENT_KEYS = (
    "role_definition_id_or_name",
    "principal_id",
    "principal_type",
    "description",
    "condition",
    "condition_version",
)
# A subscription only for reading a role name or GUID while planning: the declared ID takes the deploying
# client's subscription (`PlannedRoleAssignment.role`).
_PLANNING_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


class RoleAssignmentSettings(TypedDict):
    """One role assignment (AVM `roleAssignmentType`)."""

    role_definition_id_or_name: str
    (
        "`roleDefinitionId`: a built-in role name (e.g. `Storage Blob Data Reader`; did-you-mean for a misspelt one), "
        "a role definition GUID, or a full role definition ID (`/subscriptions/<id>/providers/"
        "Microsoft.Authorization/roleDefinitions/<GUID>` or "
        "`/providers/Microsoft.Authorization/roleDefinitions/<GUID>`)."
    )
    principal_id: pulumi.Input[str]
    """`principalId`: object ID (a GUID) of the user, group, service principal or managed identity."""
    principal_type: str
    (
        "`principalType`: `User`, `Group`, `ServicePrincipal`, `ForeignGroup` or `Device`. Required here (optional in "
        "AVM): azure-native sends `User` when it is absent, and ARM refuses another principal's type "
        "(UnmatchedPrincipalType)."
    )
    description: NotRequired[str]
    """`description` of the assignment."""
    condition: NotRequired[str]
    """`condition` (ABAC) limiting the assignment, e.g. to one blob container."""
    condition_version: NotRequired[str]
    """`conditionVersion`: `2.0` (the only version ARM accepts; the default with a `condition`)."""


class PlannedRoleAssignment(NamedTuple):
    """One checked role assignment: its role read once (`resolve_role`)."""

    setting: str
    """Where it was written, e.g. `storage.role_assignments[1]`."""
    role_guid: str
    given_role_id: str | None
    """The full role definition ID as written (None: a name or GUID, subscription-scoped when declared)."""
    principal_id: str | pulumi.Output[str]
    """A GUID, or an Output known later (a managed identity the stack creates)."""
    principal_type: str
    description: str | None
    condition: str | None
    condition_version: str | None

    def role(self, subscription_id: pulumi.Input[str]) -> pulumi.Input[str]:
        """`roleDefinitionId`: as written, or the built-in/custom role's ID in the deploying subscription."""
        if self.given_role_id is not None:
            return self.given_role_id
        return pulumi.Output.from_input(subscription_id).apply(lambda sub: role_definition_id(sub, self.role_guid))


class Grant(NamedTuple):
    """A grant the component makes at one of its scopes, for refusing a duplicate: (scope, principal, role)."""

    scope: str
    """The section whose resource is the scope (`workspace`, `storage`, `key_vault`, `container_registry`,
    `monitoring`)."""
    principal_id: str
    role_guid: str
    source: str
    """What makes it, in the error's words (`access.readers`, `workspace_role_assignments[0]`, ...)."""


def _check_item(component: str, setting: str, item: object) -> PlannedRoleAssignment:
    if not isinstance(item, dict):
        raise ComponentInputError(
            component, setting, item, f"a role assignment is a mapping with {', '.join(ROLE_ASSIGNMENT_KEYS)}"
        )
    for key in item:
        if key not in ROLE_ASSIGNMENT_KEYS:
            close = difflib.get_close_matches(str(key), ROLE_ASSIGNMENT_KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ComponentInputError(
                component, f"{setting}.{key}", item[key], f"unknown key: {hint}use {', '.join(ROLE_ASSIGNMENT_KEYS)}"
            )
    value = item.get("role_definition_id_or_name")
    try:
        resolved = resolve_role(value, _PLANNING_SUBSCRIPTION)
    except ValueError as err:
        raise ComponentInputError(component, f"{setting}.role_definition_id_or_name", value, str(err)) from None
    given_id = resolved if resolved == value else None
    principal = item.get("principal_id")
    if not isinstance(principal, pulumi.Output) and not is_guid(principal):
        raise ComponentInputError(
            component,
            f"{setting}.principal_id",
            principal,
            "the principal's object ID is a GUID (of a user, group, service principal or managed identity)",
        )
    principal_type = item.get("principal_type")
    if principal_type not in PRINCIPAL_TYPES:
        # Required, unlike AVM's: the azure-native SDK sends principalType 'User' when it is absent
        # (authorization/role_assignment.py: `if principal_type is None: principal_type = 'User'`, the spec's
        # default), and ARM refuses a principal of another type with UnmatchedPrincipalType ("The PrincipalId ...
        # has type 'ServicePrincipal', which is different from specified PrincipalType 'User'",
        # Azure/modern-web-app-pattern-dotnet#129).
        raise ComponentInputError(
            component,
            f"{setting}.principal_type",
            principal_type,
            f"required, one of {', '.join(PRINCIPAL_TYPES)}: without it azure-native sends 'User', which ARM refuses "
            "for any other principal (UnmatchedPrincipalType)",
        )
    for key in ("description", "condition"):
        if key in item and not isinstance(item[key], str):
            raise ComponentInputError(component, f"{setting}.{key}", item[key], "must be a string")
    condition, version = item.get("condition"), item.get("condition_version")
    if version is not None and not condition:
        raise ComponentInputError(
            component, f"{setting}.condition_version", version, "set only with a condition (ARM ignores it alone)"
        )
    if condition and version is not None and version != CONDITION_VERSION:
        raise ComponentInputError(
            component,
            f"{setting}.condition_version",
            version,
            f"must be {CONDITION_VERSION!r}, the only version ARM accepts (RoleAssignmentProperties.conditionVersion)",
        )
    return PlannedRoleAssignment(
        setting=setting,
        role_guid=role_guid(resolved),
        given_role_id=given_id,
        principal_id=cast("str | pulumi.Output[str]", principal),  # a GUID string or an Output, checked above
        principal_type=principal_type,
        description=item.get("description"),
        condition=condition or None,
        condition_version=CONDITION_VERSION if condition else None,
    )


def plan_role_assignments(component: str, setting: str, value: object) -> tuple[PlannedRoleAssignment, ...]:
    """Check a `role_assignments` list (at `setting`) and read each role once."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ComponentInputError(component, setting, value, "a list of role assignments")
    return tuple(_check_item(component, f"{setting}[{i}]", item) for i, item in enumerate(value))


def refuse_duplicates(
    component: str, planned: Mapping[str, Sequence[PlannedRoleAssignment]], grants: Iterable[Grant]
) -> None:
    """A second assignment of one principal and role at one scope: ARM answers 409 RoleAssignmentExists, and two
    resources in one stack would own it. `planned` is by scope section; `grants` are the component's own."""
    seen: dict[tuple[str, str, str], str] = {}
    for grant in grants:
        seen.setdefault((grant.scope, grant.principal_id.lower(), grant.role_guid), grant.source)
    for scope, assignments in planned.items():
        for a in assignments:
            if isinstance(a.principal_id, pulumi.Output):
                continue  # known only later: ARM refuses a real duplicate
            key = (scope, a.principal_id.lower(), a.role_guid)
            if key in seen:
                raise ComponentInputError(
                    component,
                    a.setting,
                    {"role_definition_id_or_name": a.given_role_id or a.role_guid, "principal_id": a.principal_id},
                    f"duplicates {seen[key]}: the same principal, role and scope ({scope}); Azure allows one such "
                    "assignment (409 RoleAssignmentExists): remove one",
                )
            seen[key] = a.setting


def declare_role_assignments(
    planned: Sequence[PlannedRoleAssignment],
    parent: pulumi.Resource,
    name: str,
    *,
    scope: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
) -> list[pulumi.Resource]:
    """The assignments at `scope`, children of `parent`, ARM names `assignment_name(scope, principal, role)`. The
    logical name is `<name>-ra-<role GUID's first 8>-<principal>`, so reordering the list moves no URN (an Output
    principal, known only later, takes its position instead)."""
    made: list[pulumi.Resource] = []
    for i, a in enumerate(planned):
        role = a.role(subscription_id)
        made.append(
            authorization.RoleAssignment(
                f"{name}-ra-{a.role_guid[:8]}-{a.principal_id if isinstance(a.principal_id, str) else i}",
                role_assignment_name=pulumi.Output.all(scope, a.principal_id, role).apply(
                    lambda v: assignment_name(*v)
                ),
                scope=scope,
                role_definition_id=role,
                principal_id=a.principal_id,
                principal_type=a.principal_type,
                description=a.description,
                condition=a.condition,
                condition_version=a.condition_version,
                opts=child(parent),
            )
        )
    return made


# Section of MachineLearningWorkspaceArgs -> the setting that brings the resource instead of creating it. Role
# assignments go only on what the component creates: a resource brought by ID is someone else's to grant on.
# `monitoring`'s scope is the Application Insights component the workspace is associated with.
SCOPED_SECTIONS: dict[str, str] = {
    "storage": "existing_id",
    "key_vault": "existing_id",
    "container_registry": "existing_id",
    "monitoring": "existing_application_insights_id",
}


class RoleAssignmentsPlan(NamedTuple):
    """The checked `role_assignments` of the workspace and of each associated resource it creates."""

    workspace: tuple[PlannedRoleAssignment, ...] = ()
    storage: tuple[PlannedRoleAssignment, ...] = ()
    key_vault: tuple[PlannedRoleAssignment, ...] = ()
    container_registry: tuple[PlannedRoleAssignment, ...] = ()
    monitoring: tuple[PlannedRoleAssignment, ...] = ()

    def by_scope(self) -> dict[str, tuple[PlannedRoleAssignment, ...]]:
        return {
            "workspace": self.workspace,
            "storage": self.storage,
            "key_vault": self.key_vault,
            "container_registry": self.container_registry,
            "monitoring": self.monitoring,
        }


def plan_all_role_assignments(component: str, args: Mapping[str, Any]) -> RoleAssignmentsPlan:
    """Every `role_assignments` of these args, read (the rules are `check_role_assignments`')."""
    sections = {
        section: plan_role_assignments(component, f"{section}.role_assignments", _given(args.get(section)))
        for section in SCOPED_SECTIONS
    }
    return RoleAssignmentsPlan(
        workspace=plan_role_assignments(component, "role_assignments", args.get("role_assignments")), **sections
    )


def _given(section: object) -> object:
    return section.get("role_assignments") if isinstance(section, dict) else None


def component_grants(args: Mapping[str, Any], primary_principal: str | None, cmk_principal: str | None) -> list[Grant]:
    """The grants the component itself makes where `role_assignments` may go, when their principals are known
    while planning: `access`'s groups on the workspace, an existing primary identity's documented roles
    (`USER_ASSIGNED_GRANTS`, Contributor on the workspace), an existing key identity's Key Vault Crypto Service
    Encryption User on a vault the component creates."""
    from .identity import USER_ASSIGNED_GRANTS  # identity imports access, which this module's users import
    from .image_builds import image_builds_setting

    grants: list[Grant] = []
    access = args.get("access") or {}
    no_builds = image_builds_setting(args.get("image_builds"), "container_registry" in args) == "Disabled"
    for role, guid in GROUP_ROLES.items():
        if role == "data_scientists" and no_builds:
            continue  # they get the custom role without image builds instead
        for group in access.get(role) or []:
            if isinstance(group, str):
                grants.append(Grant("workspace", group, guid, f"access.{role}"))
    if primary_principal is not None:
        scopes = {"application_insights": "monitoring"}
        for section, roles in USER_ASSIGNED_GRANTS.items():
            for _, guid in roles:
                grants.append(
                    Grant(scopes.get(section, section), primary_principal, guid, "the workspace identity's grant")
                )
        grants.append(Grant("workspace", primary_principal, role_ids.CONTRIBUTOR, "the workspace identity's grant"))
    if cmk_principal is not None and not (args.get("key_vault") or {}).get("existing_id"):
        grants.append(
            Grant(
                "key_vault",
                cmk_principal,
                role_ids.KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
                "customer_managed_key.user_assigned_identity_resource_id's grant",
            )
        )
    return grants


def check_role_assignments(component: str, args: Mapping[str, Any]) -> RoleAssignmentsPlan:
    """Each `role_assignments` entry, and only on a resource the component creates (before any lookup)."""
    for section, existing_key in SCOPED_SECTIONS.items():
        given = args.get(section)
        if _given(given) is not None and isinstance(given, dict) and given.get(existing_key):
            raise ComponentInputError(
                component,
                f"{section}.role_assignments",
                _given(given),
                f"only on a resource the component creates; {section}.{existing_key} brings one that is managed "
                "elsewhere: assign its roles there",
            )
    return plan_all_role_assignments(component, args)


def check_no_duplicate_grants(
    component: str,
    args: Mapping[str, Any],
    planned: RoleAssignmentsPlan,
    primary_principal: str | None,
    cmk_principal: str | None,
) -> None:
    """No entry duplicates another, or a grant the component makes itself (`component_grants`: their principals are
    known once the lookups have answered)."""
    refuse_duplicates(component, planned.by_scope(), component_grants(args, primary_principal, cmk_principal))


def own_role_assignments(
    component: str, args: Mapping[str, Any], existing_key: str
) -> tuple[PlannedRoleAssignment, ...]:
    """A standalone associated-resource component's `role_assignments` (WorkspaceStorage, WorkspaceKeyVault,
    WorkspaceContainerRegistry, WorkspaceMonitoring; SharedWorkspaceResources' children), checked before it declares
    anything. In a MachineLearningWorkspace the workspace takes them out of the section and declares them itself."""
    given = args.get("role_assignments")
    if given is not None and args.get(existing_key):
        raise ComponentInputError(
            component,
            "role_assignments",
            given,
            f"only on a resource the component creates; {existing_key} brings one that is managed elsewhere: assign "
            "its roles there",
        )
    planned = plan_role_assignments(component, "role_assignments", given)
    refuse_duplicates(component, {"this resource": planned}, ())
    return planned


def declare_own_role_assignments(
    planned: Sequence[PlannedRoleAssignment], parent: pulumi.Resource, name: str, scope: pulumi.Input[str]
) -> None:
    """`own_role_assignments`, children of their component, in the deploying client's subscription."""
    if not planned:
        return
    client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=parent))
    declare_role_assignments(planned, parent, name, scope=scope, subscription_id=client.subscription_id)
