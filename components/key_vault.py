"""The workspace's key vault: RBAC-authorized, soft-delete and purge protection, or brought by ID.

RBAC authorization means no access policies at all, so redeploying the vault can never wipe the
access policy the workspace grants itself (the `accessPolicies: []` trap, MicrosoftDocs/azure-docs#24385);
`ignore_changes` on `properties.accessPolicies` keeps that true for vaults switched over later.
"""

from __future__ import annotations

from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization, keyvault

from amlws_rules import parse_arm_id

from ._common import ComponentInputError, child, token

KEY_VAULT_TYPE = "Microsoft.KeyVault/vaults"


class WorkspaceKeyVaultArgs(TypedDict):
    """Inputs of WorkspaceKeyVault: either `existing_id`, or the settings of a new vault."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the new vault (required unless `existing_id` is set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the new vault."""
    vault_name: NotRequired[str]
    """Globally unique vault name (3-24 letters, digits, hyphens); auto-named when omitted."""
    existing_id: NotRequired[str]
    """Resource ID of an existing vault to use instead of creating one."""
    tenant_id: NotRequired[pulumi.Input[str]]
    """Microsoft Entra tenant of the vault; the deploying identity's tenant by default."""
    sku_name: NotRequired[str]
    """`standard` (default) or `premium` (HSM-backed keys)."""
    enable_purge_protection: NotRequired[bool]
    """`enablePurgeProtection`, default true. Azure never accepts false once it is on, so off is sent as unset."""
    soft_delete_retention_in_days: NotRequired[int]
    """`softDeleteRetentionInDays`, 7 to 90, default 90."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Enabled` (default) or `Disabled`."""
    network_default_action: NotRequired[str]
    """`networkAcls.defaultAction`: `Allow` (default) or `Deny`; trusted Azure services are let through."""
    tags: NotRequired[dict[str, str]]
    """Tags for the new vault."""
    protect: NotRequired[bool]
    """Protect the vault from deletion (it holds the workspace's secrets)."""


def validate_key_vault_args(args: WorkspaceKeyVaultArgs, component: str = "WorkspaceKeyVault") -> None:
    """Everything Azure would refuse, before any resource is declared."""
    existing = args.get("existing_id")
    if existing:
        try:
            parse_arm_id(existing, KEY_VAULT_TYPE)
        except ValueError as err:
            raise ComponentInputError(component, "key_vault.existing_id", existing, str(err)) from None
        return
    if "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing_id is set")
    retention = args.get("soft_delete_retention_in_days", 90)
    if not 7 <= retention <= 90:
        raise ComponentInputError(component, "key_vault.soft_delete_retention_in_days", retention, "Azure accepts 7 to 90 days")
    sku = args.get("sku_name", "standard")
    if sku not in ("standard", "premium"):
        raise ComponentInputError(component, "key_vault.sku_name", sku, "must be standard or premium")


class WorkspaceKeyVault(pulumi.ComponentResource):
    """The key vault that holds secrets for the workspace and its compute targets."""

    id: pulumi.Output[str]
    """Resource ID of the vault (created or existing)."""
    vault_uri: pulumi.Output[str]
    """`https://<name>.vault.azure.net/` of the vault."""

    def __init__(self, name: str, args: WorkspaceKeyVaultArgs, opts: Optional[pulumi.ResourceOptions] = None):
        validate_key_vault_args(args)
        super().__init__(token("WorkspaceKeyVault"), name, None, opts)
        existing = args.get("existing_id")
        if existing:
            self.id = pulumi.Output.from_input(existing)
            self.vault_uri = pulumi.Output.from_input(f"https://{parse_arm_id(existing).name}.vault.azure.net/")
        else:
            tenant_id = args.get("tenant_id") or authorization.get_client_config_output(
                opts=pulumi.InvokeOutputOptions(parent=self)
            ).tenant_id
            vault = keyvault.Vault(
                f"{name}-kv",
                vault_name=args.get("vault_name"),
                resource_group_name=args["resource_group_name"],
                location=args.get("location"),
                properties=keyvault.VaultPropertiesArgs(
                    tenant_id=tenant_id,
                    sku=keyvault.SkuArgs(family="A", name=args.get("sku_name", "standard")),
                    enable_rbac_authorization=True,
                    enable_soft_delete=True,
                    soft_delete_retention_in_days=args.get("soft_delete_retention_in_days", 90),
                    enable_purge_protection=True if args.get("enable_purge_protection", True) else None,
                    public_network_access=args.get("public_network_access", "Enabled"),
                    network_acls=keyvault.NetworkRuleSetArgs(
                        default_action=args.get("network_default_action", "Allow"),
                        bypass="AzureServices",
                    ),
                    enabled_for_deployment=False,
                    enabled_for_disk_encryption=False,
                    enabled_for_template_deployment=False,
                ),
                tags=args.get("tags"),
                opts=child(self, protect=args.get("protect", False), ignore_changes=["properties.accessPolicies"]),
            )
            self.id = vault.id
            self.vault_uri = vault.properties.apply(lambda p: p.vault_uri or "")
        self.register_outputs({"id": self.id, "vault_uri": self.vault_uri})
