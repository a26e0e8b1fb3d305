"""Coverage policies for key vaults (and their keys and secrets), container registries and the monitoring
resources (Application Insights, Log Analytics). Part of COVERAGE_POLICIES (coverage.py), after the storage
policies, in this order.

Definitions read: Azure/azure-policy built-in-policies/policyDefinitions/<Category>/*.json,
bridgecrewio/checkov checkov/arm/checks/resource/*.py, Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml.
"""

from __future__ import annotations

from amlws_rules.values import one_of, same

from .base import (
    REQUIRED,
    get,
    items,
    of_type,
    peek,
    per_resource,
    refers_to,
    resource_policy,
    stack_policy,
    when,
)
from .governance import _has_sink, _logs_enabled

VAULT = [("keyvault", "Vault")]
ACR = [("containerregistry", "Registry")]
LAW = [("operationalinsights", "Workspace")]
AI = [("applicationinsights", "Component")]


# Key Vault -------------------------------------------------------------------------------------


def _kv_firewall(props, _cfg):
    action = get(props, "properties.networkAcls.defaultAction")
    return when(not same(action, "Deny"), f"properties.networkAcls.defaultAction is {action!r}, not 'Deny'")


def _kv_key_expiry(props, cfg):
    if not cfg["required"]:
        return []
    problems = when(
        peek(props, "properties.attributes.expires") is None, "the key has no expiry (properties.attributes.expires)"
    )
    actions = [
        str(peek(props, f"properties.rotationPolicy.lifetimeActions.{i}.action.type")).lower()
        for i in range(len(items(props, "properties.rotationPolicy.lifetimeActions")))
    ]
    return problems + when("rotate" not in actions, "the key has no rotation policy with a Rotate action")


def _kv_key_hsm(props, cfg):
    kty = get(props, "properties.kty")
    return when(
        cfg["required"] and not one_of(kty, ("RSA-HSM", "EC-HSM")),
        f"kty is {kty!r}, not RSA-HSM or EC-HSM (needs a Premium vault)",
    )


def _kv_secret(props, _cfg):
    problems = when(
        peek(props, "properties.attributes.expires") is None, "the secret has no expiry (properties.attributes.expires)"
    )
    return problems + when(not peek(props, "properties.contentType"), "the secret has no contentType")


# Container registry ----------------------------------------------------------------------------


def _acr_cmk(props, cfg):
    return when(
        cfg["required"] and not same(get(props, "encryption.status"), "enabled"),
        "encryption.status is not 'enabled' (customer-managed key)",
    )


def _acr_arm_tokens(props, _cfg):
    status = get(props, "policies.azureADAuthenticationAsArmPolicy.status")
    return when(
        not same(status, "disabled"),
        "policies.azureADAuthenticationAsArmPolicy.status is "
        f"{status!r}: ARM-audience tokens can sign in to the registry",
    )


def _acr_export(props, _cfg):
    status = get(props, "policies.exportPolicy.status")
    problems = when(
        not same(status, "disabled"),
        f"policies.exportPolicy.status is {status!r}: images can leave the registry by import/transfer",
    )
    return problems + when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        "exports can be disabled only with publicNetworkAccess 'Disabled'",
    )


def _acr_sku(props, cfg):
    sku = get(props, "sku.name")
    return when(not one_of(sku, cfg["allowedSkus"]), f"sku.name {sku!r} is not one of {', '.join(cfg['allowedSkus'])}")


def _acr_zone(props, _cfg):
    return when(
        not same(props.get("zoneRedundancy"), "Enabled"),
        f"zoneRedundancy is {props.get('zoneRedundancy')!r}, not 'Enabled'",
    )


def _acr_retention(props, _cfg):
    if not same(get(props, "sku.name"), "Premium"):
        return []  # a Premium feature; PSRule applies the rule to Premium registries only
    status = get(props, "policies.retentionPolicy.status")
    return when(
        not same(status, "enabled"),
        f"policies.retentionPolicy.status is {status!r}: untagged manifests are kept forever",
    )


def _acr_token(props, _cfg):
    return when(
        not same(props.get("status"), "disabled"),
        f"repository-scoped token status is {props.get('status')!r}, not 'disabled'",
    )


def _acr_cache_rule(_props, _cfg):
    return ["a cache rule lets the registry pull through from an upstream registry"]


# Monitoring ------------------------------------------------------------------------------------


def _ai_public(props, cfg):
    if not cfg["required"]:
        return []
    return [
        f"{key} is {props.get(key)!r}, not 'Disabled'"
        for key in ("publicNetworkAccessForIngestion", "publicNetworkAccessForQuery")
        if not same(props.get(key), "Disabled")
    ]


def _law_local_auth(props, _cfg):
    return when(
        get(props, "features.disableLocalAuth") is not True,
        "features.disableLocalAuth is not true (shared-key ingestion allowed)",
    )


def _law_replication(props, cfg):
    return when(cfg["required"] and get(props, "replication.enabled") is not True, "replication.enabled is not true")


def _diagnostics_for(module: str, kind: str, what: str):
    def check(args, _cfg, report) -> None:
        settings = of_type(args.resources, "monitor", "DiagnosticSetting")

        def one(resource) -> None:
            if not any(refers_to(s, "resourceUri", resource) and _has_sink(s) and _logs_enabled(s) for s in settings):
                report(
                    f"{what} {resource.name} has no diagnostic setting sending enabled logs to Log Analytics",
                    resource.urn,
                )

        per_resource(of_type(args.resources, module, kind), one)

    return check


SERVICE_COVERAGE_POLICIES = [
    resource_policy(
        "key-vault-firewall",
        "Key vaults should have the firewall enabled (network ACL default action Deny). "
        "Anchors: Azure Policy 55615ac9, Checkov CKV_AZURE_109, PSRule Azure.KeyVault.Firewall.",
        VAULT,
        _kv_firewall,
    ),
    stack_policy(
        "key-vault-diagnostic-settings",
        "Resource logs in key vaults should be enabled: a diagnostic setting sends them "
        "to Log Analytics. Anchors: Azure Policy cf820ca0, PSRule Azure.KeyVault.Logs.",
        _diagnostics_for("keyvault", "Vault", "key vault"),
    ),
    resource_policy(
        "key-vault-key-expiry",
        "Key vault keys should expire and rotate, where required (a workspace's CMK must be rotated on the "
        "workspace before it expires). Anchors: Checkov CKV_AZURE_40, PSRule Azure.KeyVault.AutoRotationPolicy.",
        [("keyvault", "Key")],
        _kv_key_expiry,
        REQUIRED,
    ),
    resource_policy(
        "key-vault-key-hsm-backed",
        "Key vault keys should be HSM-backed, where required (needs a Premium vault). Anchor: Checkov CKV_AZURE_112.",
        [("keyvault", "Key")],
        _kv_key_hsm,
        REQUIRED,
    ),
    resource_policy(
        "key-vault-secret-expiry-and-content-type",
        "Key vault secrets should have an expiry date and a content "
        "type. Anchors: Checkov CKV_AZURE_41, CKV_AZURE_114.",
        [("keyvault", "Secret")],
        _kv_secret,
    ),
    resource_policy(
        "acr-customer-managed-key",
        "Container registries should be encrypted with a customer-managed "
        "key, where required. Anchor: Azure Policy 5b9159ae.",
        ACR,
        _acr_cmk,
        REQUIRED,
    ),
    resource_policy(
        "acr-arm-audience-tokens-disabled",
        "Container registries should have ARM audience token authentication disabled. Anchor: Azure Policy 42781ec6.",
        ACR,
        _acr_arm_tokens,
    ),
    resource_policy(
        "acr-exports-disabled",
        "Container registries should have exports disabled (which needs public network "
        "access disabled). Anchors: Azure Policy 524b0254, PSRule Azure.ACR.ExportPolicy.",
        ACR,
        _acr_export,
    ),
    resource_policy(
        "acr-sku",
        "Container registries should use a SKU that supports private links, zone redundancy and "
        "scanning. Anchors: Azure Policy bd560fc0, PSRule Azure.ACR.MinSku, Checkov CKV_AZURE_163.",
        ACR,
        _acr_sku,
        {
            "allowedSkus": {
                "type": "array",
                "items": {"type": "string"},
                "default": ["Premium"],
                "description": "Allowed sku.name values (bd560fc0: Premium; PSRule MinSku also accepts Standard).",
            }
        },
    ),
    resource_policy(
        "acr-zone-redundancy",
        "Container registries should be zone-redundant (settable only at "
        "creation). Anchors: Azure Policy 9d2b0a20, Checkov CKV_AZURE_233.",
        ACR,
        _acr_zone,
    ),
    resource_policy(
        "acr-retention-policy",
        "Premium container registries should clean up untagged manifests "
        "with a retention policy. Anchor: PSRule Azure.ACR.Retention.",
        ACR,
        _acr_retention,
    ),
    stack_policy(
        "acr-diagnostic-settings",
        "Container registries should send their audit logs (logins, repository "
        "events) to Log Analytics. Anchor: PSRule Azure.ACR.AuditLogs.",
        _diagnostics_for("containerregistry", "Registry", "container registry"),
    ),
    resource_policy(
        "acr-repository-tokens-disabled",
        "Container registries should have repository scoped access tokens disabled. Anchor: Azure Policy ff05e24e.",
        [("containerregistry", "Token")],
        _acr_token,
    ),
    resource_policy(
        "acr-no-cache-rules",
        "Container registries should prevent cache rule creation (pull-through cache). Anchor: Azure Policy 84497762.",
        [("containerregistry", "CacheRule")],
        _acr_cache_rule,
    ),
    resource_policy(
        "application-insights-public-network-access",
        "Application Insights should block ingestion and querying from public networks, where "
        "required (needs an Azure Monitor Private Link Scope). Anchor: Azure Policy 1bc02227.",
        AI,
        _ai_public,
        REQUIRED,
    ),
    resource_policy(
        "log-analytics-local-auth-disabled",
        "Log Analytics workspaces should block non-Microsoft Entra ID based ingestion. Anchor: Azure Policy e15effd4.",
        LAW,
        _law_local_auth,
    ),
    resource_policy(
        "log-analytics-public-network-access",
        "Log Analytics workspaces should block ingestion and querying from public networks, where "
        "required (needs an Azure Monitor Private Link Scope). Anchor: Azure Policy 6c53d030.",
        LAW,
        _ai_public,
        REQUIRED,
    ),
    resource_policy(
        "log-analytics-replication",
        "Log Analytics workspaces should replicate to a second "
        "region, where required. Anchor: PSRule Azure.Log.Replication.",
        LAW,
        _law_replication,
        REQUIRED,
    ),
]
