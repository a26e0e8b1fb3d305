"""The workspace's network: public network access, the managed network and its outbound rules (a private
endpoint rule per datastore account under approved-outbound), the approvals its private endpoints need, and
the private endpoints in the stack's own network. Decided while planning, declared from the plan."""

from typing import Any, Mapping, NamedTuple, Sequence, TypeAlias

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import roles as role_ids

from . import defaults
from ._common import ComponentInputError
from .access import assign_role, builtin_role
from .datastore import DatastoreAccount, PlannedDatastore
from .declaring import Declaring
from .identity import WorkspacePrincipals
from .storage import DEFAULT_PUBLIC_NETWORK_ACCESS as STORAGE_PUBLIC_NETWORK_ACCESS
from .network import (
    OutboundRuleSettings,
    PrivateEndpointSettings,
    endpoint_targets,
    grant_endpoint_approval,
    outbound_rule_args,
    private_endpoint,
    validate_outbound_rules,
    validate_private_endpoints,
)

from ._common import WORKSPACE_COMPONENT as COMPONENT

ISOLATION_MODES = ("Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound")
# `ManagedNetworkSettings.firewallSku` -> `FirewallSku` (workspaceRP.json 2025-12-01: Standard, Basic;
# modelAsString, so ARM compares without regard to case).
FIREWALL_SKUS = ("Basic", "Standard")
WORKSPACE_SECTIONS = ("storage", "key_vault")  # created by default: a workspace always has them
OutboundRule: TypeAlias = ml.FqdnOutboundRuleArgs | ml.PrivateEndpointOutboundRuleArgs | ml.ServiceTagOutboundRuleArgs


# Secure by default, as the Azure Verified Modules are (avm/res/machine-learning-services/workspace: public network
# access Disabled unless chosen): a workspace declared with only its required inputs passes the pack's mandatory
# workspace-public-network-access-disabled (438c38d2), workspace-managed-network-isolation-mode (6ddb1705) and
# workspace-network-isolation. Open access is a setting the caller writes down (the dev stack does, with a comment).
DEFAULT_PUBLIC_NETWORK_ACCESS = defaults.WORKSPACE_PUBLIC_NETWORK_ACCESS
DEFAULT_ISOLATION_MODE = defaults.WORKSPACE_ISOLATION_MODE


def isolation_mode(args: Mapping[str, Any]) -> str:
    """`managedNetwork.isolationMode` as given, else the secure default: the one place it is decided."""
    return args.get("managed_network_isolation_mode", DEFAULT_ISOLATION_MODE)


def workspace_public_network_access(args: Mapping[str, Any]) -> str:
    """As given; otherwise Disabled (reached through private endpoints: the managed network's or the client's)."""
    return args.get("public_network_access", DEFAULT_PUBLIC_NETWORK_ACCESS)


def storage_endpoint_reader(args: Mapping[str, Any], identity: pulumi.Input[str] | None) -> pulumi.Input[str] | None:
    """The principal that gets Reader on the storage account's private endpoints in the stack's own network (the
    client virtual network), or None when the docs ask for none.

    MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md, "Azure Machine Learning
    studio": "If the workspace associated Azure storage account has public network access disabled, ensure the
    private endpoint created in the client virtual network is granted the Reader role to your workspace managed
    identity. This applies to both blog [sic: blob] and file storage private endpoints. The role isn't required
    for the private endpoint created by the managed virtual network." So: only with `private_endpoints` (the
    client network's endpoints, which this component creates for storage it creates), only when that storage has
    `publicNetworkAccess` `Disabled` (any letter case, as ARM reads it), and for the identity Azure ML uses (the
    primary user-assigned identity the component grants roles to, else the system-assigned one).
    """
    storage = args.get("storage") or {}
    if "private_endpoints" not in args or storage.get("existing_id") or identity is None:
        return None
    access = storage.get("public_network_access", STORAGE_PUBLIC_NETWORK_ACCESS)
    return identity if isinstance(access, str) and access.lower() == "disabled" else None


class NetworkPlan(NamedTuple):
    """The workspace's network as decided once."""

    public_network_access: str
    isolation_mode: str | None
    """`managedNetwork.isolationMode` as given (None: no `managedNetwork` block at all)."""
    outbound_rules: Mapping[str, OutboundRuleSettings]
    datastore_rules: bool
    """Each datastore account gets a private endpoint rule (and its approval): approved-outbound only."""
    approved_rules: tuple[tuple[str, pulumi.Input[str]], ...]
    """(suffix, target) of the rules marked `approve`: the workspace identity approves their endpoints."""
    private_endpoints: PrivateEndpointSettings | None
    endpoint_targets: tuple[tuple[str, str, str], ...]
    """(section, suffix, group) of the created resources that get a private endpoint beside the workspace's."""
    storage_reader: bool
    """The workspace identity gets Reader on the storage's private endpoints (`storage_endpoint_reader`)."""
    firewall_sku: str | None = None
    """`managedNetwork.firewallSku` as Azure spells it (None: not sent; Azure deploys Standard)."""
    provision_network_now: bool | None = None
    """`provisionNetworkNow` (None: not sent)."""


def check_network_modes(args: Mapping[str, Any]) -> None:
    access = workspace_public_network_access(args)
    if access not in ("Enabled", "Disabled"):
        raise ComponentInputError(COMPONENT, "public_network_access", access, "must be Enabled or Disabled")
    isolation = isolation_mode(args)
    if isolation not in ISOLATION_MODES:
        raise ComponentInputError(
            COMPONENT, "managed_network_isolation_mode", isolation, f"must be one of {', '.join(ISOLATION_MODES)}"
        )
    check_firewall_sku(args.get("managed_network_firewall_sku"), isolation)
    check_provision_network_now(args.get("provision_network_now"), isolation)


def check_firewall_sku(sku: Any, isolation: str) -> None:
    """how-to-managed-network, "Select an Azure Firewall version for allowed only approved outbound": "An Azure
    Firewall is deployed if an FQDN outbound rule is created while in the allow only approved outbound mode ...
    By default, a Standard version of AzureFirewall is created. Optionally, you can select to use a Basic
    version." In any other mode there is no firewall, so a SKU would mean nothing: refused."""
    if sku is None:
        return
    if firewall_sku(sku) is None:
        raise ComponentInputError(
            COMPONENT, "managed_network_firewall_sku", sku, f"must be one of {', '.join(FIREWALL_SKUS)}"
        )
    if isolation != "AllowOnlyApprovedOutbound":
        raise ComponentInputError(
            COMPONENT,
            "managed_network_firewall_sku",
            sku,
            "Azure deploys a firewall (for FQDN rules) only with managed_network_isolation_mode "
            f"AllowOnlyApprovedOutbound, not {isolation}",
        )


def firewall_sku(sku: Any) -> str | None:
    """The SKU as the spec spells it, matched without regard to case (None: not a SKU)."""
    return next((s for s in FIREWALL_SKUS if isinstance(sku, str) and s.lower() == sku.lower()), None)


def check_provision_network_now(value: Any, isolation: str) -> None:
    """`provisionNetworkNow` (workspaceRP.json 2025-12-01, WorkspaceProperties): "Set to trigger the provisioning
    of the managed VNet with the default Options when creating a Workspace with the managed VNet enabled, or else
    it does nothing." Without a managed network it would do nothing: refused."""
    if value is None:
        return
    if not isinstance(value, bool):
        raise ComponentInputError(COMPONENT, "provision_network_now", value, "must be true or false")
    if value and isolation == "Disabled":
        raise ComponentInputError(
            COMPONENT,
            "provision_network_now",
            value,
            "provisions the managed network, and there is none: set managed_network_isolation_mode to "
            "AllowInternetOutbound or AllowOnlyApprovedOutbound",
        )


def check_endpoints_and_rules(args: Mapping[str, Any]) -> None:
    endpoints = args.get("private_endpoints")
    validate_private_endpoints(
        COMPONENT, endpoints, endpoint_targets(args, WORKSPACE_SECTIONS), args, extra_groups=["amlworkspace"]
    )
    rules = args.get("managed_network_outbound_rules") or {}
    validate_outbound_rules(COMPONENT, rules, isolation_mode(args))


def plan_network(args: Mapping[str, Any]) -> NetworkPlan:
    """The network of checked args (`check_network_modes`, `check_endpoints_and_rules`): no check here."""
    rules: Mapping[str, OutboundRuleSettings] = args.get("managed_network_outbound_rules") or {}
    given_isolation = isolation_mode(args)
    # validate_outbound_rules requires service_resource_id on every PrivateEndpoint rule.
    approved = tuple(
        (f"rule-{rule_name.lower()}", rule["service_resource_id"])
        for rule_name, rule in rules.items()
        if rule.get("type") == "PrivateEndpoint"
        and rule.get("approve")
        and given_isolation is not None
        and "service_resource_id" in rule
    )
    return NetworkPlan(
        public_network_access=workspace_public_network_access(args),
        isolation_mode=given_isolation,
        outbound_rules=rules,
        datastore_rules=given_isolation == "AllowOnlyApprovedOutbound",
        approved_rules=approved,
        private_endpoints=args.get("private_endpoints"),
        endpoint_targets=tuple(endpoint_targets(args, WORKSPACE_SECTIONS)),
        storage_reader=storage_endpoint_reader(args, "<identity>") is not None,
        firewall_sku=firewall_sku(args.get("managed_network_firewall_sku")),
        provision_network_now=args.get("provision_network_now"),
    )


def managed_network(plan: NetworkPlan, datastores: Sequence[DatastoreAccount]) -> ml.ManagedNetworkSettingsArgs | None:
    """`managedNetwork`: the given rules, then a private endpoint rule per datastore account (approved-outbound)."""
    if plan.isolation_mode in (None, "Disabled"):
        # `Disabled` is no managed network, what an absent `managedNetwork` means to the service: not sent, so a
        # workspace that was open before the secure defaults keeps its inputs once the open mode is written down.
        return None
    rules: dict[str, OutboundRule] = {k: outbound_rule_args(v) for k, v in plan.outbound_rules.items()}
    if plan.datastore_rules:
        for account in datastores:
            ds: PlannedDatastore = account.planned
            rules.setdefault(
                f"datastore-{ds.settings['name'].lower()}",
                outbound_rule_args(
                    {
                        "type": "PrivateEndpoint",
                        "service_resource_id": account.account_id,
                        "subresource_target": ds.subresource,
                    }
                ),
            )
    return ml.ManagedNetworkSettingsArgs(
        isolation_mode=plan.isolation_mode, outbound_rules=rules or None, firewall_sku=plan.firewall_sku
    )


def declare_approvals(
    plan: NetworkPlan,
    at: Declaring,
    datastores: Sequence[DatastoreAccount],
    workspace_id: pulumi.Input[str],
    principals: WorkspacePrincipals,
) -> list[pulumi.Resource]:
    """What the computes wait for: the first compute provisions the managed network, whose private endpoint to
    the workspace itself the primary user-assigned identity approves ("the required permissions are
    automatically covered by the role assignments granted during workspace creation", how-to-managed-network,
    "Approval of private endpoints"; for a user-assigned identity those are the grants here, and Contributor's
    actions `*` include every action of Azure AI Enterprise Network Connection Approver: MicrosoftDocs/azure-docs
    articles/role-based-access-control/built-in-roles/privileged.md and .../ai-machine-learning.md).

    Each datastore account is the target of a private endpoint rule (approved-outbound only), as is each
    owned target of a rule marked `approve`: the identity Azure ML uses approves them."""
    approvals: list[pulumi.Resource] = []
    if principals.primary is not None:
        approvals.append(
            assign_role(
                at.parent,
                f"{at.name}-identity-workspace-contributor",
                scope=workspace_id,
                role=builtin_role(at.subscription_id, role_ids.CONTRIBUTOR),
                principal_id=principals.primary,
                principal_type="ServicePrincipal",
            )
        )
    approver = principals.approver
    if approver is None:
        return approvals
    targets: list[tuple[str, pulumi.Input[str]]] = [
        (f"datastore-{account.planned.slug}", account.account_id) for account in datastores if plan.datastore_rules
    ]
    targets += plan.approved_rules
    return approvals + grant_endpoint_approval(
        at.parent, at.name, targets, subscription_id=at.subscription_id, principal_id=approver
    )


def declare_private_endpoints(
    plan: NetworkPlan, at: Declaring, *, ids: Mapping[str, pulumi.Input[str]], reader: pulumi.Input[str] | None
) -> list[pulumi.CustomResource]:
    """The workspace's private endpoint, then one per created resource (`ids` by section, `workspace` included);
    Reader on the storage's endpoints for `reader`, as `storage_endpoint_reader` quotes. That grant waits for the
    endpoint (its scope) and the identity (its principal); nothing in `pulumi up` needs it, the studio does."""
    if plan.private_endpoints is None:
        return []
    made: list[pulumi.CustomResource] = []
    targets = [("workspace", "mlw", "amlworkspace"), *plan.endpoint_targets]
    for section, suffix, group in targets:
        endpoint = private_endpoint(
            at.parent,
            f"{at.name}-pe-{suffix}",
            target_id=ids[section],
            group=group,
            settings=plan.private_endpoints,
            resource_group_name=at.rg,
            location=at.location,
            tags=at.tags,
        )
        made.append(endpoint)
        if section == "storage" and plan.storage_reader and reader is not None:
            assign_role(
                at.parent,
                f"{at.name}-pe-{suffix}-reader",
                scope=endpoint.id,
                role=builtin_role(at.subscription_id, role_ids.READER),
                principal_id=reader,
                principal_type="ServicePrincipal",
            )
    return made
