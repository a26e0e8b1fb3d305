"""Built-in Azure role definitions the workspace uses, and the ID Azure expects for each.

A role definition ID is subscription-scoped (`/subscriptions/<sub>/providers/Microsoft.Authorization/
roleDefinitions/<guid>`): an assignment that names the GUID of another subscription is refused.
"""

from __future__ import annotations

import difflib
import json
import re
import uuid
from functools import cache
from pathlib import Path

AZUREML_DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
AZUREML_COMPUTE_OPERATOR = "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815"
AZUREML_REGISTRY_USER = "1823dd4f-9b8c-4ab6-ab4e-7397a3684615"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
KEY_VAULT_ADMINISTRATOR = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
# learn.microsoft.com, role-based-access-control/built-in-roles/security "Key Vault Crypto Officer"
KEY_VAULT_CRYPTO_OFFICER = "14b46e9e-c2b7-41b4-b07b-48a6ebf60603"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"
# Approves private endpoint connections on storage, key vault, ACR, ML workspaces and registries, ...
# (MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md,
# "Azure AI Enterprise Network Connection Approver": "name": "b556d68e-0be0-4f35-a333-ad7ee1ce17ea").
# Since 2025-04-30 Azure ML no longer grants it to the workspace identity itself (how-to-managed-network,
# "Approval of private endpoints").
AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
# Data-plane roles for keyless (Microsoft Entra ID) workspace connections, from MicrosoftDocs/azure-docs
# articles/role-based-access-control/built-in-roles/ai-machine-learning.md ("name" of each definition).
# "Cognitive Services OpenAI User": inference on Azure OpenAI, no keys.
COGNITIVE_SERVICES_OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
# "Cognitive Services User": inference on an AI Services (Foundry) account; it can also list the account's keys.
COGNITIVE_SERVICES_USER = "a97b65f3-24c7-4388-baec-2e87135dc908"
# "Search Index Data Reader": dataActions Microsoft.Search/searchServices/indexes/documents/read only.
SEARCH_INDEX_DATA_READER = "1407120a-92aa-4202-b7e9-c0e197c71c8f"

# The group roles a workspace offers, by the name used in stack config and component args.
GROUP_ROLES: dict[str, str] = {
    "data_scientists": AZUREML_DATA_SCIENTIST,
    "compute_operators": AZUREML_COMPUTE_OPERATOR,
    "readers": READER,
    "admins": CONTRIBUTOR,
}

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def is_guid(value: object) -> bool:
    return isinstance(value, str) and bool(_GUID.match(value))


def role_definition_id(subscription_id: str, role_guid: str) -> str:
    """The subscription-scoped ID of a built-in role."""
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role_guid}"


def role_guid(role_definition: str) -> str:
    """The GUID at the end of a role definition ID (or the GUID itself)."""
    return role_definition.rstrip("/").rsplit("/", 1)[-1].lower()


def assignment_name(scope: str, principal_id: str, role_definition: str) -> str:
    """The GUID name of a role assignment: uuid5 of its scope, principal and role (like Bicep's
    `guid(scope, principalId, roleDefinitionId)`).

    Role assignment names are unique in the whole Microsoft Entra tenant, even at narrower scopes
    (learn.microsoft.com, role-based-access-control/role-assignments), so the name must differ wherever
    the assignment differs: the scope carries the subscription, resource group and resource, so dev and
    prod never share a name; the same three inputs always give the same name, so re-running never
    creates a duplicate. ARM IDs are case-insensitive, hence the lower-casing.
    """
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, "/".join(p.lower() for p in (scope, principal_id, role_guid(role_definition))))
    )


def role_definition_name(scope: str, role_name: str) -> str:
    """The GUID name of a custom role definition: uuid5 of its assignable scope and role name (role
    definition names, like assignment names, are unique in the tenant)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scope.lower()}/roledefinitions/{role_name.lower()}"))


BUILTIN_ROLES_FILE = Path(__file__).with_name("builtin_roles.json")
_ROLE_DEFINITION_ID = re.compile(
    r"^(?:/subscriptions/(?P<sub>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?"
    r"/providers/Microsoft\.Authorization/roleDefinitions/(?P<guid>[^/]+)$",
    re.IGNORECASE,
)


@cache
def builtin_roles() -> dict[str, tuple[str, str]]:
    """Lower-cased built-in role name (and former name) -> (the name as Azure writes it, role GUID), from
    builtin_roles.json (the Azure built-in roles page; its `source` says which version)."""
    table: dict[str, tuple[str, str]] = {}
    for category in json.loads(BUILTIN_ROLES_FILE.read_text(encoding="utf-8"))["categories"]:
        for role in category["roles"]:
            for name in (role["name"], *role.get("formerNames", ())):
                table[name.lower()] = (role["name"], role["id"])
    return table


ROLE_FORMS = (
    "a built-in role name (e.g. 'Storage Blob Data Reader'; the table is amlws_rules/builtin_roles.json), "
    "a role definition GUID, or a role definition ID "
    "(/subscriptions/<subscription GUID>/providers/Microsoft.Authorization/roleDefinitions/<GUID>, "
    "or /providers/Microsoft.Authorization/roleDefinitions/<GUID>)"
)


def resolve_role(value: object, subscription_id: str) -> str:
    """The role definition ID an assignment's `roleDefinitionId` takes, for AVM's `roleDefinitionIdOrName`.

    Accepts a built-in role name (case-insensitive, as Azure compares names), a GUID (a built-in or a custom
    role), or a full role definition ID, subscription-scoped or tenant-scoped
    (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`, as AVM accepts it): a full ID is returned as
    written, a name or a GUID becomes the subscription-scoped ID. Raises ValueError naming the value and what
    is allowed, with "did you mean" for a misspelt built-in name.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a role: give {ROLE_FORMS}")
    if is_guid(value):
        return role_definition_id(subscription_id, value.lower())
    match = _ROLE_DEFINITION_ID.match(value)
    if match:
        if not is_guid(match["guid"]):
            raise ValueError(
                f"{value!r}: the role definition's name {match['guid']!r} is not a GUID; give {ROLE_FORMS}"
            )
        return value
    if value.lower().startswith(("/subscriptions/", "/providers/")):
        raise ValueError(f"{value!r} is not a role definition ID; give {ROLE_FORMS}")
    table = builtin_roles()
    found = table.get(value.lower())
    if found is not None:
        return role_definition_id(subscription_id, found[1])
    close = difflib.get_close_matches(value.lower(), table, n=3, cutoff=0.6)
    suggestion = f"did you mean {' or '.join(repr(table[c][0]) for c in dict.fromkeys(close))}? " if close else ""
    raise ValueError(f"{value!r} is not a built-in role name: {suggestion}give {ROLE_FORMS}")
