"""The workspace's identity: which `identity.type` it gets (derived once, while planning), the user-assigned
identity the component may create for it, and the roles a user-assigned primary identity needs."""

from typing import Any, Mapping, NamedTuple

import pulumi
from pulumi_azure_native import managedidentity

from amlws_rules import roles as role_ids
from amlws_rules.naming import USER_ASSIGNED_IDENTITY, hyphenated_name

from ._common import ComponentInputError, check_name, child, keep_earlier_name
from .access import assign_role, builtin_role
from .declaring import Declaring
from .lookups import Lookups, lookup_existing

from ._common import WORKSPACE_COMPONENT as COMPONENT

IDENTITY_TYPES = ("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned")
USER_ASSIGNED_IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
WORKSPACE_IDENTITY_SETTINGS = ("identity_name", "system_assigned")

# The roles a workspace's user-assigned identity needs, per associated resource
# (how-to-identity-based-service-authentication, "User-assigned managed identity"; MicrosoftDocs/azure-docs
# articles/machine-learning/how-to-identity-based-service-authentication.md): Azure ML creates them only for
# its system-assigned identity ("Role assignment creation: Managed by Microsoft"), so a second copy for that
# one fails with 409 RoleAssignmentExists (MicrosoftDocs/azure-docs#80040) and is never declared.
USER_ASSIGNED_GRANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "storage": (
        ("storage-contributor", role_ids.CONTRIBUTOR),
        ("storage-blob-data", role_ids.STORAGE_BLOB_DATA_CONTRIBUTOR),
    ),
    "key_vault": (("keyvault-contributor", role_ids.CONTRIBUTOR), ("keyvault-admin", role_ids.KEY_VAULT_ADMINISTRATOR)),
    "container_registry": (("acr-contributor", role_ids.CONTRIBUTOR),),
    "application_insights": (("appi-contributor", role_ids.CONTRIBUTOR),),
}


class IdentityPlan(NamedTuple):
    """The workspace's `identity` as decided once: its type (a customer-managed key's identity included), the
    identities the user brings, and whether the component creates the primary one."""

    type: str
    """`identity.type`, final."""
    user_assigned_identity_ids: tuple[str, ...]
    """Identities the user brings (`identity.userAssignedIdentities`, before the created ones)."""
    primary_user_assigned_identity: str | None
    """An existing primary identity (None when the component creates it or there is none)."""
    existing_principal: str | None
    """Principal of that existing identity, looked up, when the component grants it roles."""
    create: bool
    """The component creates the primary identity (`workspace_identity`)."""
    identity_name: str | None
    """`resourceName` of the created identity as given (None: named by the naming rules)."""
    includes_system: bool
    """A system-assigned identity is part of `identity.type`."""


def identity_includes_system(args: Mapping[str, Any]) -> bool:
    created = args.get("workspace_identity")
    if created is not None:
        return bool(created.get("system_assigned", False))
    return "SystemAssigned" in args.get("identity_type", "SystemAssigned")


def validate_identity_type(args: Mapping[str, Any]) -> None:
    identity = args.get("identity_type", "SystemAssigned")
    if identity not in IDENTITY_TYPES:
        raise ComponentInputError(COMPONENT, "identity_type", identity, f"must be one of {', '.join(IDENTITY_TYPES)}")
    if "UserAssigned" in identity and not args.get("user_assigned_identity_ids"):
        raise ComponentInputError(
            COMPONENT, "user_assigned_identity_ids", None, f"required when identity_type is {identity}"
        )
    if identity == "UserAssigned" and not args.get("primary_user_assigned_identity"):
        raise ComponentInputError(
            COMPONENT, "primary_user_assigned_identity", None, "required when identity_type is UserAssigned"
        )


def primary_identity_principal(args: Mapping[str, Any], lookups: Lookups | None = None) -> str | None:
    """Principal ID of an existing primary user-assigned identity the component grants roles to (looked up),
    or None when Azure ML manages the grants (a system-assigned identity), they are turned off, or the
    component creates the identity (`workspace_identity`: its principal is known once it exists)."""
    primary = args.get("primary_user_assigned_identity")
    if not primary or not args.get("grant_workspace_identity_data_roles", True):
        return None
    # The whole answer is kept (not only the principal), so a customer-managed key unwrapped by the same identity
    # (`encryption.key_identity`) reads the same lookup.
    found = lookup_existing(
        COMPONENT,
        "primary_user_assigned_identity",
        primary,
        USER_ASSIGNED_IDENTITY_TYPE,
        lambda n, rg: managedidentity.get_user_assigned_identity(resource_name=n, resource_group_name=rg),
        lookups,
    )
    return found.principal_id


def validate_workspace_identity(args: Mapping[str, Any]) -> None:
    """`workspace_identity`: the component creates the primary identity and derives `identity.type`, so an
    existing primary identity or an explicit type beside it is refused, and so is turning off its grants
    (nothing else can grant a new identity its roles before the workspace is created)."""
    settings = args.get("workspace_identity")
    if settings is None:
        return
    if not isinstance(settings, dict):
        raise ComponentInputError(
            COMPONENT,
            "workspace_identity",
            settings,
            f"a mapping with {' and/or '.join(WORKSPACE_IDENTITY_SETTINGS)} ({{}} for the defaults)",
        )
    unknown = sorted(set(settings) - set(WORKSPACE_IDENTITY_SETTINGS))
    if unknown:
        raise ComponentInputError(
            COMPONENT, "workspace_identity", unknown, f"unknown settings; use {', '.join(WORKSPACE_IDENTITY_SETTINGS)}"
        )
    for other in ("primary_user_assigned_identity", "identity_type"):
        if other in args:
            raise ComponentInputError(
                COMPONENT,
                other,
                args.get(other),
                "not beside workspace_identity, which creates the primary identity and derives identity.type from "
                "workspace_identity.system_assigned: remove one of them",
            )
    system = settings.get("system_assigned", False)
    if not isinstance(system, bool):
        raise ComponentInputError(COMPONENT, "workspace_identity.system_assigned", system, "must be true or false")
    given = settings.get("identity_name")
    check_name(COMPONENT, "workspace_identity.identity_name", USER_ASSIGNED_IDENTITY, given)
    cmk_name = (args.get("customer_managed_key") or {}).get("identity_name")
    if isinstance(given, str) and isinstance(cmk_name, str) and given.lower() == cmk_name.lower():
        raise ComponentInputError(
            COMPONENT,
            "workspace_identity.identity_name",
            given,
            "is also customer_managed_key.identity_name; the workspace identity (Contributor on its resources) and "
            "the key's identity (Key Vault Crypto Service Encryption User only) are separate identities: give them "
            "different names",
        )
    if args.get("grant_workspace_identity_data_roles", True) is not True:
        raise ComponentInputError(
            COMPONENT,
            "grant_workspace_identity_data_roles",
            args.get("grant_workspace_identity_data_roles"),
            "must stay on with workspace_identity: the identity is created here, so nothing else can grant it the "
            "roles Azure ML needs on the storage, key vault, registry and Application Insights before the workspace "
            "is created",
        )


def plan_identity(args: Mapping[str, Any], principal: str | None) -> IdentityPlan:
    """`identity.type`, derived here only. With `workspace_identity`: AVM, "primaryUserAssignedIdentity may not be
    used if 'systemAssignedIdentity' is enabled"; PSRule Azure.ML.UserManagedIdentity wants `UserAssigned`, so a
    system-assigned one only on request. A customer-managed key adds its own user-assigned identity."""
    created = args.get("workspace_identity")
    includes_system = identity_includes_system(args)
    if created is not None:
        kind = "SystemAssigned,UserAssigned" if includes_system else "UserAssigned"
    else:
        kind = args.get("identity_type", "SystemAssigned")
    if "customer_managed_key" in args and "UserAssigned" not in kind:
        kind = f"{kind},UserAssigned"
    return IdentityPlan(
        type=kind,
        user_assigned_identity_ids=tuple(args.get("user_assigned_identity_ids") or ()),
        primary_user_assigned_identity=args.get("primary_user_assigned_identity"),
        existing_principal=principal,
        create=created is not None,
        identity_name=(created or {}).get("identity_name"),
        includes_system=includes_system,
    )


def user_identity(
    at: Declaring, logical: str, given_name: str | None, name_parts: list[str]
) -> managedidentity.UserAssignedIdentity:
    """A user-assigned identity the component creates (the workspace's own, the customer-managed key's): the
    given name, or `id-<parts>` by the naming rules; see `keep_earlier_name` for why a chosen name is ignored
    on update (a replaced identity breaks the workspace that uses it)."""
    return managedidentity.UserAssignedIdentity(
        logical,
        resource_name_=given_name or hyphenated_name(USER_ASSIGNED_IDENTITY, "id", name_parts),
        resource_group_name=at.rg,
        location=at.location,
        tags=at.tags,
        opts=child(at.parent, protect=at.protect, ignore_changes=keep_earlier_name(given_name, "resourceName")),
    )


class DeclaredIdentity(NamedTuple):
    """The primary user-assigned identity the workspace reaches its resources with (None: Azure ML manages the
    grants of a system-assigned one), and the grants made to it before the workspace exists."""

    principal: pulumi.Input[str] | None
    primary: pulumi.Input[str] | None
    created_id: pulumi.Output[str] | None
    grants: tuple[pulumi.Resource, ...]

    def with_system(self, system: pulumi.Input[str] | None) -> "WorkspacePrincipals":
        return WorkspacePrincipals(self.principal, system)


class WorkspacePrincipals(NamedTuple):
    """The identities Azure ML acts with once the workspace exists."""

    primary: pulumi.Input[str] | None
    """The primary user-assigned identity's principal (created, or existing and granted roles)."""
    system: pulumi.Input[str] | None
    """The system-assigned identity's principal, when `identity.type` has one."""

    @property
    def approver(self) -> pulumi.Input[str] | None:
        """The identity Azure ML uses: the primary user-assigned one, else the system-assigned one."""
        return self.primary if self.primary is not None else self.system

    @property
    def data_access(self) -> tuple[pulumi.Input[str] | None, str]:
        """Datastores are reached with the system-assigned identity when there is one, else with the primary
        user-assigned identity (serviceDataAccessAuthIdentity WorkspaceUserAssignedIdentity)."""
        if self.system is not None:
            return self.system, "WorkspaceSystemAssignedIdentity"
        return self.primary, "WorkspaceUserAssignedIdentity"


def declare_identity(plan: IdentityPlan, at: Declaring, *, scopes: Mapping[str, pulumi.Input[str]]) -> DeclaredIdentity:
    """The created workspace identity (a separate one from the customer-managed key's: the docs allow either,
    "can be the same or different as the workspace primary user assigned managed identity",
    how-to-identity-based-service-authentication, and a separate one keeps the key's identity at Key Vault Crypto
    Service Encryption User; AVM's module also takes the two apart), then its grants on `scopes` (by section),
    before the workspace: Azure ML reaches its resources with it at creation."""
    principal: pulumi.Input[str] | None = plan.existing_principal
    primary: pulumi.Input[str] | None = plan.primary_user_assigned_identity
    created_id: pulumi.Output[str] | None = None
    if plan.create:
        identity = user_identity(at, f"{at.name}-mlw-id", plan.identity_name, [at.name, "mlw"])
        principal, primary, created_id = identity.principal_id, identity.id, identity.id
    grants: list[pulumi.Resource] = []
    if principal is not None:
        for section, scope in scopes.items():
            for suffix, guid in USER_ASSIGNED_GRANTS[section]:
                grants.append(
                    assign_role(
                        at.parent,
                        f"{at.name}-identity-{suffix}",
                        scope=scope,
                        role=builtin_role(at.subscription_id, guid),
                        principal_id=principal,
                        principal_type="ServicePrincipal",
                    )
                )
    return DeclaredIdentity(principal, primary, created_id, tuple(grants))
