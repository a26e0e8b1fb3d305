"""Policies that bring the pack level with the Azure Policy built-ins, Checkov ARM checks and PSRule
rules for our resource types. Each description names its anchors; policy/amlws_policies/parity.py
maps every anchor to a policy here (or elsewhere in the pack) or to the reason it is excluded.

Definitions read: Azure/azure-policy built-in-policies/policyDefinitions/<Category>/*.json,
bridgecrewio/checkov checkov/arm/checks/resource/*.py, Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml.
"""

from __future__ import annotations

from typing import Any, Sequence

from pulumi_policy import EnforcementLevel

from amlws_rules import is_type, split_token
from amlws_rules import naming
from amlws_rules.sas import sas_policy_violations
from amlws_rules.values import one_of, same

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from .base import (
    UNKNOWN,
    get,
    of_type,
    peek,
    per_resource,
    refers_to,
    resource_policy,
    stack_policy,
    text,
    unset_by_program,
)
from .governance import ISOLATED_MODES, REQUIRED, _has_sink, _logs_enabled, _when

STORAGE = [("storage", "StorageAccount")]
VAULT = [("keyvault", "Vault")]
ACR = [("containerregistry", "Registry")]
LAW = [("operationalinsights", "Workspace")]
AI = [("applicationinsights", "Component")]
GEO_SKUS = ("Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS")
ZONE_SKUS = ("Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_ZRS")
DATA_TYPES = (
    ("machinelearningservices", "Workspace"),
    ("storage", "StorageAccount"),
    ("keyvault", "Vault"),
    ("containerregistry", "Registry"),
    ("machinelearningservices", "Registry"),
)


def _items(props: Any, path: str) -> list[Any]:
    """The items of a list property, each known value or UNKNOWN (never raising)."""
    value = peek(props, path)
    count = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else 0
    return [peek(props, f"{path}.{i}") for i in range(count)]


# Storage ---------------------------------------------------------------------------------------


def _st_public(props, _cfg):
    return _when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        f"publicNetworkAccess is {props.get('publicNetworkAccess')!r}, not 'Disabled'",
    )


def _st_default_deny(props, _cfg):
    action = get(props, "networkRuleSet.defaultAction")
    return _when(not same(action, "Deny"), f"networkRuleSet.defaultAction is {action!r}, not 'Deny'")


def _st_vnet_only(props, _cfg):
    problems = list(_st_default_deny(props, _cfg))
    if _items(props, "networkRuleSet.ipRules"):
        problems.append("networkRuleSet.ipRules allows IP addresses; use virtual network rules or private endpoints")
    return problems


def _st_trusted_services(props, _cfg):
    bypass = get(props, "networkRuleSet.bypass")
    return _when(
        isinstance(bypass, str) and "azureservices" not in bypass.lower(),
        f"networkRuleSet.bypass is {bypass!r}: trusted Microsoft services (AzureServices) can't reach the account",
    )


def _st_cross_tenant(props, _cfg):
    return _when(props.get("allowCrossTenantReplication") is True, "allowCrossTenantReplication is true")


def _st_infrastructure(props, _cfg):
    return _when(
        get(props, "encryption.requireInfrastructureEncryption") is not True,
        "encryption.requireInfrastructureEncryption is not true (data is encrypted once, not twice)",
    )


def _st_sas(props, cfg):
    return sas_policy_violations(props.get("sasPolicy"), float(cfg["maxSasExpirationDays"]))


def _st_cmk(props, cfg):
    if not cfg["required"]:
        return []
    problems = _when(
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
    return _when(
        cfg["required"] and not one_of(sku, GEO_SKUS), f"sku.name {sku!r} is not geo-redundant ({', '.join(GEO_SKUS)})"
    )


def _st_zone(props, _cfg):
    sku = get(props, "sku.name")
    return _when(not one_of(sku, ZONE_SKUS), f"sku.name {sku!r} is not zone-redundant ({', '.join(ZONE_SKUS)})")


def _container_private(props, _cfg):
    access = props.get("publicAccess")
    return _when(access is not None and not same(access, "None"), f"publicAccess is {access!r}, not 'None'")


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


# Key Vault -------------------------------------------------------------------------------------


def _kv_firewall(props, _cfg):
    action = get(props, "properties.networkAcls.defaultAction")
    return _when(not same(action, "Deny"), f"properties.networkAcls.defaultAction is {action!r}, not 'Deny'")


def _kv_key_expiry(props, cfg):
    if not cfg["required"]:
        return []
    problems = _when(
        peek(props, "properties.attributes.expires") is None, "the key has no expiry (properties.attributes.expires)"
    )
    actions = [
        str(peek(props, f"properties.rotationPolicy.lifetimeActions.{i}.action.type")).lower()
        for i in range(len(_items(props, "properties.rotationPolicy.lifetimeActions")))
    ]
    return problems + _when("rotate" not in actions, "the key has no rotation policy with a Rotate action")


def _kv_key_hsm(props, cfg):
    kty = get(props, "properties.kty")
    return _when(
        cfg["required"] and not one_of(kty, ("RSA-HSM", "EC-HSM")),
        f"kty is {kty!r}, not RSA-HSM or EC-HSM (needs a Premium vault)",
    )


def _kv_secret(props, _cfg):
    problems = _when(
        peek(props, "properties.attributes.expires") is None, "the secret has no expiry (properties.attributes.expires)"
    )
    return problems + _when(not peek(props, "properties.contentType"), "the secret has no contentType")


# The name rules the components build names with (amlws_rules.naming, quoting the REST API specs).
NAME_RULES = {
    ("storage", "StorageAccount"): naming.STORAGE_ACCOUNT,
    ("keyvault", "Vault"): naming.KEY_VAULT,
    ("containerregistry", "Registry"): naming.CONTAINER_REGISTRY,
    ("machinelearningservices", "Workspace"): naming.ML_WORKSPACE,
    ("keyvault", "Key"): naming.KEY_VAULT_KEY,
    ("keyvault", "Secret"): naming.KEY_VAULT_SECRET,
}


def _valid_name(resource_type, props, _cfg):
    _, module, kind = split_token(resource_type)
    rule = NAME_RULES.get((module, kind))
    value = peek(props, rule.property) if rule else None
    problem = (
        naming.name_violation(rule, value) if rule and isinstance(value, str) else None
    )  # unknown or absent (autonamed): no verdict
    return [problem] if problem else []


# Container registry ----------------------------------------------------------------------------


def _acr_cmk(props, cfg):
    return _when(
        cfg["required"] and not same(get(props, "encryption.status"), "enabled"),
        "encryption.status is not 'enabled' (customer-managed key)",
    )


def _acr_arm_tokens(props, _cfg):
    status = get(props, "policies.azureADAuthenticationAsArmPolicy.status")
    return _when(
        not same(status, "disabled"),
        "policies.azureADAuthenticationAsArmPolicy.status is "
        f"{status!r}: ARM-audience tokens can sign in to the registry",
    )


def _acr_export(props, _cfg):
    status = get(props, "policies.exportPolicy.status")
    problems = _when(
        not same(status, "disabled"),
        f"policies.exportPolicy.status is {status!r}: images can leave the registry by import/transfer",
    )
    return problems + _when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        "exports can be disabled only with publicNetworkAccess 'Disabled'",
    )


def _acr_sku(props, cfg):
    sku = get(props, "sku.name")
    return _when(not one_of(sku, cfg["allowedSkus"]), f"sku.name {sku!r} is not one of {', '.join(cfg['allowedSkus'])}")


def _acr_zone(props, _cfg):
    return _when(
        not same(props.get("zoneRedundancy"), "Enabled"),
        f"zoneRedundancy is {props.get('zoneRedundancy')!r}, not 'Enabled'",
    )


def _acr_retention(props, _cfg):
    if not same(get(props, "sku.name"), "Premium"):
        return []  # a Premium feature; PSRule applies the rule to Premium registries only
    status = get(props, "policies.retentionPolicy.status")
    return _when(
        not same(status, "enabled"),
        f"policies.retentionPolicy.status is {status!r}: untagged manifests are kept forever",
    )


def _acr_token(props, _cfg):
    return _when(
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
    return _when(
        get(props, "features.disableLocalAuth") is not True,
        "features.disableLocalAuth is not true (shared-key ingestion allowed)",
    )


def _law_replication(props, cfg):
    return _when(cfg["required"] and get(props, "replication.enabled") is not True, "replication.enabled is not true")


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


# Machine learning, general ---------------------------------------------------------------------


def _isolation_mode(props, cfg):
    mode = get(props, "managedNetwork.isolationMode")
    return _when(
        not same(mode, cfg["isolationMode"]), f"managedNetwork.isolationMode is {mode!r}, not {cfg['isolationMode']!r}"
    )


def _locations(props, cfg):
    allowed = list(cfg["allowedLocations"])
    location = props.get("location")
    if not allowed or not isinstance(location, str) or same(location, "global"):
        return []
    wanted = {a.replace(" ", "").lower() for a in allowed}
    return _when(
        location.replace(" ", "").lower() not in wanted, f"location {location} is not one of {', '.join(allowed)}"
    )


def _owner_role(props, _cfg):
    actions = [a for i in range(len(_items(props, "permissions"))) for a in _items(props, f"permissions.{i}.actions")]
    scopes = [
        s.lower().rstrip("/") for s in _items(props, "assignableScopes") if isinstance(s, str)
    ]  # unknown scopes: no verdict
    at_subscription = any(s == "" or (s.startswith("/subscriptions/") and s.count("/") == 2) for s in scopes)
    return _when(
        "*" in actions and at_subscription,
        "a custom role grants '*' at subscription scope: a custom subscription owner",
    )


def _location_matches_group(args, _cfg, report) -> None:
    def check(resource) -> None:
        location = peek(resource.props, "location")
        if not isinstance(location, str) or same(location, "global"):
            return
        for group in resource.property_dependencies.get("resourceGroupName", []):
            if not is_type(group.resource_type, "resources", "ResourceGroup"):
                continue
            group_location = peek(group.props, "location")
            if (
                isinstance(group_location, str)
                and group_location.replace(" ", "").lower() != location.replace(" ", "").lower()
            ):
                report(
                    f"{resource.name} is in {location}, its resource group {group.name} in {group_location}",
                    resource.urn,
                )

    per_resource([r for r in args.resources if not is_type(r.resource_type, "resources", "ResourceGroup")], check)


def _dns_zone_groups(args, _cfg, report) -> None:
    groups = of_type(args.resources, "network", "PrivateDnsZoneGroup")

    def check(endpoint) -> None:
        named = text(endpoint.props, "privateEndpointName")
        if not any(
            refers_to(g, "privateEndpointName", endpoint) or (named and text(g.props, "privateEndpointName") == named)
            for g in groups
        ):
            report(
                f"private endpoint {endpoint.name} has no private DNS zone "
                "group: its service name won't resolve to the private address",
                endpoint.urn,
            )

    per_resource(of_type(args.resources, "network", "PrivateEndpoint"), check)


# Management locks --------------------------------------------------------------------------------

LOCK_TYPES = (
    "ManagementLockByScope",
    "ManagementLockAtResourceLevel",
    "ManagementLockAtResourceGroupLevel",
    "ManagementLockAtSubscriptionLevel",
)
ML_NAMESPACE = "microsoft.machinelearningservices"
# MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md (commit d675e2ff), "Limitations":
# "Make sure there are no scope locks on the Azure Machine Learning resources and resource group. Internal operations
# related to managed virtual network might be blocked."
MANAGED_NETWORK_LOCKS_DOC = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations"


def _managed_network_mode(ws) -> Any:
    """The workspace's managed-network isolation mode (AllowInternetOutbound, AllowOnlyApprovedOutbound), UNKNOWN
    while it can't be told, else None (Disabled, or `managedNetwork` left to Azure's default, Disabled)."""
    if unset_by_program(ws.props, "managedNetwork"):
        return None
    mode = peek(ws.props, "managedNetwork.isolationMode")
    return mode if mode is UNKNOWN or one_of(mode, ISOLATED_MODES) else None


def _can_not_tell(*path: str) -> UnknownValueError:
    return UnknownValueError(UNKNOWN_STRING_VALUE, list(path))


def _is_group(resource) -> bool:
    return is_type(resource.resource_type, "resources", "ResourceGroup")


def _group_names(group) -> set[str]:
    return {n for n in (text(group.props, "resourceGroupName"), text(group.props, "name")) if n}


def _group_refs(resource) -> tuple[set[str], set[str]]:
    """(URNs of the resource groups `resourceGroupName` depends on, known group names), lower-case names.
    A resource group refers to itself."""
    if _is_group(resource):
        return {resource.urn}, _group_names(resource)
    groups = [d for d in resource.property_dependencies.get("resourceGroupName", []) if _is_group(d)]
    names = {text(resource.props, "resourceGroupName")} | {n for g in groups for n in _group_names(g)}
    return {g.urn for g in groups}, {n for n in names if n}


def _same_group(a, b) -> bool | None:
    """Are `a` and `b` in the same resource group (a resource group is in itself)? None: can't tell yet."""
    (urns_a, names_a), (urns_b, names_b) = _group_refs(a), _group_refs(b)
    if urns_a & urns_b or names_a & names_b:
        return True
    if names_a and names_b or urns_a and urns_b:  # known names that differ, or two resource groups of the stack
        return False
    return None


def _same_subscription(lock, ws) -> bool:
    """A subscription-level lock and a workspace share the subscription unless their providers show otherwise."""
    pa, pb = getattr(lock, "provider", None), getattr(ws, "provider", None)
    if pa is None or pb is None or pa.urn == pb.urn:
        return True
    sub_a, sub_b = text(pa.props, "subscriptionId"), text(pb.props, "subscriptionId")
    return sub_a is not None and sub_a == sub_b


def _of_workspace(resource, ws) -> bool:
    """`resource` is the workspace or an Azure ML resource under it (a compute, ...), by dependency."""
    return resource.urn == ws.urn or (
        split_token(resource.resource_type)[:2] == ("azure-native", "machinelearningservices")
        and any(d.urn == ws.urn for d in resource.property_dependencies.get("workspaceName", []))
    )


def _scope_string_covers(scope: str, ws) -> str | None:
    """What of the workspace a lock on the ARM ID `scope` covers: the workspace (or something under it), its
    resource group or its subscription; None when none of them. Raises (can't tell yet) when it needs the
    workspace's unknown resource group or name."""
    parts = scope.lower().rstrip("/").split("/")
    if parts[:2] != ["", "subscriptions"] or len(parts) not in (3, 5) and len(parts) < 9:
        return None
    if len(parts) >= 5 and parts[3] != "resourcegroups":
        return None
    if len(parts) >= 9 and parts[5:8] != ["providers", ML_NAMESPACE, "workspaces"]:
        return None  # another resource than a workspace (a storage account, a key vault, ...)
    ws_id = text(ws.props, "id")
    if ws_id:
        wid = ws_id.rstrip("/")
        if len(parts) == 3:
            return "its subscription" if wid.split("/")[:3] == parts else None
        if len(parts) == 5:
            return "its resource group" if wid.split("/")[:5] == parts else None
        joined = "/".join(parts)
        return "the workspace" if joined == wid or joined.startswith(wid + "/") else None
    if len(parts) == 3:
        return "its subscription"  # the stack's subscription, unless the workspace's known ID shows another
    groups = _group_refs(ws)[1]
    if not groups:
        raise _can_not_tell("resourceGroupName")
    if parts[4] not in groups:
        return None
    if len(parts) == 5:
        return "its resource group"
    name = text(ws.props, "workspaceName") or text(ws.props, "name")
    if name is None:
        raise _can_not_tell("workspaceName")
    return "the workspace" if parts[8] == name else None


def _lock_covers(lock, ws) -> str | None:
    """What of the workspace `lock` covers ("the workspace", "its resource group", "its subscription") or None.
    Matches by property dependency where values are unknown (a first preview), else by known names and IDs."""
    props = lock.props
    if is_type(lock.resource_type, "authorization", "ManagementLockAtSubscriptionLevel"):
        return "its subscription" if _same_subscription(lock, ws) else None
    if is_type(lock.resource_type, "authorization", "ManagementLockAtResourceGroupLevel"):
        in_group = _same_group(lock, ws)
        if in_group is None:
            raise _can_not_tell("resourceGroupName")
        return "its resource group" if in_group else None
    if is_type(lock.resource_type, "authorization", "ManagementLockAtResourceLevel"):
        namespace = peek(props, "resourceProviderNamespace")
        if namespace is UNKNOWN:
            raise _can_not_tell("resourceProviderNamespace")
        if not same(namespace, ML_NAMESPACE):
            return None
        if any(
            _of_workspace(d, ws)
            for prop in ("parentResourcePath", "resourceName")
            for d in lock.property_dependencies.get(prop, [])
        ):
            return "the workspace"
        path = [peek(props, key) for key in ("parentResourcePath", "resourceType", "resourceName")]
        if any(p is UNKNOWN for p in path):
            return None  # computed from another resource than the workspace (no dependency on it)
        full = "/".join(str(p).strip("/").lower() for p in path if p)
        name = text(ws.props, "workspaceName") or text(ws.props, "name")
        if name is None:
            raise _can_not_tell("workspaceName")
        if full != f"workspaces/{name}" and not full.startswith(f"workspaces/{name}/"):
            return None
        in_group = _same_group(lock, ws)
        if in_group is None:
            raise _can_not_tell("resourceGroupName")
        return "the workspace" if in_group else None
    scope = peek(props, "scope")
    if isinstance(scope, str):
        try:
            return _scope_string_covers(scope, ws)
        except UnknownValueError:
            if any(_of_workspace(d, ws) for d in lock.property_dependencies.get("scope", [])):
                return "the workspace"
            raise
    deps = lock.property_dependencies.get("scope", [])
    if any(_of_workspace(d, ws) for d in deps):
        return "the workspace"
    groups = [d for d in deps if is_type(d.resource_type, "resources", "ResourceGroup")]
    if groups and len(groups) == len(deps):  # a scope computed from resource groups only: a resource group's ID
        verdicts = [_same_group(g, ws) for g in groups]
        if any(verdicts):
            return "its resource group"
        if None in verdicts:
            raise _can_not_tell("scope")
        return None
    if not deps:
        raise _can_not_tell("scope")
    return None  # the scope is another resource's ID (a storage account, a key vault, ...)


def _blocks(lock) -> bool:
    """CanNotDelete or ReadOnly (a level not known yet counts: it will be one)."""
    level = peek(lock.props, "level")
    return level is UNKNOWN or one_of(level, ("CanNotDelete", "ReadOnly"))


def _managed_network_locks(args, _cfg, report) -> None:
    locks = [
        r
        for r in args.resources
        if any(is_type(r.resource_type, "authorization", k) for k in LOCK_TYPES) and _blocks(r)
    ]
    workspaces = of_type(args.resources, "machinelearningservices", "Workspace")

    def check(pair) -> None:
        lock, ws = pair
        mode = _managed_network_mode(ws)
        if mode is None:
            return
        covers = _lock_covers(lock, ws)
        if covers is None:
            return
        if mode is UNKNOWN:
            raise _can_not_tell("managedNetwork", "isolationMode")
        report(
            f"management lock {lock.name} ({peek(lock.props, 'level')}) is on "
            f"{covers} of workspace {ws.name}, which has a managed network "
            f"(isolationMode {mode}): internal operations of the "
            "managed virtual network might be blocked; remove the lock "
            f"(the workspace's data resources may keep locks scoped to themselves)",
            lock.urn,
        )

    per_resource([(lock, ws) for lock in locks for ws in workspaces], check)


def _delete_locks(args, _cfg, report) -> None:
    locks = [
        lock
        for lock in args.resources
        if any(
            is_type(lock.resource_type, "authorization", k)
            for k in ("ManagementLockByScope", "ManagementLockAtResourceLevel")
        )
    ]

    def locked(resource) -> bool:
        for lock in locks:
            if not same(peek(lock.props, "level"), "CanNotDelete") and not same(peek(lock.props, "level"), "ReadOnly"):
                continue
            if refers_to(lock, "scope", resource) or (lock.parent is not None and lock.parent.urn == resource.urn):
                return True
        return False

    def check(resource) -> None:
        if resource.opts is not None and resource.opts.protect and not locked(resource):
            if is_type(resource.resource_type, "machinelearningservices", "Workspace"):
                mode = _managed_network_mode(resource)
                if mode is UNKNOWN:
                    raise _can_not_tell("managedNetwork", "isolationMode")
                if mode is not None:
                    return  # a lock would break its managed network: workspace-managed-network-no-scope-lock
            report(
                f"{resource.name} is protected in Pulumi but carries no CanNotDelete management "
                "lock: `protect` stops only Pulumi, not the portal, CLI or another tool",
                resource.urn,
            )

    per_resource([r for r in args.resources if any(is_type(r.resource_type, m, k) for m, k in DATA_TYPES)], check)


COVERAGE_POLICIES = [
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
    resource_policy(
        "workspace-managed-network-isolation-mode",
        "Azure ML workspaces should use the managed network isolation mode "
        "the organisation chose (a parameter). Anchor: Azure Policy 6ddb1705.",
        [("machinelearningservices", "Workspace")],
        _isolation_mode,
        {
            "isolationMode": {
                "type": "string",
                "enum": ["AllowOnlyApprovedOutbound", "AllowInternetOutbound", "Disabled"],
                "default": "AllowOnlyApprovedOutbound",
                "description": "The isolation mode every workspace must use.",
            }
        },
    ),
    resource_policy(
        "allowed-locations",
        "Resources should be deployed only to allowed locations (a parameter; "
        "'global' is always allowed). Anchor: Azure Policy e56962a6.",
        [
            (m, k)
            for m, k in sorted(
                {
                    *DATA_TYPES,
                    ("operationalinsights", "Workspace"),
                    ("applicationinsights", "Component"),
                    ("resources", "ResourceGroup"),
                    ("machinelearningservices", "Compute"),
                    ("managedidentity", "UserAssignedIdentity"),
                    ("network", "PrivateEndpoint"),
                }
            )
        ],
        _locations,
        {
            "allowedLocations": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Allowed locations (e.g. westeurope); empty allows all.",
            }
        },
    ),
    stack_policy(
        "location-matches-resource-group",
        "A resource's location should match its resource group's location. Anchor: Azure Policy 0a914e76.",
        _location_matches_group,
        level=EnforcementLevel.ADVISORY,
    ),
    resource_policy(
        "resource-names-valid",
        "Names the stack spells out follow Azure's rules for the type. Anchors: Checkov "
        "CKV_AZURE_43, PSRule Azure.Storage.Name, Azure.KeyVault.Name, Azure.ACR.Name, "
        "Azure.ML.Name, Azure.KeyVault.KeyName, Azure.KeyVault.SecretName.",
        sorted(NAME_RULES),
        _valid_name,
        with_type=True,
    ),
    resource_policy(
        "custom-role-not-subscription-owner",
        "Custom roles should not grant '*' at subscription scope (a "
        "custom subscription owner). Anchor: Checkov CKV_AZURE_39.",
        [("authorization", "RoleDefinition")],
        _owner_role,
    ),
    stack_policy(
        "private-endpoint-dns-zone-group",
        "Private endpoints should register in private DNS zones (a private DNS zone group), "
        "so blob, file, dfs, workspace, registry and vault names resolve privately. "
        "Anchors: Azure Policy 75973700, 6df98d03, 83c6fe0f, ee40564d, e9585a95, ac673a9a.",
        _dns_zone_groups,
    ),
    stack_policy(
        "data-resources-delete-lock",
        "Protected data resources (workspaces, storage accounts, key vaults, registries) should "
        "carry a CanNotDelete management lock: Pulumi's protect stops only Pulumi. A workspace "
        "with a managed network is exempt (see workspace-managed-network-no-scope-lock). Anchor: "
        "AVM lock interface (Azure Verified Modules `lock`); Azure Policy has no built-in for it.",
        _delete_locks,
    ),
    stack_policy(
        "workspace-managed-network-no-scope-lock",
        "An Azure ML workspace with a managed network (isolation mode AllowInternetOutbound or "
        "AllowOnlyApprovedOutbound) should have no management lock on itself, its Azure ML child resources, "
        "its resource group or its subscription (locks are inherited by everything under their scope): "
        '"Make sure there are no scope locks on the Azure Machine Learning resources and resource group. '
        'Internal operations related to managed virtual network might be blocked." Anchor: Azure ML docs, '
        + MANAGED_NETWORK_LOCKS_DOC
        + " (how-to-managed-network, Limitations).",
        _managed_network_locks,
    ),
]
