"""Every anchor rule for our resource types -> the policy that enforces it, or why it is excluded.

Sources: Azure Policy built-ins (Azure/azure-policy built-in-policies/policyDefinitions/<Category>/
*.json; the GUID prefix identifies the definition), Checkov ARM checks (bridgecrewio/checkov
checkov/arm/checks/resource/*.py), PSRule for Azure rules (Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml/.ps1). The README's parity table is generated
from this list (scripts/readme_tables.py) and tests check it against the pack.
"""

from __future__ import annotations

from typing import NamedTuple


class Anchor(NamedTuple):
    source: str  # "Azure Policy", "Checkov", "PSRule"
    id: str  # GUID prefix, check id or rule name
    title: str
    policy: str | None  # the pack's policy, or None when excluded
    reason: str = ""  # why excluded (or a note on how the policy covers it)


AP, CK, PS = "Azure Policy", "Checkov", "PSRule"
SERVICE_ENDPOINTS = (
    "audits virtual network service endpoints (networkAcls.virtualNetworkRules); this package reaches the service "
    "through private endpoints and the workspace's managed network instead, which the isolation and public-access policies check"
)
AMPLS = "needs an Azure Monitor Private Link Scope, which the stack does not create"

ANCHORS: list[Anchor] = [
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
        "asks for v1LegacyMode true, which keeps a workspace on the V1 API platform without V2 features (managed network, "
        "registries, serverless); Microsoft's own text recommends it only to keep V1 control-plane data in private networks. "
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
        "a Modify policy of the Virtual Enclaves category: it rewrites the request (drops IP and virtual network rules) instead of "
        "judging it; storage-network-virtual-network-rules-only and storage-public-network-access-disabled judge the same outcome",
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
        "Application Insights components with Private Link enabled should use Bring Your Own Storage accounts for profiler and debugger",
        None,
        "applies only to components behind a Private Link scope, which the stack creates none of; Azure ML uses neither profiler nor snapshot debugger",
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
        "needs a linked storage account for queries (workspaces/linkedStorageAccounts, Query); the stack saves no queries in Log Analytics",
    ),
    # General
    Anchor(AP, "e56962a6", "Allowed locations", "allowed-locations"),
    Anchor(
        AP, "0a914e76", "Audit resource location matches resource group location", "location-matches-resource-group"
    ),
    Anchor(AP, "871b6d14", "Require a tag on resources", "required-tags"),
    # Checkov ARM checks
    Anchor(CK, "CKV_AZURE_3", "Ensure that 'enableHttpsTrafficOnly' is enabled", "storage-https-only"),
    Anchor(
        CK,
        "CKV_AZURE_33",
        "Ensure Storage logging is enabled for Queue service for read, write and delete requests",
        None,
        "Azure ML uses the blob and file services of its storage; their logs go to Log Analytics (the storage component's diagnostic "
        "settings). No workload here uses queues, so queue logging would add cost without an audit trail",
    ),
    Anchor(
        CK,
        "CKV_AZURE_34",
        "Ensure that 'Public access level' is set to Private for blob containers",
        "storage-blob-container-private",
    ),
    Anchor(
        CK,
        "CKV_AZURE_35",
        "Ensure default network access rule for Storage Accounts is set to deny",
        "storage-network-default-deny",
    ),
    Anchor(
        CK,
        "CKV_AZURE_36",
        "Ensure 'Trusted Microsoft Services' is enabled for Storage Account access",
        "storage-trusted-microsoft-services",
    ),
    Anchor(
        CK,
        "CKV_AZURE_39",
        "Ensure that no custom subscription owner roles are created",
        "custom-role-not-subscription-owner",
    ),
    Anchor(
        CK,
        "CKV_AZURE_40",
        "Ensure that the expiration date is set on all keys",
        "key-vault-key-expiry",
        "mandatory where required: an expired CMK stops the workspace until a new key version is set on it",
    ),
    Anchor(
        CK,
        "CKV_AZURE_41",
        "Ensure that the expiration date is set on all secrets",
        "key-vault-secret-expiry-and-content-type",
    ),
    Anchor(CK, "CKV_AZURE_42", "Ensure the key vault is recoverable", "key-vault-purge-protection"),
    Anchor(CK, "CKV_AZURE_43", "Ensure Storage Accounts adhere to the naming rules", "resource-names-valid"),
    Anchor(
        CK,
        "CKV_AZURE_44",
        "Ensure Storage Account is using the latest version of TLS encryption",
        "storage-minimum-tls-1-2",
    ),
    Anchor(
        CK,
        "CKV_AZURE_59",
        "Ensure that Storage accounts disallow public access (publicNetworkAccess)",
        "storage-public-network-access-disabled",
    ),
    Anchor(CK, "CKV_AZURE_109", "Ensure that key vault allows firewall rules settings", "key-vault-firewall"),
    Anchor(CK, "CKV_AZURE_110", "Ensure that key vault enables purge protection", "key-vault-purge-protection"),
    Anchor(CK, "CKV_AZURE_111", "Ensure that key vault enables soft delete", "key-vault-soft-delete"),
    Anchor(
        CK,
        "CKV_AZURE_112",
        "Ensure that key vault key is backed by HSM",
        "key-vault-key-hsm-backed",
        "mandatory where required: HSM keys need a Premium vault",
    ),
    Anchor(
        CK,
        "CKV_AZURE_114",
        'Ensure that key vault secrets have "content_type" set',
        "key-vault-secret-expiry-and-content-type",
    ),
    Anchor(CK, "CKV_AZURE_137", "Ensure ACR admin account is disabled", "acr-admin-user-disabled"),
    Anchor(CK, "CKV_AZURE_138", "Ensures that ACR disables anonymous pulling of images", "acr-anonymous-pull-disabled"),
    Anchor(CK, "CKV_AZURE_139", "Ensure ACR set to disable public networking", "acr-public-network-access-disabled"),
    Anchor(
        CK, "CKV_AZURE_163", "Enable vulnerability scanning for container images (Standard or Premium SKU)", "acr-sku"
    ),
    Anchor(
        CK,
        "CKV_AZURE_166",
        "Ensure container image quarantine, scan, and mark images as verified",
        None,
        "a quarantined image can't be pulled until a scanner marks it verified; Azure ML builds and pulls environment images "
        "itself and nothing in this stack verifies them, so enabling quarantine would break every environment",
    ),
    Anchor(
        CK,
        "CKV_AZURE_189",
        "Ensure that Azure Key Vault disables public network access",
        "key-vault-public-network-access-disabled",
    ),
    Anchor(
        CK,
        "CKV_AZURE_206",
        "Ensure that Storage Accounts use replication (GRS/RAGRS/GZRS/RAGZRS)",
        "storage-geo-redundant",
        "mandatory where required",
    ),
    Anchor(CK, "CKV_AZURE_233", "Ensure Azure Container Registry (ACR) is zone redundant", "acr-zone-redundancy"),
    Anchor(
        CK,
        "CKV_AZURE_243",
        "Ensure that Azure Machine learning workspace is configured with private endpoint",
        "workspace-network-isolation",
    ),
    Anchor(
        CK,
        "CKV_AZURE_142",
        "(Terraform only) Azure ML compute cluster local auth disabled",
        None,
        "not an ARM check; compute-local-auth-disabled enforces the same rule",
    ),
    Anchor(
        CK,
        "CKV_AZURE_144",
        "(Terraform only) Azure ML workspace public network access disabled",
        None,
        "not an ARM check; workspace-public-network-access-disabled enforces the same rule",
    ),
    Anchor(
        CK,
        "CKV_AZURE_150",
        "(Terraform only) Azure ML compute cluster minimum nodes 0",
        None,
        "not an ARM check; compute-cluster-scale enforces the same rule",
    ),
    # PSRule for Azure
    Anchor(
        PS, "Azure.ML.ComputeIdleShutdown", "Compute instances shut down when idle", "compute-instance-idle-shutdown"
    ),
    Anchor(PS, "Azure.ML.DisableLocalAuth", "Computes use Entra ID only", "compute-local-auth-disabled"),
    Anchor(PS, "Azure.ML.ComputeVnet", "Computes are in a virtual network", "compute-in-subnet"),
    Anchor(
        PS,
        "Azure.ML.PublicAccess",
        "Public access disabled, also allowPublicAccessWhenBehindVnet",
        "workspace-public-network-access-disabled",
    ),
    Anchor(
        PS,
        "Azure.ML.UserManagedIdentity",
        "Workspaces use a user-assigned identity",
        "workspace-user-assigned-identity",
        "with requireUserAssignedOnly (prod): identity.type exactly UserAssigned, userAssignedIdentities and primaryUserAssignedIdentity, "
        "as the rule's allOf; without it SystemAssigned,UserAssigned passes, as 5f0c7d88 allows",
    ),
    Anchor(PS, "Azure.ML.Name", "Workspace names follow the naming rules", "resource-names-valid"),
    Anchor(
        PS,
        "Azure.Storage.UseReplication",
        "Storage uses geo-replication",
        "storage-geo-redundant",
        "mandatory where required",
    ),
    Anchor(PS, "Azure.Storage.SecureTransfer", "Secure transfer required", "storage-https-only"),
    Anchor(PS, "Azure.Storage.MinTLS", "Minimum TLS 1.2", "storage-minimum-tls-1-2"),
    Anchor(PS, "Azure.Storage.BlobPublicAccess", "Anonymous blob access disallowed", "storage-no-public-blob-access"),
    Anchor(PS, "Azure.Storage.BlobAccessType", "Containers are private", "storage-blob-container-private"),
    Anchor(PS, "Azure.Storage.SoftDelete", "Blob soft delete", "storage-blob-soft-delete"),
    Anchor(PS, "Azure.Storage.ContainerSoftDelete", "Container soft delete", "storage-blob-soft-delete"),
    Anchor(PS, "Azure.Storage.FileShareSoftDelete", "File share soft delete", "storage-file-share-soft-delete"),
    Anchor(PS, "Azure.Storage.Firewall", "Storage firewall (default action Deny)", "storage-network-default-deny"),
    Anchor(PS, "Azure.Storage.Name", "Storage account names", "resource-names-valid"),
    Anchor(PS, "Azure.KeyVault.SoftDelete", "Soft delete", "key-vault-soft-delete"),
    Anchor(PS, "Azure.KeyVault.PurgeProtect", "Purge protection", "key-vault-purge-protection"),
    Anchor(PS, "Azure.KeyVault.Firewall", "Key vault firewall", "key-vault-firewall"),
    Anchor(PS, "Azure.KeyVault.Logs", "Key vault audit logs", "key-vault-diagnostic-settings"),
    Anchor(
        PS,
        "Azure.KeyVault.AccessPolicy",
        "Least-privilege access policies",
        "key-vault-rbac-authorization",
        "RBAC authorization replaces access policies",
    ),
    Anchor(
        PS,
        "Azure.KeyVault.AutoRotationPolicy",
        "Keys rotate automatically",
        "key-vault-key-expiry",
        "mandatory where required",
    ),
    Anchor(PS, "Azure.KeyVault.Name", "Key vault names", "resource-names-valid"),
    Anchor(PS, "Azure.KeyVault.KeyName", "Key names", "resource-names-valid"),
    Anchor(PS, "Azure.KeyVault.SecretName", "Secret names", "resource-names-valid"),
    Anchor(PS, "Azure.ACR.AdminUser", "Admin user disabled (default false)", "acr-admin-user-disabled"),
    Anchor(PS, "Azure.ACR.AnonymousAccess", "Anonymous pull disabled", "acr-anonymous-pull-disabled"),
    Anchor(PS, "Azure.ACR.MinSku", "Premium or Standard SKU", "acr-sku"),
    Anchor(PS, "Azure.ACR.Name", "Registry names", "resource-names-valid"),
    Anchor(PS, "Azure.ACR.Retention", "Retention policy for untagged manifests (Premium)", "acr-retention-policy"),
    Anchor(PS, "Azure.ACR.ExportPolicy", "Exports disabled", "acr-exports-disabled"),
    Anchor(PS, "Azure.ACR.AuditLogs", "Audit logs to Log Analytics", "acr-diagnostic-settings"),
    Anchor(
        PS,
        "Azure.ACR.Quarantine",
        "Image quarantine",
        None,
        "see Checkov CKV_AZURE_166: quarantine would block Azure ML's own pulls of unverified images",
    ),
    Anchor(
        PS,
        "Azure.ACR.ContentTrust",
        "Docker content trust",
        None,
        "content trust signs images at push time in the data plane; the registry setting alone makes every unsigned push and pull "
        "fail, and this stack's image builds do not sign",
    ),
    Anchor(
        PS,
        "Azure.ACR.SoftDelete",
        "Registry soft delete policy",
        None,
        "a preview feature in PSRule's rule set; the registry itself is covered by a CanNotDelete lock and untagged manifests by the retention policy",
    ),
    Anchor(
        PS,
        "Azure.AppInsights.Workspace",
        "Workspace-based Application Insights",
        "application-insights-workspace-based",
    ),
    Anchor(
        PS,
        "Azure.RBAC.LimitOwner",
        "Limit the number of subscription Owners",
        "workspace-privileged-role-assignment",
        "PSRule counts Owners at subscription scope; the pack refuses Owner, User Access Administrator and Role Based "
        "Access Control Administrator on a workspace and its resources unless the policy config allows the principal",
    ),
    Anchor(
        PS,
        "Azure.Log.Replication",
        "Log Analytics workspace replication",
        "log-analytics-replication",
        "mandatory where required",
    ),
]


def counts() -> dict[str, tuple[int, int]]:
    """source -> (covered by a policy, excluded with a reason)."""
    out: dict[str, tuple[int, int]] = {}
    for anchor in ANCHORS:
        covered, excluded = out.get(anchor.source, (0, 0))
        out[anchor.source] = (covered + 1, excluded) if anchor.policy else (covered, excluded + 1)
    return out
