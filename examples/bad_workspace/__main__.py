"""A deliberately bad program, written with azure-native directly (as a user might without the
components, which refuse all of this up front). The policy pack must flag every documented
restriction here, and stay silent about the premium/HNS accounts used only as datastores (and the
HNS account behind a proper ADLS Gen2 datastore)."""

import pulumi
from pulumi_azure_native import applicationinsights, containerregistry, keyvault, machinelearningservices as ml, storage

RG = "rg-bad"


def account(name: str, kind: str, sku: str, hns: bool = False) -> storage.StorageAccount:
    return storage.StorageAccount(
        name, resource_group_name=RG, kind=kind, sku=storage.SkuArgs(name=sku), is_hns_enabled=hns
    )


def workspace(name: str, store: storage.StorageAccount, **extra) -> ml.Workspace:
    return ml.Workspace(
        name,
        resource_group_name=RG,
        identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
        storage_account=store.id,
        key_vault="/subscriptions/s/resourceGroups/rg-bad/providers/Microsoft.KeyVault/vaults/kv",
        application_insights="/subscriptions/s/resourceGroups/rg-bad/providers/Microsoft.Insights/components/ai",
        **extra,
    )


def main() -> None:
    workspace("ws-blob", account("stblob", "BlobStorage", "Standard_LRS"))
    workspace("ws-premium", account("stpremium", "StorageV2", "Premium_LRS"))
    workspace("ws-hns", account("sthns", "StorageV2", "Standard_LRS", hns=True))
    untagged = containerregistry.Registry(
        "acruntagged", resource_group_name=RG, sku=containerregistry.SkuArgs(name="Basic"), admin_user_enabled=False
    )
    good = workspace("ws-good", account("stgood", "StorageV2", "Standard_LRS"), container_registry=untagged.id)
    # Datastore-only accounts beside a compliant workspace storage: allowed by the docs.
    account("stadls", "StorageV2", "Standard_LRS", hns=True)
    account("stpremiumdata", "BlockBlobStorage", "Premium_LRS")
    # A customer-managed key in a vault without purge protection.
    vault = keyvault.Vault(
        "kvnopurge",
        resource_group_name=RG,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id="t", sku=keyvault.SkuArgs(family="A", name="standard"), enable_soft_delete=True
        ),
    )
    workspace(
        "ws-cmk",
        account("stcmk", "StorageV2", "Standard_LRS"),
        encryption=ml.EncryptionPropertyArgs(
            status="Enabled",
            key_vault_properties=ml.KeyVaultPropertiesArgs(
                key_identifier="https://kvnopurge.vault.azure.net/keys/k/1", key_vault_arm_id=vault.id
            ),
        ),
    )
    # An ADLS Gen2 datastore on an account without a hierarchical namespace, holding an account key.
    flat = account("stflat", "StorageV2", "Standard_LRS")
    ml.Datastore(
        "ds-bad",
        name="bad",
        resource_group_name=RG,
        workspace_name="ws-good",
        properties=ml.AzureDataLakeGen2DatastoreArgs(
            datastore_type="AzureDataLakeGen2",
            account_name=flat.name,
            filesystem="raw",
            credentials=ml.AccountKeyDatastoreCredentialsArgs(
                credentials_type="AccountKey",
                secrets=ml.AccountKeyDatastoreSecretsArgs(
                    secrets_type="AccountKey", key=pulumi.Output.secret("not-a-real-key")
                ),
            ),
        ),
    )
    # The documented way: the HNS account behind an identity-based ADLS Gen2 datastore.
    lake = account("stlake", "StorageV2", "Standard_LRS", hns=True)
    ml.Datastore(
        "ds-good",
        name="good",
        resource_group_name=RG,
        workspace_name="ws-good",
        properties=ml.AzureDataLakeGen2DatastoreArgs(
            datastore_type="AzureDataLakeGen2",
            account_name=lake.name,
            filesystem="curated",
            credentials=ml.NoneDatastoreCredentialsArgs(credentials_type="None"),
        ),
    )
    applicationinsights.Component(
        "classic", resource_group_name=RG, kind="web", application_type="web", ingestion_mode="ApplicationInsights"
    )
    pulumi.export("goodWorkspace", good.id)


if __name__ == "__main__":
    main()
