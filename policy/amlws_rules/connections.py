"""Workspace connections: which authentication types keep keys out of the workspace.

The `authType` of a connection is the discriminator of its properties (azure-rest-api-specs,
specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/
workspaceRP.json, `WorkspaceConnectionPropertiesV2`, `"discriminator": "authType"`; enum `ConnectionAuthType`:
PAT, ManagedIdentity, UsernamePassword, None, SAS, AccountKey, ServicePrincipal, AccessKey, ApiKey, CustomKeys,
OAuth2, AAD, `modelAsString: true`). Only three subtypes carry no secret: `AADAuthTypeWorkspaceConnectionProperties`
(no `credentials`), `ManagedIdentityAuthTypeWorkspaceConnectionProperties` (`credentials` is an identity's
`resourceId` and `clientId`) and `NoneAuthTypeWorkspaceConnectionProperties` (no `credentials`). Every other
type stores a key, token, password or client secret in the workspace (`x-ms-secret` in the same file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .roles import COGNITIVE_SERVICES_OPENAI_USER, COGNITIVE_SERVICES_USER, SEARCH_INDEX_DATA_READER
from .values import one_of

AUTH_TYPES = (
    "PAT",
    "ManagedIdentity",
    "UsernamePassword",
    "None",
    "SAS",
    "AccountKey",
    "ServicePrincipal",
    "AccessKey",
    "ApiKey",
    "CustomKeys",
    "OAuth2",
    "AAD",
)
KEYLESS_AUTH_TYPES = ("AAD", "ManagedIdentity", "None")
# The connection name (workspaceRP.json, parameter `ConnectionName`).
CONNECTION_NAME_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$"


def is_keyless(auth_type: Any) -> bool:
    return one_of(auth_type, KEYLESS_AUTH_TYPES)


def connection_key_violation(auth_type: Any, category: Any, allowed_key_categories: Iterable[str]) -> str | None:
    """A connection that stores a credential, unless its category is one the organisation allows keys for."""
    if is_keyless(auth_type):
        return None
    allowed = list(allowed_key_categories)
    if isinstance(category, str) and one_of(category, allowed):
        return None
    what = f"category {category}" if category else "no category"
    allowance = f" (keys are allowed only for {', '.join(allowed)})" if allowed else ""
    return (
        f"connection authType is {auth_type!r} ({what}): it stores a credential in the workspace{allowance}; "
        f"use {' or '.join(KEYLESS_AUTH_TYPES[:2])} and grant the workspace identity a role on the target"
    )


# What the components declare (components/connections.py): the keyless type and the one key-based type whose
# credential is a single key (`ApiKeyAuthWorkspaceConnectionProperties`: `credentials` is `WorkspaceConnectionApiKey`,
# `key`). For AzureOpenAI the spec's description names `target` its `{ApiBase}`, for CognitiveSearch its
# `{Endpoint}`, and says "Use Metadata property bag for ApiType, ApiVersion, Kind and other metadata fields".
KEYLESS_AUTH_TYPE = "AAD"
KEY_AUTH_TYPE = "ApiKey"
DECLARED_AUTH_TYPES = (KEYLESS_AUTH_TYPE, KEY_AUTH_TYPE)


@dataclass(frozen=True)
class ConnectionTarget:
    """What a connection of one category points at, and the role its keyless use needs there."""

    resource_type: str
    """ARM type of `resourceId` (the connection's `metadata.ResourceId`)."""
    role: str
    """Built-in role GUID the workspace identity gets on the resource for `authType: AAD`."""
    role_name: str
    source: str
    """Where the role is documented."""


CONNECTION_TARGETS: dict[str, ConnectionTarget] = {
    # MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/role-based-access-control.md: Cognitive
    # Services OpenAI User "can make inference API calls with Microsoft Entra ID" and can't see or list keys.
    "AzureOpenAI": ConnectionTarget(
        "Microsoft.CognitiveServices/accounts",
        COGNITIVE_SERVICES_OPENAI_USER,
        "Cognitive Services OpenAI User",
        "learn.microsoft.com/azure/ai-foundry/openai/how-to/role-based-access-control",
    ),
    # learn.microsoft.com/azure/ai-foundry/foundry-models/how-to/configure-entra-id, "Required Azure roles and
    # permissions": Cognitive Services User "Required ... to authenticate and make inference API calls using
    # Microsoft Entra ID. This role must be assigned at the scope of your Foundry resource."
    "AIServices": ConnectionTarget(
        "Microsoft.CognitiveServices/accounts",
        COGNITIVE_SERVICES_USER,
        "Cognitive Services User",
        "learn.microsoft.com/azure/ai-foundry/foundry-models/how-to/configure-entra-id",
    ),
    # MicrosoftDocs/azure-ai-docs articles/search/search-security-rbac.md, "Roles by task": "Query an index:
    # Search Index Data Reader". Search Service Contributor is documented for the Azure OpenAI / AI Services
    # account's own identity (schema lookups of "on your data", articles/ai-foundry/how-to/secure-data-playground.md),
    # not for the workspace's, and its `Microsoft.Search/searchServices/*` includes listing admin keys.
    "CognitiveSearch": ConnectionTarget(
        "Microsoft.Search/searchServices",
        SEARCH_INDEX_DATA_READER,
        "Search Index Data Reader",
        "learn.microsoft.com/azure/search/search-security-rbac",
    ),
}
"""The categories this package declares connections for (of the spec's `ConnectionCategory`)."""
