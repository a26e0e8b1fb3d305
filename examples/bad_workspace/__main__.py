"""A deliberately bad program, written with azure-native directly (as a user might without the
components, which refuse all of this up front). The policy pack must flag every documented
restriction here, and stay silent about the premium/HNS accounts used only as datastores."""

import pulumi
from pulumi_azure_native import applicationinsights, containerregistry, machinelearningservices as ml, storage

RG = "rg-bad"


def account(name: str, kind: str, sku: str, hns: bool = False) -> storage.StorageAccount:
    return storage.StorageAccount(name, resource_group_name=RG, kind=kind, sku=storage.SkuArgs(name=sku), is_hns_enabled=hns)


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
    untagged = containerregistry.Registry("acruntagged", resource_group_name=RG, sku=containerregistry.SkuArgs(name="Basic"), admin_user_enabled=False)
    good = workspace("ws-good", account("stgood", "StorageV2", "Standard_LRS"), container_registry=untagged.id)
    # Datastore-only accounts beside a compliant workspace storage: allowed by the docs.
    account("stadls", "StorageV2", "Standard_LRS", hns=True)
    account("stpremiumdata", "BlockBlobStorage", "Premium_LRS")
    applicationinsights.Component("classic", resource_group_name=RG, kind="web", application_type="web", ingestion_mode="ApplicationInsights")
    pulumi.export("goodWorkspace", good.id)


if __name__ == "__main__":
    main()
