"""Governance of the workspace's associated services: container registry, storage account, key vault and
Application Insights (the Azure Policy built-ins, Checkov and PSRule rules each description names).

Part of GOVERNANCE_POLICIES (governance.py), in this order between the compute and the diagnostics policies.
"""

from __future__ import annotations

from amlws_rules.values import one_of, same

from .base import get, resource_policy, when

STORAGE = [("storage", "StorageAccount")]
VAULT = [("keyvault", "Vault")]
ACR = [("containerregistry", "Registry")]


def _acr_admin(props, _cfg):
    # ARM's default is false (azure-rest-api-specs, containerregistry .../containerregistry.json,
    # RegistryProperties.adminUserEnabled: "default": false): only an explicit true is a finding.
    return when(props.get("adminUserEnabled") is True, "adminUserEnabled is true")


def _acr_anonymous(props, _cfg):
    return when(props.get("anonymousPullEnabled") is True, "anonymousPullEnabled is true")


def _acr_public(props, _cfg):
    return when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        f"publicNetworkAccess is {props.get('publicNetworkAccess')!r}",
    )


def _https(props, _cfg):
    return when(props.get("enableHttpsTrafficOnly") is False, "enableHttpsTrafficOnly is false")


def _tls(props, _cfg):
    return when(
        not one_of(props.get("minimumTlsVersion"), ("TLS1_2", "TLS1_3")),
        f"minimumTlsVersion is {props.get('minimumTlsVersion')!r}, not TLS1_2",
    )


def _blob_public(props, _cfg):
    return when(props.get("allowBlobPublicAccess") is not False, "allowBlobPublicAccess is not false")


def _shared_key(props, _cfg):
    return when(props.get("allowSharedKeyAccess") is not False, "allowSharedKeyAccess is not false")


def _kv_soft_delete(props, _cfg):
    # 1e66c121 fails a vault whose request omits enableSoftDelete as well as one that sets it false.
    value = get(props, "properties.enableSoftDelete")
    return when(
        value is not True, "soft delete is disabled" if value is False else "enableSoftDelete is not set to true"
    )


def _kv_purge(props, _cfg):
    return when(get(props, "properties.enablePurgeProtection") is not True, "enablePurgeProtection is not true")


def _kv_rbac(props, _cfg):
    return when(
        get(props, "properties.enableRbacAuthorization") is not True,
        "enableRbacAuthorization is not true (access policies in use)",
    )


def _kv_public(props, _cfg):
    return when(
        not same(get(props, "properties.publicNetworkAccess"), "Disabled"),
        f"publicNetworkAccess is {get(props, 'properties.publicNetworkAccess')!r}",
    )


def _ai_local_auth(props, _cfg):
    return when(
        props.get("disableLocalAuth") is not True,
        "disableLocalAuth is not true (instrumentation-key ingestion allowed)",
    )


SERVICE_GOVERNANCE_POLICIES = [
    resource_policy(
        "acr-admin-user-disabled",
        "Container registries should have the admin user disabled. Anchors: Azure "
        "Policy dc921057, Checkov CKV_AZURE_137, PSRule Azure.ACR.AdminUser.",
        ACR,
        _acr_admin,
    ),
    resource_policy(
        "acr-anonymous-pull-disabled",
        "Container registries should have anonymous pull disabled. Anchors: Azure "
        "Policy 9f2dea28, Checkov CKV_AZURE_138, PSRule Azure.ACR.AnonymousAccess.",
        ACR,
        _acr_anonymous,
    ),
    resource_policy(
        "acr-public-network-access-disabled",
        "Container registries should disable public network access. "
        "Anchors: Azure Policy 0fdf0491, Checkov CKV_AZURE_139.",
        ACR,
        _acr_public,
    ),
    resource_policy(
        "storage-https-only",
        "Secure transfer to storage accounts should be enabled. Anchors: Azure "
        "Policy 404c3081, Checkov CKV_AZURE_3, PSRule Azure.Storage.SecureTransfer.",
        STORAGE,
        _https,
    ),
    resource_policy(
        "storage-minimum-tls-1-2",
        "Storage accounts should require TLS 1.2 or later. Anchors: Azure "
        "Policy fe83a0eb, Checkov CKV_AZURE_44, PSRule Azure.Storage.MinTLS.",
        STORAGE,
        _tls,
    ),
    resource_policy(
        "storage-no-public-blob-access",
        "Storage account public (anonymous blob) access should be disallowed. "
        "Anchors: Azure Policy 4fa4b6c0, PSRule Azure.Storage.BlobPublicAccess.",
        STORAGE,
        _blob_public,
    ),
    resource_policy(
        "storage-shared-key-access-disabled",
        "Storage accounts should prevent shared key access. Anchor: Azure Policy 8c6a50c6.",
        STORAGE,
        _shared_key,
    ),
    resource_policy(
        "key-vault-soft-delete",
        "Key vaults should have soft delete enabled, set explicitly. Anchors: Azure "
        "Policy 1e66c121, Checkov CKV_AZURE_111, PSRule Azure.KeyVault.SoftDelete.",
        VAULT,
        _kv_soft_delete,
    ),
    resource_policy(
        "key-vault-purge-protection",
        "Key vaults should have deletion (purge) protection enabled. Anchors: Azure Policy 0b60c0b2, "
        "Checkov CKV_AZURE_110, CKV_AZURE_42 (recoverable), PSRule Azure.KeyVault.PurgeProtect.",
        VAULT,
        _kv_purge,
    ),
    resource_policy(
        "key-vault-rbac-authorization",
        "Key vaults should use the RBAC permission model. Anchors: Azure Policy "
        "12d4fa5e, PSRule Azure.KeyVault.AccessPolicy (RBAC replaces access policies).",
        VAULT,
        _kv_rbac,
    ),
    resource_policy(
        "key-vault-public-network-access-disabled",
        "Key vaults should disable public network access. Anchors: Azure Policy 405c5871, Checkov CKV_AZURE_189.",
        VAULT,
        _kv_public,
    ),
    resource_policy(
        "application-insights-local-auth-disabled",
        "Application Insights should block non-Microsoft Entra ID based ingestion. Anchor: Azure Policy 199d5677.",
        [("applicationinsights", "Component")],
        _ai_local_auth,
    ),
]
