"""PSRule for Azure rules (Azure/PSRule.Rules.Azure src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml/.ps1)."""

from __future__ import annotations

from . import Anchor, PS

PSRULE_ANCHORS: list[Anchor] = [
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
        "with requireUserAssignedOnly (prod): identity.type exactly "
        "UserAssigned, userAssignedIdentities and primaryUserAssignedIdentity, "
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
        "content trust signs images at push time in the data plane; "
        "the registry setting alone makes every unsigned push and pull "
        "fail, and this stack's image builds do not sign",
    ),
    Anchor(
        PS,
        "Azure.ACR.SoftDelete",
        "Registry soft delete policy",
        None,
        "a preview feature in PSRule's rule set; the registry itself is covered "
        "by a CanNotDelete lock and untagged manifests by the retention policy",
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
