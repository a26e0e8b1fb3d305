"""Policies that bring the pack level with the Azure Policy built-ins, Checkov ARM checks and PSRule
rules for our resource types. Each description names its anchors; policy/amlws_policies/parity.py
maps every anchor to a policy here (or elsewhere in the pack) or to the reason it is excluded.

COVERAGE_POLICIES, in the pack's order: coverage_storage.py (storage accounts), coverage_services.py (key
vaults, registries, monitoring), the general policies of this module (isolation mode, locations, names, roles,
private DNS), then coverage_locks.py (management locks).

Definitions read: Azure/azure-policy built-in-policies/policyDefinitions/<Category>/*.json,
bridgecrewio/checkov checkov/arm/checks/resource/*.py, Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel

from amlws_rules import is_type, naming, split_token
from amlws_rules.values import same
from amlws_rules.kinds import inherits_hub_network

from .base import (
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
from .coverage_locks import DATA_TYPES, LOCK_COVERAGE_POLICIES
from .coverage_services import SERVICE_COVERAGE_POLICIES
from .coverage_storage import STORAGE_COVERAGE_POLICIES

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


# Machine learning, general ---------------------------------------------------------------------


def _isolation_mode(props, cfg):
    if inherits_hub_network(props):
        return []
    mode = get(props, "managedNetwork.isolationMode")
    return when(
        not same(mode, cfg["isolationMode"]), f"managedNetwork.isolationMode is {mode!r}, not {cfg['isolationMode']!r}"
    )


def _locations(props, cfg):
    allowed = list(cfg["allowedLocations"])
    location = props.get("location")
    if not allowed or not isinstance(location, str) or same(location, "global"):
        return []
    wanted = {a.replace(" ", "").lower() for a in allowed}
    return when(
        location.replace(" ", "").lower() not in wanted, f"location {location} is not one of {', '.join(allowed)}"
    )


def _owner_role(props, _cfg):
    actions = [a for i in range(len(items(props, "permissions"))) for a in items(props, f"permissions.{i}.actions")]
    scopes = [
        s.lower().rstrip("/") for s in items(props, "assignableScopes") if isinstance(s, str)
    ]  # unknown scopes: no verdict
    at_subscription = any(s == "" or (s.startswith("/subscriptions/") and s.count("/") == 2) for s in scopes)
    return when(
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


COVERAGE_POLICIES = [
    *STORAGE_COVERAGE_POLICIES,
    *SERVICE_COVERAGE_POLICIES,
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
    *LOCK_COVERAGE_POLICIES,
]
