"""Workspace connections to Azure OpenAI, AI Services and AI Search: keyless unless a key is given.

A keyless connection (`authType: AAD`) stores no credential in the workspace; the workspace reaches the target
with its own identity, which is granted the documented data-plane role on the target here (the hub-focused
RBAC page, MicrosoftDocs/azure-ai-docs articles/ai-foundry/concepts/hub-rbac-foundry.md, "Access to external
resources": "Ensure the hub managed identity is granted required roles on external services"). A key-based
connection (`authType: ApiKey`) takes its key as a Pulumi secret and keeps it one: the key is wrapped in
`Output.secret` whatever the caller passed, and the connection's `properties` output is an additional secret
output, because the spec does not mark `WorkspaceConnectionApiKey.key` `x-ms-secret` (workspaceRP.json 2025-12-01).

The rules (name pattern, categories, target types and roles) live in `amlws_rules.connections`,
shared with the policy pack.
"""

import difflib
import re
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple, NotRequired, Sequence, TypedDict, cast

import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import parse_arm_id
from amlws_rules.connections import (
    CONNECTION_NAME_PATTERN,
    CONNECTION_TARGETS,
    DECLARED_AUTH_TYPES,
    KEY_AUTH_TYPE,
    KEYLESS_AUTH_TYPE,
)

from ._common import ComponentInputError, child, repr_without
from .access import assign_role, builtin_role

_CONNECTION_NAME = re.compile(CONNECTION_NAME_PATTERN)
_HTTPS_URL = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)

# Metadata keys the component derives (the AVM connection module's `apiType`/`resourceId`, Azure/terraform-azurerm-
# avm-res-machinelearningservices-workspace modules/connection; the spec's "Use Metadata property bag for ApiType").
DERIVED_METADATA = ("ApiType", "ResourceId")


class WorkspaceConnectionSettings(TypedDict):
    """One workspace connection (`Microsoft.MachineLearningServices/workspaces/connections`)."""

    name: str
    """`connectionName`: 3-33 letters, digits, `_` and `-`, starting with a letter or digit (spec pattern
    `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`); unique in the workspace."""
    category: str
    """`category`: `AzureOpenAI`, `AIServices` or `CognitiveSearch`."""
    target: str
    """`target`: the service endpoint as an https URL (an Azure OpenAI or AI Services account's endpoint, a search
    service's `https://<name>.search.windows.net`)."""
    resource_id: str
    """ARM ID of the target resource (`Microsoft.CognitiveServices/accounts` for AzureOpenAI and AIServices,
    `Microsoft.Search/searchServices` for CognitiveSearch): the keyless grant's scope and `metadata.ResourceId`."""
    auth_type: NotRequired[str]
    """`authType`: `AAD` (default; keyless, the workspace identity gets the documented data role on `resource_id`) or
    `ApiKey` (needs `secret`)."""
    secret: NotRequired[pulumi.Input[str]]
    """The key of an `ApiKey` connection (`credentials.key`); kept a Pulumi secret. Not allowed with `AAD`."""
    metadata: NotRequired[dict[str, str]]
    """More `metadata` (e.g. `ApiVersion`); `ApiType` (`Azure`) and `ResourceId` are set from `resource_id`."""
    is_shared_to_all: NotRequired[bool]
    """`isSharedToAll`: a hub's connection is available to all its projects (default true)."""


class PlannedConnection(NamedTuple):
    """One validated connection: everything its declaration needs."""

    name: str
    category: str
    target: str
    resource_id: str
    auth_type: str
    metadata: Mapping[str, str]
    is_shared_to_all: bool
    secret: pulumi.Input[str] | None = None
    grant: str | None = None
    """Label of the grant its keyless use needs (a key of `ConnectionsPlan.grants`), None for a key-based one."""

    def __repr__(self) -> str:
        return repr_without(self, "secret")


class PlannedGrant(NamedTuple):
    """One data-plane role for the workspace identity on one target, shared by the connections that need it
    (a second assignment of the same principal, role and scope fails with 409 RoleAssignmentExists)."""

    scope: str
    role: str
    role_name: str


class ConnectionsPlan(NamedTuple):
    connections: tuple[PlannedConnection, ...] = ()
    grants: Mapping[str, PlannedGrant] = MappingProxyType({})
    """By label, `<resource group>-<resource>-<role>` (declared as `<name>-conn-<label>`): the label depends on the
    target and the role only, so adding, removing or reordering connections never moves a grant's URN."""

    def with_secrets(self, connections: Sequence[Mapping[str, Any]] | None) -> "ConnectionsPlan":
        """This plan with the keys of `connections`: the args it was planned from, with the real secrets where the
        plan was made with stand-ins (a program plans before it declares). Nothing is checked again."""
        given = list(connections or [])
        if len(given) != len(self.connections):
            raise ValueError(f"{len(given)} connections for a plan of {len(self.connections)}")
        return self._replace(
            connections=tuple(
                c._replace(secret=g.get("secret")) if c.auth_type == KEY_AUTH_TYPE else c
                for c, g in zip(self.connections, given)
            ),
        )


class DeclaredConnections(NamedTuple):
    connections: Mapping[str, ml.WorkspaceConnection]
    grants: Mapping[str, authorization.RoleAssignment]

    @property
    def ids(self) -> dict[str, pulumi.Output[str]]:
        return {name: conn.id for name, conn in self.connections.items()}


SETTINGS = tuple(WorkspaceConnectionSettings.__annotations__)


def _suggest(value: str, options: Sequence[str]) -> str:
    by_lower = {option.lower(): option for option in options}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def _plan_one(component: str, index: int, conn: Any) -> PlannedConnection:
    setting = f"connections[{index}]"
    if not isinstance(conn, Mapping):
        raise ComponentInputError(component, setting, conn, f"a mapping with {', '.join(SETTINGS)}")
    for key in conn:
        if key not in SETTINGS:
            raise ComponentInputError(
                component,
                f"{setting}.{key}",
                conn[key] if key != "secret" else "[secret]",
                f"unknown setting{_suggest(str(key), SETTINGS)}; use {', '.join(SETTINGS)}",
            )
    name = conn.get("name")
    if not isinstance(name, str) or not _CONNECTION_NAME.match(name):
        raise ComponentInputError(
            component,
            f"{setting}.name",
            name,
            "3-33 letters, digits, '_' or '-', starting with a letter or digit "
            "(connectionName pattern ^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$)",
        )
    category = conn.get("category")
    if category not in CONNECTION_TARGETS:
        raise ComponentInputError(
            component,
            f"{setting}.category",
            category,
            f"one of {', '.join(CONNECTION_TARGETS)}{_suggest(str(category), list(CONNECTION_TARGETS))}",
        )
    target = conn.get("target")
    if not isinstance(target, str) or not _HTTPS_URL.match(target):
        raise ComponentInputError(component, f"{setting}.target", target, f"the {category} endpoint as an https:// URL")
    kind = CONNECTION_TARGETS[category]
    resource_id = conn.get("resource_id")
    try:
        parse_arm_id(resource_id if isinstance(resource_id, str) else "", kind.resource_type)
    except ValueError as err:
        raise ComponentInputError(
            component, f"{setting}.resource_id", resource_id, f"a {kind.resource_type} ID for {category}: {err}"
        ) from None
    auth_type = conn.get("auth_type", KEYLESS_AUTH_TYPE)
    if auth_type not in DECLARED_AUTH_TYPES:
        raise ComponentInputError(
            component,
            f"{setting}.auth_type",
            auth_type,
            f"one of {', '.join(DECLARED_AUTH_TYPES)} as the spec spells them"
            + _suggest(str(auth_type), DECLARED_AUTH_TYPES),
        )
    secret = conn.get("secret")
    if auth_type == KEY_AUTH_TYPE and secret is None:
        raise ComponentInputError(
            component, f"{setting}.secret", None, "required with auth_type ApiKey (the key, as a Pulumi secret)"
        )
    if auth_type == KEYLESS_AUTH_TYPE and secret is not None:
        raise ComponentInputError(
            component,
            f"{setting}.secret",
            "[secret]",
            "not with auth_type AAD: a keyless connection stores no credential; remove it or use auth_type ApiKey",
        )
    metadata = conn.get("metadata") or {}
    if not isinstance(metadata, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise ComponentInputError(component, f"{setting}.metadata", metadata, "a mapping of strings to strings")
    for key in metadata:
        if key.lower() in (d.lower() for d in DERIVED_METADATA):
            raise ComponentInputError(
                component,
                f"{setting}.metadata.{key}",
                metadata[key],
                f"set by the component ({', '.join(DERIVED_METADATA)} come from resource_id); remove it",
            )
    shared = conn.get("is_shared_to_all", True)
    if not isinstance(shared, bool):
        raise ComponentInputError(component, f"{setting}.is_shared_to_all", shared, "true or false")
    resource_id = cast(str, resource_id)  # parse_arm_id accepted it
    return PlannedConnection(
        name=name,
        category=cast(str, category),  # one of CONNECTION_TARGETS
        target=target,
        resource_id=resource_id,
        auth_type=auth_type,
        metadata={"ApiType": "Azure", "ResourceId": resource_id, **{str(k): str(v) for k, v in metadata.items()}},
        is_shared_to_all=shared,
        secret=secret,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def plan_connections(component: str, connections: Sequence[WorkspaceConnectionSettings] | None) -> ConnectionsPlan:
    """Validate every connection before anything is declared; names are unique case-insensitively (ARM names)."""
    if connections is None:
        return ConnectionsPlan()
    if not isinstance(connections, (list, tuple)):
        raise ComponentInputError(component, "connections", connections, "a list of connections")
    planned: list[PlannedConnection] = []
    grants: dict[str, PlannedGrant] = {}
    seen: dict[str, int] = {}
    for i, conn in enumerate(connections):
        one = _plan_one(component, i, conn)
        if one.name.lower() in seen:
            raise ComponentInputError(
                component,
                f"connections[{i}].name",
                one.name,
                f"already the name of connections[{seen[one.name.lower()]}]; connection names are unique in a "
                "workspace (case-insensitively)",
            )
        seen[one.name.lower()] = i
        if one.auth_type == KEYLESS_AUTH_TYPE:
            kind, arm = CONNECTION_TARGETS[one.category], parse_arm_id(one.resource_id)
            label = f"{_slug(arm.resource_group_name or '')}-{_slug(arm.name)}-{_slug(kind.role_name)}"
            grant = PlannedGrant(one.resource_id, kind.role, kind.role_name)
            known = grants.setdefault(label, grant)
            if known.scope.lower() != grant.scope.lower():
                raise ComponentInputError(
                    component,
                    f"connections[{i}].resource_id",
                    one.resource_id,
                    f"names the same resource group and resource as {known.scope} in another subscription; "
                    "connect to one of them from this workspace",
                )
            one = one._replace(grant=label)
        planned.append(one)
    return ConnectionsPlan(tuple(planned), grants)


def _properties(conn: PlannedConnection) -> Any:
    common: dict[str, Any] = {
        "category": conn.category,
        "target": conn.target,
        "metadata": dict(conn.metadata),
        "is_shared_to_all": conn.is_shared_to_all,
    }
    if conn.auth_type == KEY_AUTH_TYPE:
        return ml.ApiKeyAuthWorkspaceConnectionPropertiesArgs(
            auth_type=KEY_AUTH_TYPE,
            credentials=ml.WorkspaceConnectionApiKeyArgs(key=pulumi.Output.secret(conn.secret)),
            **common,
        )
    return ml.AADAuthTypeWorkspaceConnectionPropertiesArgs(auth_type=KEYLESS_AUTH_TYPE, **common)


def declare_connections(
    plan: ConnectionsPlan,
    parent: pulumi.Resource,
    *,
    name: str,
    workspace_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
    principal_id: pulumi.Input[str] | None,
) -> DeclaredConnections:
    """The connections (`<name>-conn-<connection>`), each after the grant its keyless use needs.

    `principal_id` is the identity the workspace uses for data access (its system-assigned identity, else its
    primary user-assigned one: the same choice as for its datastores), or None when the workspace's grants are off.
    """
    grants: dict[str, authorization.RoleAssignment] = {}
    if principal_id is not None:
        for label, planned in plan.grants.items():
            grants[label] = assign_role(
                parent,
                f"{name}-conn-{label}",
                scope=planned.scope,
                role=builtin_role(subscription_id, planned.role),
                principal_id=principal_id,
                principal_type="ServicePrincipal",
            )
    connections: dict[str, ml.WorkspaceConnection] = {}
    for conn in plan.connections:
        depends = [grants[conn.grant]] if conn.grant is not None and conn.grant in grants else []
        secret_outputs = ["properties"] if conn.auth_type == KEY_AUTH_TYPE else None
        connections[conn.name] = ml.WorkspaceConnection(
            f"{name}-conn-{conn.name}",
            connection_name=conn.name,
            workspace_name=workspace_name,
            resource_group_name=resource_group_name,
            properties=_properties(conn),
            opts=child(parent, depends_on=depends, additional_secret_outputs=secret_outputs),
        )
    return DeclaredConnections(connections, grants)
