"""The workspace's key vault: RBAC-authorized, soft-delete and purge protection, or brought by ID.

RBAC authorization means no access policies at all, so redeploying the vault can never wipe the
access policy the workspace grants itself (the `accessPolicies: []` trap, MicrosoftDocs/azure-docs#24385);
`ignore_changes` on `properties.accessPolicies` keeps that true for vaults switched over later.
"""

from typing import Optional

import pulumi
from pulumi_azure_native import authorization, keyvault

from amlws_rules.naming import KEY_VAULT, hyphenated_name
from amlws_rules.roles import KEY_VAULT_CRYPTO_OFFICER

from . import defaults
from .schema import check_component_args
from ._common import child, default_seed, keep_earlier_name, required, token
from .role_assignments import declare_own_role_assignments, own_role_assignments
from .access import assign_role, builtin_role
from .diagnostics import send_diagnostics
from .locks import lock_resource
from .key_vault_plan import (  # noqa: F401 (moved to key_vault_plan; imported from here before)
    DEPLOYER_PRINCIPAL_TYPES,
    ExistingVaultFacts,
    KEY_VAULT_TYPE,
    VaultFacts,
    VaultPlan,
    WorkspaceKeyVaultArgs,
    _get_vault,
    _handed_vault,
    _new_vault,
    check_deployer_principal_type,
    checked_vault_id,
    plan_key_vault,
    planned_vault,
    validate_key_vault_args,
    vault_facts,
    vault_name_and_group,
    vault_of,
)

__all__ = [  # what this module offered before the split, and still does
    "DEFAULT_NETWORK_DEFAULT_ACTION",
    "DEFAULT_PUBLIC_NETWORK_ACCESS",
    "DEPLOYER_PRINCIPAL_TYPES",
    "ExistingVaultFacts",
    "KEY_VAULT_TYPE",
    "VaultFacts",
    "VaultPlan",
    "WorkspaceKeyVault",
    "WorkspaceKeyVaultArgs",
    "check_deployer_principal_type",
    "checked_vault_id",
    "plan_key_vault",
    "planned_vault",
    "validate_key_vault_args",
    "vault_facts",
    "vault_name_and_group",
    "vault_of",
]

# Secure by default, as the Azure Verified Modules are (avm/res/key-vault/vault: publicNetworkAccess Disabled
# without an explicit choice, networkAcls defaultAction Deny): the pack's mandatory key-vault-public-network-
# access-disabled (405c5871) and key-vault-firewall (55615ac9) hold unless the caller opens the vault.
DEFAULT_PUBLIC_NETWORK_ACCESS = defaults.KEY_VAULT_PUBLIC_NETWORK_ACCESS
DEFAULT_NETWORK_DEFAULT_ACTION = defaults.KEY_VAULT_NETWORK_DEFAULT_ACTION


class WorkspaceKeyVault(pulumi.ComponentResource):
    """The key vault that holds secrets for the workspace and its compute targets."""

    id: pulumi.Output[str]
    """Resource ID of the vault (created or existing)."""
    vault_uri: pulumi.Output[str]
    """`https://<name>.vault.azure.net/` of the vault."""

    vault_name: pulumi.Output[str]
    """Name of the vault."""
    resource_group_name: pulumi.Output[str]
    """Resource group of the vault."""

    def __init__(
        self,
        name: str,
        args: WorkspaceKeyVaultArgs,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        plan: VaultPlan | None = None,
    ):
        # `plan`: the section as checked already with its parent's Args (MachineLearningWorkspace's plan,
        # SharedWorkspaceResources' section plans), so it is not checked again.
        if plan is None:
            check_component_args("WorkspaceKeyVault", name, args, WorkspaceKeyVaultArgs)
            found = validate_key_vault_args(args)
        else:
            existing = args.get("existing_id")
            brought = existing is not None and (existing != "" if isinstance(existing, str) else True)
            found = vault_of(args, plan) if brought else None
        roles = own_role_assignments("WorkspaceKeyVault", args, "existing_id")
        super().__init__(token("WorkspaceKeyVault"), name, None, opts)
        self.facts: ExistingVaultFacts | None = None  # handed on with the ID (a shared vault)
        if found is not None:
            if not (
                found.name and found.resource_group_name
            ):  # from the (checked) ID, so what uses them waits for the check
                self.id = (
                    checked_vault_id(found.id, "WorkspaceKeyVault", for_cmk=False)
                    if found.known_later
                    else pulumi.Output.from_input(found.id)
                )
                self.vault_name, self.resource_group_name = vault_name_and_group(self.id)
            else:
                self.id = pulumi.Output.from_input(found.id)
                self.vault_name = pulumi.Output.from_input(found.name)
                self.resource_group_name = pulumi.Output.from_input(found.resource_group_name)
            self.vault_uri = self.vault_name.apply(lambda n: f"https://{n}.vault.azure.net/")
            self.facts = vault_facts(found)
        else:
            tenant_id = (
                args.get("tenant_id")
                or authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
            )
            vault = keyvault.Vault(
                f"{name}-kv",
                vault_name=args.get("vault_name") or hyphenated_name(KEY_VAULT, "kv", [name], default_seed(name)),
                resource_group_name=required(args, "resource_group_name", "WorkspaceKeyVault"),
                location=args.get("location"),
                properties=keyvault.VaultPropertiesArgs(
                    tenant_id=tenant_id,
                    sku=keyvault.SkuArgs(
                        family="A", name=keyvault.SkuName(args.get("sku_name", defaults.KEY_VAULT_SKU_NAME))
                    ),
                    enable_rbac_authorization=True,
                    enable_soft_delete=True,
                    soft_delete_retention_in_days=args.get(
                        "soft_delete_retention_in_days", defaults.KEY_VAULT_SOFT_DELETE_RETENTION_IN_DAYS
                    ),
                    enable_purge_protection=True if args.get("enable_purge_protection", True) else None,
                    public_network_access=args.get("public_network_access", DEFAULT_PUBLIC_NETWORK_ACCESS),
                    network_acls=keyvault.NetworkRuleSetArgs(
                        default_action=args.get("network_default_action", DEFAULT_NETWORK_DEFAULT_ACTION),
                        bypass="AzureServices",
                    ),
                    enabled_for_deployment=False,
                    enabled_for_disk_encryption=False,
                    enabled_for_template_deployment=False,
                ),
                tags=args.get("tags"),
                opts=child(
                    self,
                    protect=args.get("protect", False),
                    ignore_changes=[
                        "properties.accessPolicies",
                        *keep_earlier_name(args.get("vault_name"), "vaultName"),
                    ],
                ),
            )
            self.id = vault.id
            self.vault_name = vault.name
            if args.get(
                "grant_deployer_crypto_officer"
            ):  # the ID and name handed on carry the grant: a key waits for it
                grant = self._grant_deployer(name, vault, args.get("deployer_principal_type", "ServicePrincipal"))
                self.id = pulumi.Output.all(vault.id, grant.id).apply(lambda values: values[0])
                self.vault_name = pulumi.Output.all(vault.name, grant.id).apply(lambda values: values[0])
            self.resource_group_name = pulumi.Output.from_input(
                required(args, "resource_group_name", "WorkspaceKeyVault")
            )
            self.vault_uri = vault.properties.apply(lambda p: p.vault_uri or "")
            self.facts = vault_facts(_new_vault(args))
            diagnostics_workspace_id = args.get("diagnostics_workspace_id")
            if diagnostics_workspace_id is not None:
                send_diagnostics(self, f"{name}-kv-diag", vault.id, diagnostics_workspace_id)
            lock_resource(self, f"{name}-kv", vault.id, args.get("lock"))
        declare_own_role_assignments(roles, self, name, self.id)
        self.register_outputs(
            {
                "id": self.id,
                "vault_uri": self.vault_uri,
                "vault_name": self.vault_name,
                "resource_group_name": self.resource_group_name,
            }
        )

    def _grant_deployer(self, name: str, vault: keyvault.Vault, principal_type: str) -> authorization.RoleAssignment:
        """Key Vault Crypto Officer for the identity running `pulumi up` (getClientConfig objectId).

        Creating a key through ARM in an RBAC vault is a data-plane action on the caller's behalf: without
        Crypto Officer (or Administrator) ARM refuses it (Azure/bicep#6539, pulumi/pulumi-azure-native#890).
        """
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        return assign_role(
            self,
            f"{name}-deployer-crypto-officer",
            scope=vault.id,
            role=builtin_role(client.subscription_id, KEY_VAULT_CRYPTO_OFFICER),
            principal_id=client.object_id,
            principal_type=principal_type,
        )
