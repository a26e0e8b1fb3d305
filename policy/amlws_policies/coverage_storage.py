"""Coverage policies for storage accounts and their blob and file services: network access, encryption,
redundancy, SAS expiry, soft delete. Part of COVERAGE_POLICIES (coverage.py), first, in this order.

Definitions read: Azure/azure-policy built-in-policies/policyDefinitions/<Category>/*.json,
bridgecrewio/checkov checkov/arm/checks/resource/*.py, Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml.
"""

from __future__ import annotations

from typing import Any

from amlws_rules.sas import sas_policy_violations
from amlws_rules.values import one_of, same

from .base import (
    REQUIRED,
    UNKNOWN,
    get,
    items,
    of_type,
    peek,
    per_resource,
    refers_to,
    resource_policy,
    stack_policy,
    text,
    when,
)

STORAGE = [("storage", "StorageAccount")]
GEO_SKUS = ("Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS")
ZONE_SKUS = ("Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_ZRS")


def _st_public(props, _cfg):
    return when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        f"publicNetworkAccess is {props.get('publicNetworkAccess')!r}, not 'Disabled'",
    )


def _st_default_deny(props, _cfg):
    action = get(props, "networkRuleSet.defaultAction")
    return when(not same(action, "Deny"), f"networkRuleSet.defaultAction is {action!r}, not 'Deny'")


def _st_vnet_only(props, _cfg):
    problems = list(_st_default_deny(props, _cfg))
    if items(props, "networkRuleSet.ipRules"):
        problems.append("networkRuleSet.ipRules allows IP addresses; use virtual network rules or private endpoints")
    return problems


def _st_trusted_services(props, _cfg):
    bypass = get(props, "networkRuleSet.bypass")
    return when(
        isinstance(bypass, str) and "azureservices" not in bypass.lower(),
        f"networkRuleSet.bypass is {bypass!r}: trusted Microsoft services (AzureServices) can't reach the account",
    )


def _st_cross_tenant(props, _cfg):
    return when(props.get("allowCrossTenantReplication") is True, "allowCrossTenantReplication is true")


def _st_infrastructure(props, _cfg):
    return when(
        get(props, "encryption.requireInfrastructureEncryption") is not True,
        "encryption.requireInfrastructureEncryption is not true (data is encrypted once, not twice)",
    )


def _st_sas(props, cfg):
    return sas_policy_violations(props.get("sasPolicy"), float(cfg["maxSasExpirationDays"]))


def _st_cmk(props, cfg):
    if not cfg["required"]:
        return []
    problems = when(
        not same(get(props, "encryption.keySource"), "Microsoft.Keyvault"),
        "encryption.keySource is not Microsoft.Keyvault (customer-managed key)",
    )
    for service in ("queue", "table"):
        key_type = get(props, f"encryption.services.{service}.keyType")
        if not same(key_type, "Account"):
            problems.append(
                f"encryption.services.{service}.keyType is {key_type!r}: only 'Account' keys can be customer-managed"
            )
    return problems


def _st_geo(props, cfg):
    sku = get(props, "sku.name")
    return when(
        cfg["required"] and not one_of(sku, GEO_SKUS), f"sku.name {sku!r} is not geo-redundant ({', '.join(GEO_SKUS)})"
    )


def _st_zone(props, _cfg):
    sku = get(props, "sku.name")
    return when(not one_of(sku, ZONE_SKUS), f"sku.name {sku!r} is not zone-redundant ({', '.join(ZONE_SKUS)})")


def _container_private(props, _cfg):
    access = props.get("publicAccess")
    return when(access is not None and not same(access, "None"), f"publicAccess is {access!r}, not 'None'")


def _account_services(args, service: str) -> dict[str, list[Any]]:
    """Storage account URN -> its blob or file service settings in the stack (by `accountName`)."""
    found: dict[str, list[Any]] = {}
    for props in of_type(args.resources, "storage", service):
        for account in of_type(args.resources, "storage", "StorageAccount"):
            if refers_to(props, "accountName", account) or (
                text(props.props, "accountName")
                and text(props.props, "accountName") == text(account.props, "accountName")
            ):
                found.setdefault(account.urn, []).append(props)
    return found


def _blob_soft_delete(args, _cfg, report) -> None:
    services = _account_services(args, "BlobServiceProperties")

    def check(account) -> None:
        if one_of(peek(account.props, "kind"), ("FileStorage",)):
            return
        mine = services.get(account.urn, [])
        for path, what in (
            ("deleteRetentionPolicy.enabled", "blob"),
            ("containerDeleteRetentionPolicy.enabled", "container"),
        ):
            if not any(peek(s.props, path) in (True, UNKNOWN) for s in mine):
                report(
                    f"storage account {account.name}: {what} soft delete is not enabled ({path} on its blob service)",
                    account.urn,
                )

    per_resource(of_type(args.resources, "storage", "StorageAccount"), check)


def _file_soft_delete(args, _cfg, report) -> None:
    services = _account_services(args, "FileServiceProperties")
    workspaces = of_type(args.resources, "machinelearningservices", "Workspace")

    def check(account) -> None:
        if not any(refers_to(ws, "storageAccount", account) for ws in workspaces):
            return  # the workspace's storage holds its file share (notebooks, code); datastores need not
        if not any(
            peek(s.props, "shareDeleteRetentionPolicy.enabled") in (True, UNKNOWN)
            for s in services.get(account.urn, [])
        ):
            report(
                f"storage account {account.name}: file share soft delete is "
                "not enabled (shareDeleteRetentionPolicy on its file service)",
                account.urn,
            )

    per_resource(of_type(args.resources, "storage", "StorageAccount"), check)


STORAGE_COVERAGE_POLICIES = [
    resource_policy(
        "storage-public-network-access-disabled",
        "Storage accounts should disable public network access. Anchors: Azure Policy b2982f36, Checkov CKV_AZURE_59.",
        STORAGE,
        _st_public,
    ),
    resource_policy(
        "storage-network-default-deny",
        "Storage accounts should restrict network access (network rule set default action Deny). "
        "Anchors: Azure Policy 34c877ad, Checkov CKV_AZURE_35, PSRule Azure.Storage.Firewall.",
        STORAGE,
        _st_default_deny,
    ),
    resource_policy(
        "storage-network-virtual-network-rules-only",
        "Storage accounts should restrict network access using virtual network "
        "rules, not IP rules. Anchors: Azure Policy 2a1a9cdf, db4f9b05.",
        STORAGE,
        _st_vnet_only,
    ),
    resource_policy(
        "storage-trusted-microsoft-services",
        "Storage accounts should allow access from trusted Microsoft "
        "services. Anchors: Azure Policy c9d007d0, Checkov CKV_AZURE_36.",
        STORAGE,
        _st_trusted_services,
    ),
    resource_policy(
        "storage-cross-tenant-replication-disabled",
        "Storage accounts should prevent cross tenant object replication. Anchor: Azure Policy 92a89a79.",
        STORAGE,
        _st_cross_tenant,
    ),
    resource_policy(
        "storage-infrastructure-encryption",
        "Storage accounts should have infrastructure encryption "
        "(settable only at creation). Anchor: Azure Policy 4733ea7b.",
        STORAGE,
        _st_infrastructure,
    ),
    resource_policy(
        "storage-sas-expiration-policy",
        "Storage accounts should have a SAS expiration policy of at most 7 days with action "
        "Block (7aa1c9d5 denies by default). Anchors: Azure Policy bc1b984e, 7aa1c9d5.",
        STORAGE,
        _st_sas,
        {
            "maxSasExpirationDays": {
                "type": "number",
                "default": 7,
                "description": "Longest sasExpirationPeriod allowed, in days (7aa1c9d5 fixes 7).",
            }
        },
    ),
    resource_policy(
        "storage-customer-managed-key",
        "Storage accounts (and their queue and table services) should use a customer-managed "
        "key, where required. Anchors: Azure Policy 6fac406b, f0e5abd0, 7c322315.",
        STORAGE,
        _st_cmk,
        REQUIRED,
    ),
    resource_policy(
        "storage-geo-redundant",
        "Storage accounts should use geo-redundant replication, where required (cost: GRS/GZRS). "
        "Anchors: Azure Policy bf045164, Checkov CKV_AZURE_206, PSRule Azure.Storage.UseReplication.",
        STORAGE,
        _st_geo,
        REQUIRED,
    ),
    resource_policy(
        "storage-zone-redundant",
        "Storage accounts should be zone-redundant. Anchor: Azure Policy 85b005b2.",
        STORAGE,
        _st_zone,
    ),
    resource_policy(
        "storage-blob-container-private",
        "Blob containers should not allow anonymous public access. Anchors: "
        "Checkov CKV_AZURE_34, PSRule Azure.Storage.BlobAccessType.",
        [("storage", "BlobContainer")],
        _container_private,
    ),
    stack_policy(
        "storage-blob-soft-delete",
        "Storage accounts should have soft delete for blobs and containers (a blob service with delete retention). "
        "Anchors: Azure Policy 9fbd64e3, PSRule Azure.Storage.SoftDelete, Azure.Storage.ContainerSoftDelete.",
        _blob_soft_delete,
    ),
    stack_policy(
        "storage-file-share-soft-delete",
        "A workspace's storage account should have soft delete for file shares (the workspace "
        "keeps notebooks and code there). Anchor: PSRule Azure.Storage.FileShareSoftDelete.",
        _file_soft_delete,
    ),
]
