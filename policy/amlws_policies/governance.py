"""Governance the Azure Policy built-ins, Checkov and PSRule for Azure check on these resources.

Each description names its anchors. Levels default to mandatory; the shipped dev config lowers the
network rules to advisory.
"""

from __future__ import annotations

from typing import Sequence

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from amlws_rules import is_type
from amlws_rules.values import missing_tags, one_of, same
from amlws_rules.kinds import inherits_hub_network

from .base import (
    REQUIRED,
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
    when,
)
from .documented import REQUIRED_TAGS_SCHEMA
from .governance_compute import COMPUTE_GOVERNANCE_POLICIES
from .governance_services import SERVICE_GOVERNANCE_POLICIES

ML_WORKSPACE = [("machinelearningservices", "Workspace")]
ISOLATED_MODES = ("AllowInternetOutbound", "AllowOnlyApprovedOutbound")


# Workspace -------------------------------------------------------------------------------------


def _public_access(props, _cfg):
    if inherits_hub_network(props):
        return []
    problems = when(
        not same(props.get("publicNetworkAccess"), "Disabled"),
        f"publicNetworkAccess is {props.get('publicNetworkAccess')!r}, not 'Disabled'",
    )
    # PSRule Azure.ML.PublicAccess also fails allowPublicAccessWhenBehindVnet: true (public access to a VNet-bound
    # workspace).
    return problems + when(
        props.get("allowPublicAccessWhenBehindVnet") is True, "allowPublicAccessWhenBehindVnet is true"
    )


CONNECTIONS = ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")


def _private_endpoint_targets(resources) -> tuple[set[str], set[str]]:
    """(URNs, lowercased IDs) that private endpoints in the stack connect to, automatically or by a
    manual (approval-requiring) connection: both are private endpoints of the target."""
    urns: set[str] = set()
    ids: set[str] = set()
    for r in of_type(resources, "network", "PrivateEndpoint"):
        for prop in CONNECTIONS:
            urns.update(dep.urn for dep in r.property_dependencies.get(prop, []))
            connections = peek(r.props, prop)
            for i in range(
                len(connections) if isinstance(connections, Sequence) and not isinstance(connections, str) else 0
            ):
                target = text(r.props, f"{prop}.{i}.privateLinkServiceId")
                if target:
                    ids.add(target)
    return urns, ids


def _isolation(args, _cfg, report) -> None:
    urns, ids = _private_endpoint_targets(args.resources)

    def check(ws) -> None:
        # In a first preview an unset kind is computed (unknown): only a program's literal kind makes a Project.
        if not unset_by_program(ws.props, "kind") and inherits_hub_network({"kind": peek(ws.props, "kind")}):
            return
        # Not set by the program: Azure's default mode, Disabled (an open outbound network).
        mode = None if unset_by_program(ws.props, "managedNetwork") else peek(ws.props, "managedNetwork.isolationMode")
        if one_of(mode, ISOLATED_MODES) or ws.urn in urns or text(ws.props, "id") in ids:
            return
        if mode is UNKNOWN:
            raise UnknownValueError(UNKNOWN_STRING_VALUE, ["managedNetwork", "isolationMode"])
        report(
            f"workspace {ws.name}: managedNetwork.isolationMode is {mode!r} and no private endpoint connects to it; "
            "use AllowOnlyApprovedOutbound or AllowInternetOutbound, or a private endpoint",
            ws.urn,
        )

    per_resource(of_type(args.resources, "machinelearningservices", "Workspace"), check)


def _cmk(props, cfg):
    return when(
        cfg["required"] and not same(get(props, "encryption.status"), "Enabled"),
        "encryption.status is not 'Enabled' (customer-managed key required)",
    )


def _user_identity(props, cfg):
    if not cfg["required"]:
        return []
    kind = str(get(props, "identity.type") or "")
    problems = when(
        "userassigned" not in kind.lower(), f"identity.type is {kind!r}; a user-assigned identity is required"
    )
    only = cfg["requireUserAssignedOnly"]
    if only and not problems:
        # PSRule Azure.ML.UserManagedIdentity (Azure/PSRule.Rules.Azure
        # src/PSRule.Rules.Azure/rules/Azure.ML.Rule.yaml):
        # allOf identity.type `equals: UserAssigned` (PSRule compares strings without case by default), so
        # SystemAssigned,UserAssigned fails it; identity.userAssignedIdentities `exists: true`;
        # properties.primaryUserAssignedIdentity `hasValue: true` (below).
        problems += when(
            not same(kind, "UserAssigned"),
            f"identity.type is {kind!r}, not 'UserAssigned': the workspace also has a system-assigned identity",
        )
        problems += when(
            peek(props, "identity.userAssignedIdentities") is None, "identity.userAssignedIdentities is not set"
        )
    # 5f0c7d88 tests primaryUserAssignedIdentity (Azure/azure-policy
    # .../Machine Learning/Workspace_UAIEnabled_Audit.json).
    # An unknown one (a new identity's ID in a first preview) is a reference: it will be set.
    primary = peek(props, "primaryUserAssignedIdentity")
    return problems + when(
        (cfg["requirePrimaryIdentity"] or only) and not primary,
        "primaryUserAssignedIdentity is not set: the workspace reaches its resources with its system-assigned identity",
    )


# Tags (stack policy: every taggable resource) -----------------------------------------------


def _logs_enabled(setting) -> bool:
    """At least one log category (or category group) is enabled: a setting whose logs are all
    disabled sends nothing, and afe0c3be counts only enabled logs. Unknown counts as enabled."""
    logs = peek(setting.props, "logs")
    if logs is UNKNOWN:
        return True
    count = len(logs) if isinstance(logs, Sequence) and not isinstance(logs, str) else 0
    return any(peek(setting.props, f"logs.{i}.enabled") in (True, UNKNOWN) for i in range(count))


def _has_sink(setting) -> bool:
    return bool(peek(setting.props, "workspaceId") or setting.property_dependencies.get("workspaceId"))


def _diagnostics(args, _cfg, report) -> None:
    settings = of_type(args.resources, "monitor", "DiagnosticSetting")

    def check(ws) -> None:
        mine = [s for s in settings if refers_to(s, "resourceUri", ws)]
        if any(_has_sink(s) and _logs_enabled(s) for s in mine):
            return
        if any(_has_sink(s) for s in mine):
            report(
                f"workspace {ws.name}: its diagnostic setting to Log Analytics has every log category disabled", ws.urn
            )
        else:
            report(
                f"workspace {ws.name} has no diagnostic setting sending its logs to a Log Analytics workspace", ws.urn
            )

    per_resource(of_type(args.resources, "machinelearningservices", "Workspace"), check)


def _group_keys(resource, prop: str) -> set[str]:
    """What identifies the resource group `prop` names: the URNs of resource groups it depends on,
    and its known lowercased name (from a name or from a `/resourceGroups/<name>` scope)."""
    keys = {
        dep.urn
        for dep in resource.property_dependencies.get(prop, [])
        if is_type(dep.resource_type, "resources", "ResourceGroup")
    }
    for dep in resource.property_dependencies.get(prop, []):
        if is_type(dep.resource_type, "resources", "ResourceGroup") and text(dep.props, "resourceGroupName"):
            keys.add(text(dep.props, "resourceGroupName") or "")
    value = text(resource.props, prop)
    if value and "/resourcegroups/" in value:
        keys.add(value.split("/resourcegroups/", 1)[1].split("/", 1)[0])
    elif value and not value.startswith("/"):
        keys.add(value)
    return keys


def _budget(args, cfg, report) -> None:
    if not cfg["required"]:
        return
    covered: set[str] = set()
    for budget in of_type(args.resources, "consumption", "Budget"):
        covered |= _group_keys(budget, "scope")

    def check(ws) -> None:
        keys = _group_keys(ws, "resourceGroupName")
        if not keys:
            raise UnknownValueError(UNKNOWN_STRING_VALUE, ["resourceGroupName"])
        if not keys & covered:
            group = text(ws.props, "resourceGroupName") or sorted(keys)[0]
            report(f"workspace {ws.name}: no budget covers its resource group {group}", ws.urn)

    per_resource(of_type(args.resources, "machinelearningservices", "Workspace"), check)


TAGGABLE = {
    ("resources", "ResourceGroup"),
    ("storage", "StorageAccount"),
    ("keyvault", "Vault"),
    ("operationalinsights", "Workspace"),
    ("applicationinsights", "Component"),
    ("containerregistry", "Registry"),
    ("machinelearningservices", "Workspace"),
    ("machinelearningservices", "Compute"),
    ("machinelearningservices", "Registry"),
    ("managedidentity", "UserAssignedIdentity"),
    ("network", "PrivateEndpoint"),
    ("privatedns", "PrivateZone"),
    ("keyvault", "Key"),
    # VirtualNetworkLink has `tags` (azure-rest-api-specs privatedns .../privatedns.json, TrackedResource).
    ("privatedns", "VirtualNetworkLink"),
}


def _tags(props, cfg):
    missing = missing_tags(props.get("tags"), cfg["requiredTags"])
    return when(bool(missing), f"missing required tags: {', '.join(missing)}")


GOVERNANCE_POLICIES = [
    resource_policy(
        "workspace-public-network-access-disabled",
        "Azure ML workspaces should disable public network access, also behind a VNet. Anchors: Azure "
        "Policy 438c38d2, PSRule Azure.ML.PublicAccess (Checkov's CKV_AZURE_144 is Terraform-only).",
        ML_WORKSPACE,
        _public_access,
    ),
    stack_policy(
        "workspace-network-isolation",
        "Azure ML workspaces should use a managed virtual network isolation mode or private "
        "endpoints. Anchors: Azure Policy 6ddb1705 / 45e05259, Checkov CKV_AZURE_243.",
        _isolation,
    ),
    resource_policy(
        "workspace-cmk-encryption",
        "Azure ML workspaces should be encrypted with a customer-managed "
        "key, where required. Anchor: Azure Policy ba769a63.",
        ML_WORKSPACE,
        _cmk,
        REQUIRED,
    ),
    resource_policy(
        "workspace-user-assigned-identity",
        "Azure ML workspaces should use a user-assigned managed identity (as primaryUserAssignedIdentity), "
        "where required. Anchors: Azure Policy 5f0c7d88, PSRule Azure.ML.UserManagedIdentity.",
        ML_WORKSPACE,
        _user_identity,
        {
            **REQUIRED,
            "requirePrimaryIdentity": {
                "type": "boolean",
                "default": True,
                "description": "Also require primaryUserAssignedIdentity, as 5f0c7d88 does.",
            },
            "requireUserAssignedOnly": {
                "type": "boolean",
                "default": False,
                "description": (
                    "Require identity.type exactly UserAssigned (no system-assigned identity "
                    "beside it), userAssignedIdentities and primaryUserAssignedIdentity, as "
                    "PSRule Azure.ML.UserManagedIdentity does."
                ),
            },
        },
    ),
    *COMPUTE_GOVERNANCE_POLICIES,
    *SERVICE_GOVERNANCE_POLICIES,
    stack_policy(
        "workspace-diagnostic-settings",
        "Resource logs in Azure ML workspaces should be enabled: a diagnostic "
        "setting sends them to Log Analytics. Anchor: Azure Policy afe0c3be.",
        _diagnostics,
    ),
    stack_policy(
        "workspace-cost-budget",
        "Each workspace's resource group has a monthly budget with alerts, where required. Anchor: "
        'Azure Cost Management budgets (cost governance); the docs\' "workspaces for cost management".',
        _budget,
        REQUIRED,
    ),
    resource_policy(
        "required-tags",
        "Every taggable resource carries the cost-allocation tags. "
        "Anchor: Azure Policy 'Require a tag on resources' (871b6d14).",
        sorted(TAGGABLE),
        _tags,
        REQUIRED_TAGS_SCHEMA,
    ),
]

__all__ = ["GOVERNANCE_POLICIES"]
