"""Workspace connections (`Microsoft.MachineLearningServices/workspaces/connections`): what the REST spec
accepts and which data-plane role a keyless connection needs on its target.

Facts from the spec azure-native uses (Azure/azure-rest-api-specs, specification/machinelearningservices/
resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/workspaceRP.json):
- `parameters.ConnectionName.pattern` is `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`.
- `WorkspaceConnectionPropertiesV2` requires `authType`, its discriminator (`AADAuthTypeWorkspaceConnectionProperties`
  carries no credentials; `ApiKeyAuthWorkspaceConnectionProperties` carries `credentials.key`), and has `category`,
  `target`, `metadata` (string to string), `isSharedToAll`, `sharedUserList`, `expiryTime`, `value`, `valueFormat`.
- `ConnectionAuthType` and `ConnectionCategory` are enums with `modelAsString: true` (open strings to ARM).
- `ApiKeyAuthWorkspaceConnectionProperties`' description: AzureOpenAI's `target` is its `{ApiBase}`,
  CognitiveSearch's its `{Endpoint}`; "Use Metadata property bag for ApiType, ApiVersion, Kind and other metadata".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .roles import COGNITIVE_SERVICES_OPENAI_USER, COGNITIVE_SERVICES_USER, SEARCH_INDEX_DATA_READER

CONNECTION_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
"""workspaceRP.json 2025-12-01, `parameters.ConnectionName.pattern`."""

KEYLESS_AUTH_TYPE = "AAD"
"""`AADAuthTypeWorkspaceConnectionProperties`, "the AAD auth for any applicable Azure service": no credentials."""

KEY_AUTH_TYPE = "ApiKey"
"""`ApiKeyAuthWorkspaceConnectionProperties`: `credentials` is `WorkspaceConnectionApiKey` (`key`)."""

AUTH_TYPES = (KEYLESS_AUTH_TYPE, KEY_AUTH_TYPE)
"""The `authType` values this package declares (the spec has more: PAT, ManagedIdentity, UsernamePassword, None,
SAS, AccountKey, ServicePrincipal, AccessKey, CustomKeys, OAuth2)."""


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


def is_keyless(auth_type: object) -> bool:
    """ARM enum values are case-insensitive: `aad` is keyless too."""
    return isinstance(auth_type, str) and auth_type.lower() == KEYLESS_AUTH_TYPE.lower()
