"""Encryption with a customer-managed key: checked while planning (the key's settings, the vault's purge
protection), declared as an identity of its own, its grant on the vault, the key and the workspace's
`encryption` block. The deploying identity's Key Vault Crypto Officer grant on an existing vault belongs to
whoever owns that vault in the program (the stack program, once per vault); a workspace declared alone makes it
itself."""

from typing import Any, Mapping, NamedTuple, Sequence

import pulumi
from pulumi_azure_native import authorization, keyvault, managedidentity
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import assignment_name, cmk_vault_violations
from amlws_rules import roles as role_ids
from amlws_rules.naming import USER_ASSIGNED_IDENTITY

from . import defaults
from ._common import ComponentInputError, check_name, child
from .access import assign_role, builtin_role
from .declaring import Declaring
from .identity import USER_ASSIGNED_IDENTITY_TYPE, user_identity
from .key_vault import VaultFacts, check_deployer_principal_type
from .lookups import Lookups, lookup_existing

from ._common import WORKSPACE_COMPONENT as COMPONENT

KEY_SIZES = (2048, 3072, 4096)


class KeyIdentity(NamedTuple):
    """An existing user-assigned identity that unwraps the key (`user_assigned_identity_resource_id`), as found."""

    id: str
    principal_id: str
    client_id: str


class EncryptionPlan(NamedTuple):
    """A customer-managed key as validated: the key, the identity that unwraps it, who grants the deployer."""

    key_name: str
    key_size: int
    identity_name: str | None
    deployer_principal_type: str
    existing_vault_id: str | None
    """A vault the program does not create (a string `key_vault.existing_id`): the deployer needs Crypto Officer
    on it, granted by its owner (`deployer_crypto_officer`)."""
    vault_known_later: bool
    """The vault is an Output ID with no facts: held to the CMK rules once its ID is known."""
    existing_identity: KeyIdentity | None = None
    """The identity the user brings to unwrap the key (None: the component creates one)."""


def check_encryption(args: Mapping[str, Any], vault: VaultFacts, lookups: Lookups | None = None) -> KeyIdentity | None:
    """Validate `customer_managed_key` against its settings and the vault it will live in; returns the existing
    identity that unwraps the key, looked up (None: the component creates one)."""
    cmk = args.get("customer_managed_key")
    if cmk is None:
        return None
    if not cmk.get("key_name"):
        raise ComponentInputError(COMPONENT, "customer_managed_key.key_name", cmk.get("key_name"), "required")
    check_name(COMPONENT, "customer_managed_key.identity_name", USER_ASSIGNED_IDENTITY, cmk.get("identity_name"))
    check_deployer_principal_type(
        COMPONENT, "customer_managed_key.deployer_principal_type", cmk.get("deployer_principal_type")
    )
    if cmk.get("key_size", defaults.CMK_KEY_SIZE) not in KEY_SIZES:
        raise ComponentInputError(
            COMPONENT, "customer_managed_key.key_size", cmk.get("key_size"), "must be 2048, 3072 or 4096"
        )
    problems = cmk_vault_violations(
        enable_purge_protection=vault.enable_purge_protection, enable_soft_delete=vault.enable_soft_delete
    )
    if problems and not vault.known_later:  # else checked once the vault's ID is known (`checked_vault_id`)
        raise ComponentInputError(COMPONENT, "key_vault", vault.label, "; ".join(problems))
    return key_identity(cmk, lookups)


def key_identity(cmk: Mapping[str, Any], lookups: Lookups | None) -> KeyIdentity | None:
    """AVM `customerManagedKey.userAssignedIdentityResourceId`: an existing identity unwraps the key, so none is
    created. Its client ID goes to `keyVaultProperties.identityClientId` and its principal gets the vault role, so
    both are read while planning (`getUserAssignedIdentity`)."""
    given = cmk.get("user_assigned_identity_resource_id")
    if given is None:
        return None
    setting = "customer_managed_key.user_assigned_identity_resource_id"
    if not isinstance(given, str):
        raise ComponentInputError(
            COMPONENT, setting, given, f"the resource ID of a {USER_ASSIGNED_IDENTITY_TYPE} (a string)"
        )
    if cmk.get("identity_name") is not None:
        raise ComponentInputError(
            COMPONENT,
            "customer_managed_key.identity_name",
            cmk.get("identity_name"),
            "names the key identity the component creates; with "
            "customer_managed_key.user_assigned_identity_resource_id the existing identity unwraps the key and none "
            "is created: remove one of them",
        )
    found = lookup_existing(
        COMPONENT,
        setting,
        given,
        USER_ASSIGNED_IDENTITY_TYPE,
        lambda n, rg: managedidentity.get_user_assigned_identity(resource_name=n, resource_group_name=rg),
        lookups,
    )
    return KeyIdentity(given, found.principal_id, found.client_id)


def plan_encryption(
    args: Mapping[str, Any], vault: VaultFacts, existing_identity: KeyIdentity | None = None
) -> EncryptionPlan | None:
    """The customer-managed key of checked args (`check_encryption`), if any."""
    cmk = args.get("customer_managed_key")
    if cmk is None:
        return None
    existing = (args.get("key_vault") or {}).get("existing_id")
    return EncryptionPlan(
        key_name=cmk["key_name"],
        key_size=cmk.get("key_size", defaults.CMK_KEY_SIZE),
        identity_name=cmk.get("identity_name"),
        deployer_principal_type=cmk.get("deployer_principal_type", "ServicePrincipal"),
        existing_vault_id=existing if isinstance(existing, str) else None,
        vault_known_later=vault.known_later,
        existing_identity=existing_identity,
    )


def deployer_grant_name(vault_id: str) -> str:
    """The logical name of the deployer's grant on an existing vault: from the vault, not from a workspace, so
    the order of workspaces in a stack never moves it."""
    return f"deployer-crypto-officer-{vault_id.rstrip('/').rsplit('/', 1)[-1].lower()}"


def deployer_crypto_officer(
    logical_name: str,
    vault_id: pulumi.Input[str],
    principal_type: str,
    *,
    parent: pulumi.Resource | None = None,
    aliases: Sequence[pulumi.Alias] = (),
) -> authorization.RoleAssignment:
    """Key Vault Crypto Officer for the identity running `pulumi up` (getClientConfig objectId): keys created
    through ARM in an RBAC vault need the caller's data-plane role (Azure/bicep#6539, pulumi-azure-native#890)."""
    client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=parent))
    role = builtin_role(client.subscription_id, role_ids.KEY_VAULT_CRYPTO_OFFICER)
    return authorization.RoleAssignment(
        logical_name,
        role_assignment_name=pulumi.Output.all(vault_id, client.object_id, role).apply(lambda v: assignment_name(*v)),
        scope=vault_id,
        role_definition_id=role,
        principal_id=client.object_id,
        principal_type=principal_type,
        opts=pulumi.ResourceOptions(parent=parent, aliases=list(aliases)),
    )


class VaultRef(NamedTuple):
    """Where the key goes: the vault's ID (checked for CMK when known only later), name and group."""

    id: pulumi.Input[str]
    name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]


class DeclaredEncryption(NamedTuple):
    """What `declare_encryption` made: the workspace's `encryption`, the identity to add, what must come first."""

    encryption: ml.EncryptionPropertyArgs
    identity_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    grants: tuple[pulumi.Resource, ...]


def declare_encryption(
    plan: EncryptionPlan, at: Declaring, *, vault: VaultRef, key_after: Sequence[pulumi.Resource]
) -> DeclaredEncryption:
    """The key's identity (created, or the user's), its Key Vault Crypto Service Encryption User grant, and the key
    (after `key_after`: the deployer's grant on an existing vault).

    The role: "Key Vault Crypto Service Encryption User" (e147488a-f6f5-4113-8e2d-b22465e65bf6: keys read, wrapKey,
    unwrapKey; learn.microsoft.com role-based-access-control/built-in-roles/security), the documented get, wrapKey
    and unwrapKey (concept-customer-managed-keys). An existing identity gets it only on a vault the program owns;
    on an existing vault its owner grants it (the docs say so)."""
    existing = plan.existing_identity
    if existing is None:
        created = user_identity(at, f"{at.name}-cmk-id", plan.identity_name, [at.name, "cmk"])
        identity_id, principal, client = created.id, created.principal_id, created.client_id
    else:
        identity_id = pulumi.Output.from_input(existing.id)
        principal = pulumi.Output.from_input(existing.principal_id)
        client = pulumi.Output.from_input(existing.client_id)
    grants: tuple[pulumi.Resource, ...] = ()
    if existing is None or plan.existing_vault_id is None:
        grants = (
            assign_role(
                at.parent,
                f"{at.name}-cmk-crypto",
                scope=vault.id,
                role=builtin_role(at.subscription_id, role_ids.KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER),
                principal_id=principal,
                principal_type="ServicePrincipal",
            ),
        )
    key = keyvault.Key(
        f"{at.name}-cmk",
        key_name=plan.key_name,
        vault_name=vault.name,
        resource_group_name=vault.resource_group_name,
        properties=keyvault.KeyPropertiesArgs(
            kty="RSA",
            key_size=plan.key_size,
            key_ops=["wrapKey", "unwrapKey", "encrypt", "decrypt"],
        ),
        tags=at.tags,
        opts=child(at.parent, protect=at.protect, depends_on=list(key_after)),
    )
    encryption = ml.EncryptionPropertyArgs(
        status="Enabled",
        identity=ml.IdentityForCmkArgs(user_assigned_identity=identity_id),
        key_vault_properties=ml.KeyVaultPropertiesArgs(
            key_identifier=key.key_uri_with_version,
            key_vault_arm_id=vault.id,
            identity_client_id=client,
        ),
    )
    return DeclaredEncryption(encryption, identity_id, principal, grants)
