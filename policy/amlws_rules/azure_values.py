"""Values Azure accepts, so the stack file can refuse the others before anything is declared.

Each list names where it was read. ARM compares enum values and region names without regard to case
(and region display names without spaces), so the checks do too.
"""

from __future__ import annotations

# Storage account `sku.name` and `kind`: the `SkuName` and `Kind` enums of the storage RP spec, as the
# azure-native SDK generates them (pulumi_azure_native/storage/_enums.py, v3.29; Azure/azure-rest-api-specs
# specification/storage/resource-manager/Microsoft.Storage/stable/*/storage.json `SkuName`, `Kind`).
STORAGE_SKU_NAMES = (
    "Standard_LRS",
    "Standard_GRS",
    "Standard_RAGRS",
    "Standard_ZRS",
    "Premium_LRS",
    "Premium_ZRS",
    "Standard_GZRS",
    "Standard_RAGZRS",
    "StandardV2_LRS",
    "StandardV2_GRS",
    "StandardV2_ZRS",
    "StandardV2_GZRS",
    "PremiumV2_LRS",
    "PremiumV2_ZRS",
)
STORAGE_KINDS = ("Storage", "StorageV2", "BlobStorage", "FileStorage", "BlockBlobStorage")

# Region names: the public, sovereign and government clouds' locations of Azure.Core's `AzureLocation`
# (Azure/azure-sdk-for-net sdk/core/Azure.Core/src/AzureLocation.cs), with the regions added since,
# from PSRule for Azure's location data (Azure/PSRule.Rules.Azure data/locations.json) and resource
# provider registrations (data/providers/microsoft.resources/types.json, microsoft.machinelearningservices).
# A region newer than these lists is let through with `amlws:allowUnlistedLocation: true`.
AZURE_REGIONS = frozenset(
    {
        # AzureLocation.cs
        "eastasia",
        "southeastasia",
        "centralus",
        "eastus",
        "eastus2",
        "westus",
        "northcentralus",
        "southcentralus",
        "northeurope",
        "westeurope",
        "japanwest",
        "japaneast",
        "brazilsouth",
        "australiaeast",
        "australiasoutheast",
        "southindia",
        "centralindia",
        "westindia",
        "canadacentral",
        "canadaeast",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westus2",
        "koreacentral",
        "koreasouth",
        "francecentral",
        "francesouth",
        "australiacentral",
        "australiacentral2",
        "uaecentral",
        "uaenorth",
        "southafricanorth",
        "southafricawest",
        "switzerlandnorth",
        "switzerlandwest",
        "germanynorth",
        "germanywestcentral",
        "germanycentral",
        "germanynortheast",
        "norwaywest",
        "norwayeast",
        "brazilsoutheast",
        "chinanorth",
        "chinaeast",
        "chinanorth2",
        "chinaeast2",
        "usdodcentral",
        "usdodeast",
        "usgovarizona",
        "usgovtexas",
        "usgovvirginia",
        "usgoviowa",
        # PSRule.Rules.Azure data/locations.json
        "chilecentral",
        "eastus2euap",
        "indonesiacentral",
        "israelcentral",
        "italynorth",
        "malaysiawest",
        "mexicocentral",
        "newzealandnorth",
        "polandcentral",
        "qatarcentral",
        "spaincentral",
        "swedencentral",
        "westus3",
        # PSRule.Rules.Azure data/providers (Microsoft.Resources, Microsoft.MachineLearningServices registrations)
        "jioindiawest",
    }
)


def region_name(value: str) -> str:
    """`West Europe`, `westeurope` and `WestEurope` are one region to ARM: compare them as `westeurope`."""
    return "".join(value.split()).lower()


def is_azure_region(value: str) -> bool:
    return region_name(value) in AZURE_REGIONS


def one_of_ignoring_case(value: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed spelling of `value` (ARM enum values are case-insensitive), or None."""
    return next((a for a in allowed if a.lower() == value.lower()), None)
