"""Checkov ARM checks (bridgecrewio/checkov checkov/arm/checks/resource/*.py)."""

from __future__ import annotations

from . import Anchor, CK

CHECKOV_ANCHORS: list[Anchor] = [
    Anchor(CK, "CKV_AZURE_3", "Ensure that 'enableHttpsTrafficOnly' is enabled", "storage-https-only"),
    Anchor(
        CK,
        "CKV_AZURE_33",
        "Ensure Storage logging is enabled for Queue service for read, write and delete requests",
        None,
        "Azure ML uses the blob and file services of its storage; their "
        "logs go to Log Analytics (the storage component's diagnostic "
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
        "a quarantined image can't be pulled until a scanner marks "
        "it verified; Azure ML builds and pulls environment images "
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
]
