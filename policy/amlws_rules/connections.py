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

from typing import Any, Iterable

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
