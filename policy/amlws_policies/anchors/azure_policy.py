"""Azure Policy built-ins (Azure/azure-policy built-in-policies/policyDefinitions/<Category>/*.json; the GUID
prefix identifies the definition), by resource type."""

from __future__ import annotations

from . import AMPLS, AP, Anchor, SERVICE_ENDPOINTS

AZURE_POLICY_ANCHORS: list[Anchor] = [
    # Machine Learning
    Anchor(
        AP,
        "438c38d2",
        "Azure Machine Learning Workspaces should disable public network access",
        "workspace-public-network-access-disabled",
    ),
    Anchor(AP, "45e05259", "Azure Machine Learning workspaces should use private link", "workspace-network-isolation"),
    Anchor(
        AP,
        "ba769a63",
        "Azure Machine Learning workspaces should be encrypted with a customer-managed key",
        "workspace-cmk-encryption",
    ),
    Anchor(
        AP,
        "5f0c7d88",
        "Azure Machine Learning workspaces should use user-assigned managed identity",
        "workspace-user-assigned-identity",
        "mandatory where required; primaryUserAssignedIdentity set (requirePrimaryIdentity, default true)",
    ),
    Anchor(
        AP,
        "6ddb1705",
        "Azure Machine Learning and AI Studio should use Allow Only Approved Outbound Managed Vnet mode",
        "workspace-managed-network-isolation-mode",
    ),
    Anchor(
        AP,
        "e96a9a5f",
        "Azure Machine Learning Computes should have local authentication methods disabled",
        "compute-local-auth-disabled",
    ),
    Anchor(AP, "7804b5c7", "Azure Machine Learning Computes should be in a virtual network", "compute-in-subnet"),
    Anchor(
        AP,
        "679ddf89",
        "Azure Machine Learning Compute Instance should have idle shutdown",
        "compute-instance-idle-shutdown",
    ),
    Anchor(
        AP,
        "afe0c3be",
        "Resource logs in Azure Machine Learning Workspaces should be enabled",
        "workspace-diagnostic-settings",
    ),
    Anchor(
        AP,
        "e413671a",
        "Azure Machine Learning workspaces should enable V1LegacyMode",
        None,
        "asks for v1LegacyMode true, which keeps a workspace on "
        "the V1 API platform without V2 features (managed network, "
        "registries, serverless); Microsoft's own text recommends "
        "it only to keep V1 control-plane data in private networks. "
        "Our workspaces use V2 and the managed network, so they set v1LegacyMode false on purpose",
    ),
    Anchor(
        AP,
        "ee40564d",
        "Configure Azure Machine Learning workspace to use private DNS zones",
        "private-endpoint-dns-zone-group",
    ),
    # Storage
    Anchor(AP, "4fa4b6c0", "Storage account public access should be disallowed", "storage-no-public-blob-access"),
    Anchor(AP, "8c6a50c6", "Storage accounts should prevent shared key access", "storage-shared-key-access-disabled"),
    Anchor(AP, "fe83a0eb", "Storage accounts should have the specified minimum TLS version", "storage-minimum-tls-1-2"),
    Anchor(AP, "404c3081", "Secure transfer to storage accounts should be enabled", "storage-https-only"),
    Anchor(
        AP,
        "b2982f36",
        "Storage accounts should disable public network access",
        "storage-public-network-access-disabled",
    ),
    Anchor(AP, "34c877ad", "Storage accounts should restrict network access", "storage-network-default-deny"),
    Anchor(
        AP,
        "2a1a9cdf",
        "Storage accounts should restrict network access using virtual network rules",
        "storage-network-virtual-network-rules-only",
    ),
    Anchor(
        AP,
        "db4f9b05",
        "... using virtual network rules (excluding storage accounts created by Databricks)",
        "storage-network-virtual-network-rules-only",
    ),
    Anchor(
        AP,
        "7809fda1",
        "Storage Accounts should restrict network access through network ACL bypass configuration only",
        None,
        "a Modify policy of the Virtual Enclaves category: it rewrites "
        "the request (drops IP and virtual network rules) instead of "
        "judging it; storage-network-virtual-network-rules-only and "
        "storage-public-network-access-disabled judge the same outcome",
    ),
    Anchor(
        AP,
        "c9d007d0",
        "Storage accounts should allow access from trusted Microsoft services",
        "storage-trusted-microsoft-services",
    ),
    Anchor(
        AP,
        "92a89a79",
        "Storage accounts should prevent cross tenant object replication",
        "storage-cross-tenant-replication-disabled",
    ),
    Anchor(
        AP, "4733ea7b", "Storage accounts should have infrastructure encryption", "storage-infrastructure-encryption"
    ),
    Anchor(
        AP,
        "6fac406b",
        "Storage accounts should use customer-managed key for encryption",
        "storage-customer-managed-key",
    ),
    Anchor(
        AP, "f0e5abd0", "Queue Storage should use customer-managed key for encryption", "storage-customer-managed-key"
    ),
    Anchor(
        AP, "7c322315", "Table Storage should use customer-managed key for encryption", "storage-customer-managed-key"
    ),
    Anchor(AP, "60d21c4f", "Storage Accounts should use a virtual network service endpoint", None, SERVICE_ENDPOINTS),
    Anchor(AP, "85b005b2", "Storage Accounts should be Zone Redundant", "storage-zone-redundant"),
    Anchor(AP, "bf045164", "Geo-redundant storage should be enabled for Storage Accounts", "storage-geo-redundant"),
    Anchor(
        AP,
        "bc1b984e",
        "Storage accounts should have shared access signature (SAS) policies configured",
        "storage-sas-expiration-policy",
    ),
    Anchor(
        AP,
        "7aa1c9d5",
        "Storage SAS tokens should adhere to 7 day maximum validity (default effect Deny)",
        "storage-sas-expiration-policy",
    ),
    Anchor(
        AP, "9fbd64e3", "Configure soft delete for blobs and containers on Storage Accounts", "storage-blob-soft-delete"
    ),
    Anchor(
        AP,
        "c36a325b",
        "(listed in issue 11; no definition with this GUID found in Azure/azure-policy)",
        None,
        "the definition could not be found in the sources read, so no rule is encoded rather than a guessed one",
    ),
    Anchor(AP, "75973700", "Configure a private DNS zone ID for blob groupID", "private-endpoint-dns-zone-group"),
    Anchor(AP, "6df98d03", "Configure a private DNS zone ID for file groupID", "private-endpoint-dns-zone-group"),
    Anchor(AP, "83c6fe0f", "Configure a private DNS zone ID for dfs groupID", "private-endpoint-dns-zone-group"),
    # Key Vault
    Anchor(AP, "0b60c0b2", "Key vaults should have deletion protection enabled", "key-vault-purge-protection"),
    Anchor(AP, "1e66c121", "Key vaults should have soft delete enabled", "key-vault-soft-delete"),
    Anchor(AP, "12d4fa5e", "Azure Key Vault should use RBAC permission model", "key-vault-rbac-authorization"),
    Anchor(
        AP,
        "405c5871",
        "Azure Key Vault should disable public network access",
        "key-vault-public-network-access-disabled",
    ),
    Anchor(AP, "55615ac9", "Azure Key Vault should have firewall enabled", "key-vault-firewall"),
    Anchor(AP, "ea4d6841", "Key Vault should use a virtual network service endpoint", None, SERVICE_ENDPOINTS),
    Anchor(AP, "cf820ca0", "Resource logs in Key Vault should be enabled", "key-vault-diagnostic-settings"),
    Anchor(AP, "ac673a9a", "Configure Azure Key Vaults to use private DNS zones", "private-endpoint-dns-zone-group"),
    # Container Registry
    Anchor(AP, "dc921057", "Container registries should have local admin account disabled", "acr-admin-user-disabled"),
    Anchor(
        AP,
        "0fdf0491",
        "Public network access should be disabled for Container registries",
        "acr-public-network-access-disabled",
    ),
    Anchor(
        AP,
        "9f2dea28",
        "Container registries should have anonymous authentication disabled",
        "acr-anonymous-pull-disabled",
    ),
    Anchor(
        AP,
        "5b9159ae",
        "Container registries should be encrypted with a customer-managed key",
        "acr-customer-managed-key",
    ),
    Anchor(
        AP,
        "42781ec6",
        "Container registries should have ARM audience token authentication disabled",
        "acr-arm-audience-tokens-disabled",
    ),
    Anchor(AP, "524b0254", "Container registries should have exports disabled", "acr-exports-disabled"),
    Anchor(AP, "bd560fc0", "Container registries should have SKUs that support Private Links", "acr-sku"),
    Anchor(AP, "9d2b0a20", "Container registries should be zone redundant", "acr-zone-redundancy"),
    Anchor(AP, "c4857be7", "Container Registry should use a virtual network service endpoint", None, SERVICE_ENDPOINTS),
    Anchor(
        AP,
        "ff05e24e",
        "Container registries should have repository scoped access token disabled",
        "acr-repository-tokens-disabled",
    ),
    Anchor(AP, "84497762", "Container registries should prevent cache rule creation", "acr-no-cache-rules"),
    Anchor(
        AP,
        "e9585a95",
        "Configure Azure Container Registries to use private DNS zones",
        "private-endpoint-dns-zone-group",
    ),
    # Monitoring
    Anchor(
        AP,
        "199d5677",
        "Application Insights components should block non-Azure Active Directory based ingestion",
        "application-insights-local-auth-disabled",
    ),
    Anchor(
        AP,
        "d550e854",
        "Azure Monitor Logs for Application Insights should be linked to a Log Analytics workspace",
        "application-insights-workspace-based",
    ),
    Anchor(
        AP,
        "1bc02227",
        "Application Insights components should block log ingestion and querying from public networks",
        "application-insights-public-network-access",
        f"mandatory where required; it {AMPLS}",
    ),
    Anchor(
        AP,
        "0c4bd2e8",
        "Application Insights components with Private Link enabled should "
        "use Bring Your Own Storage accounts for profiler and debugger",
        None,
        "applies only to components behind a Private Link scope, which the stack "
        "creates none of; Azure ML uses neither profiler nor snapshot debugger",
    ),
    Anchor(
        AP,
        "e15effd4",
        "Log Analytics Workspaces should block non-Azure Active Directory based ingestion",
        "log-analytics-local-auth-disabled",
    ),
    Anchor(
        AP,
        "6c53d030",
        "Log Analytics workspaces should block log ingestion and querying from public networks",
        "log-analytics-public-network-access",
        f"mandatory where required; it {AMPLS}",
    ),
    Anchor(
        AP,
        "fa298e57",
        "Saved-queries in Azure Monitor should be saved in customer storage account for logs encryption",
        None,
        "needs a linked storage account for queries (workspaces/linkedStorageAccounts, "
        "Query); the stack saves no queries in Log Analytics",
    ),
    # General
    Anchor(AP, "e56962a6", "Allowed locations", "allowed-locations"),
    Anchor(
        AP, "0a914e76", "Audit resource location matches resource group location", "location-matches-resource-group"
    ),
    Anchor(AP, "871b6d14", "Require a tag on resources", "required-tags"),
]
