"""How the workspace reaches its own storage account (`systemDatastoresAuthMode`): the rule and its default.

Spec: workspaceRP.json 2025-12-01, `WorkspaceProperties.systemDatastoresAuthMode` -> `SystemDatastoresAuthMode`,
an enum of `AccessKey`, `Identity` and `UserDelegationSAS` with `modelAsString`: ARM compares the values
without regard to case. The docs write `identity` (how-to-disable-local-auth-storage: "set
`system_datastores_auth_mode` to `identity`"), and so did every earlier version of this component, which sent
`accessKey` or `identity`: those two keep that spelling, so no deployed workspace sees a diff.

What Azure requires of the storage account:
- `allowSharedKeyAccess` false: "all requests, including shared access signatures, must be authorized with
  Azure Active Directory" (Microsoft.Storage spec, StorageAccountPropertiesCreateParameters; null is true), and
  "when Shared Key authorization is disallowed, clients must use Azure AD or a user delegation SAS"
  (storage/common/shared-key-authorization-prevent). So `AccessKey` fails on such an account; `Identity` and
  `UserDelegationSAS` (signed with Entra credentials) work with either setting.
"""

from typing import Any

from ._common import ComponentInputError

from ._common import WORKSPACE_COMPONENT as COMPONENT

SETTING = "system_datastores_auth_mode"
# Each mode as this component sends it (see above), by its lower-cased name.
AUTH_MODES = {"accesskey": "accessKey", "identity": "identity", "userdelegationsas": "UserDelegationSAS"}
SPEC_VALUES = ("AccessKey", "Identity", "UserDelegationSAS")


def system_datastores_auth_mode(given: Any, shared_key: bool | None, *, created: bool) -> str:
    """The mode to send: the given one, held to the storage's shared-key setting (`shared_key`: None when it is
    not known before the account is, e.g. an Output ID); by default `accessKey` for a created account with shared
    keys on (as before), else `identity`."""
    if given is None:
        return "accessKey" if created and shared_key else "identity"
    mode = AUTH_MODES.get(given.lower()) if isinstance(given, str) else None
    if mode is None:
        raise ComponentInputError(COMPONENT, SETTING, given, f"must be one of {', '.join(SPEC_VALUES)}")
    if mode == "accessKey" and shared_key is False:
        where = "storage.allow_shared_key_access" if created else "the existing account's allowSharedKeyAccess"
        raise ComponentInputError(
            COMPONENT,
            SETTING,
            given,
            f"the workspace storage refuses account keys ({where} is false; shared-key-authorization-prevent): use "
            "Identity or UserDelegationSAS, or allow shared key access",
        )
    return mode
