"""Privileged Azure roles: roles that can grant access to others or do anything.

"Limit privileged administrator role assignments": Owner, User Access Administrator and Role Based Access
Control Administrator can assign roles (learn.microsoft.com/azure/role-based-access-control/best-practices,
"Limit privileged administrator role assignments"; PSRule for Azure Azure.RBAC.LimitOwner, AZR-000204, in
src/PSRule.Rules.Azure/rules/Azure.Subscription.Rule.ps1 counts subscription Owners). The GUIDs are the
built-in role definition names (learn.microsoft.com/azure/role-based-access-control/built-in-roles; the
Azure Verified Modules' `builtInRoleNames`, e.g. avm/res/machine-learning-services/workspace/main.bicep:
'Role Based Access Control Administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168').
"""

from __future__ import annotations

from typing import Any, Iterable

from .roles import role_guid

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
ROLE_BASED_ACCESS_CONTROL_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
PRIVILEGED_ROLES = {
    OWNER: "Owner",
    USER_ACCESS_ADMINISTRATOR: "User Access Administrator",
    ROLE_BASED_ACCESS_CONTROL_ADMINISTRATOR: "Role Based Access Control Administrator",
}


def privileged_role_name(role_definition_id: Any) -> str | None:
    """The privileged built-in role a role definition ID (or bare GUID) names, else None."""
    if not isinstance(role_definition_id, str):
        return None
    return PRIVILEGED_ROLES.get(role_guid(role_definition_id))


def principal_allowed(principal_id: Any, allowed_principal_ids: Iterable[str]) -> bool:
    """Principal IDs are GUIDs: compared without regard to case."""
    return isinstance(principal_id, str) and principal_id.lower() in {p.lower() for p in allowed_principal_ids}
