"""Network isolation: private endpoints (with their private DNS zones) and managed-network outbound rules.

Two documented ways to isolate a workspace. A managed virtual network (`AllowInternetOutbound` or
`AllowOnlyApprovedOutbound`) is run by Azure ML; its outbound rules reach anything else, e.g. a
private endpoint rule to a datastore account. Or the stack brings its own virtual network: private
endpoints for the workspace, storage (blob, file), key vault and registry, each registered in the
private DNS zone of its service. A virtual network can link only one zone of each name, so the zones
belong to the stack (`PrivateDnsZones`), not to each workspace.
"""

from typing import Any, Mapping, NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import parse_arm_id
from amlws_rules.arm import PRIVATE_DNS_ZONE, STORAGE_ACCOUNT
from amlws_rules.naming import PRIVATE_ENDPOINT, hyphenated_name
from amlws_rules.roles import AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER

from . import defaults
from ._common import ComponentInputError, check_arm_id, child
from .access import assign_role, builtin_role
from .compute import check_subnet

from .dns_zones import (  # noqa: F401 (moved to dns_zones; imported from here before)
    ALL_ZONES,
    ZONES_BY_GROUP,
    PrivateDnsZones,
    PrivateDnsZonesArgs,
    brought_zones,
    zone_id_for,
    zones_needed,
    zones_the_stack_creates,
)

OUTBOUND_TYPES = ("FQDN", "PrivateEndpoint", "ServiceTag")


class PrivateEndpointSettings(TypedDict):
    """Private endpoints in a subnet of the stack's own virtual network."""

    subnet_id: pulumi.Input[str]
    (
        "`subnet.id`: resource ID of the subnet the private endpoints' network interfaces go in (AVM "
        "`subnetResourceId`); a string is checked, an Output is a subnet the program declares."
    )
    private_dns_zone_ids: NotRequired[dict[str, pulumi.Input[str]]]
    (
        "Private DNS zone name -> zone resource ID, e.g. from `PrivateDnsZones.zone_ids`; every zone the endpoints "
        "need that `private_dns_zone_resource_ids` does not bring (AVM `privateDnsZoneGroup.privateDnsZoneGroupConfigs"
        "[].privateDnsZoneResourceId`)."
    )
    private_dns_zone_resource_ids: NotRequired[list[str]]
    (
        "Existing private DNS zones (`Microsoft.Network/privateDnsZones` IDs, e.g. a central team's hub zones): each "
        "replaces the zone of its name in the endpoints' zone groups (AVM `privateDnsZoneResourceIds`); only zones "
        "the endpoints need."
    )
    private_dns_zone_group: NotRequired[bool]
    (
        "Give each endpoint a DNS zone group (its A records in the zones above); default true. False: no zone group, "
        "for organisations whose Azure Policy adds the records itself (Cloud Adoption Framework, 'Private Link and "
        "DNS integration at scale'); no zone IDs are taken then."
    )


class OutboundRuleSettings(TypedDict):
    """One managed-network outbound rule."""

    type: str
    ("`FQDN` (only with `AllowOnlyApprovedOutbound`; Azure runs a firewall for it), `PrivateEndpoint` or `ServiceTag`.")
    destination: NotRequired[str]
    """FQDN rules: the host name, e.g. `pypi.org`."""
    service_resource_id: NotRequired[pulumi.Input[str]]
    """PrivateEndpoint rules: resource ID of the target."""
    subresource_target: NotRequired[str]
    """PrivateEndpoint rules: the sub-resource (`blob`, `dfs`, `vault`, `registry`, ...)."""
    service_tag: NotRequired[str]
    """ServiceTag rules: the tag, e.g. `AzureMonitor`."""
    protocol: NotRequired[str]
    """ServiceTag rules: `TCP` (default), `UDP`, `ICMP` or `*`."""
    port_ranges: NotRequired[str]
    """ServiceTag rules: ports, e.g. `443`."""
    approve: NotRequired[bool]
    (
        "PrivateEndpoint rules: grant the workspace identity Azure AI Enterprise Network Connection Approver on the "
        "target, for a target the program owns (default false)."
    )
    spark_enabled: NotRequired[bool]
    (
        "PrivateEndpoint rules to a storage account: `destination.sparkEnabled`, the endpoint serves serverless Spark "
        "jobs too (default false). Spark also needs the network provisioned with Spark "
        "(`az ml workspace provision-network --include-spark`), which no workspace property does."
    )


# Section of a component's args -> (endpoint name suffix, private link group) for the resource it creates.
ENDPOINTS_BY_SECTION: dict[str, tuple[tuple[str, str], ...]] = {
    "storage": (("st-blob", "blob"), ("st-file", "file")),
    "key_vault": (("kv", "vault"),),
    "container_registry": (("acr", "registry"),),
    "ml_registry": (("mlreg", "amlregistry"),),
}


def endpoint_targets(args: Mapping[str, Any], created_by_default: Sequence[str] = ()) -> list[tuple[str, str, str]]:
    """(section, endpoint suffix, group) for each associated resource these args create rather than bring by ID.
    `created_by_default` names sections created even when absent (a workspace always has storage and a vault)."""
    return [
        (section, suffix, group)
        for section, endpoints in ENDPOINTS_BY_SECTION.items()
        if (section in args or section in created_by_default) and not (args.get(section) or {}).get("existing_id")
        for suffix, group in endpoints
    ]


def validate_private_endpoints(
    component: str,
    settings: PrivateEndpointSettings | None,
    targets: Sequence[tuple[str, str, str]],
    args: Mapping[str, Any],
    extra_groups: Sequence[str] = (),
) -> None:
    """The subnet, the DNS zones every endpoint needs, and a Premium registry (only Premium has private link)."""
    if settings is None:
        return
    groups = [*extra_groups, *(group for _, _, group in targets)]
    if any(section == "container_registry" for section, _, _ in targets):
        sku = (args.get("container_registry") or {}).get("sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME)
        if sku != "Premium":
            raise ComponentInputError(
                component, "container_registry.sku_name", sku, "private endpoints need a Premium registry"
            )
    if not settings.get("subnet_id"):
        raise ComponentInputError(component, "private_endpoints.subnet_id", None, "required")
    if isinstance(settings["subnet_id"], str):  # else a subnet the stack declares (PrivateNetwork.subnet_ids)
        check_subnet(component, "private_endpoints.subnet_id", settings["subnet_id"])
    zone_group = settings.get("private_dns_zone_group", True)
    if not isinstance(zone_group, bool):
        raise ComponentInputError(component, "private_endpoints.private_dns_zone_group", zone_group, "must be a bool")
    if not zone_group:
        if settings.get("private_dns_zone_ids"):
            raise ComponentInputError(
                component,
                "private_endpoints.private_dns_zone_ids",
                sorted(settings.get("private_dns_zone_ids") or {}),
                "would be ignored: private_dns_zone_group is false (no zone group): remove one of them",
            )
        return
    needed = sorted({z for g in groups for z in ZONES_BY_GROUP[g]})
    brought = brought_zones(component, settings, needed)
    zones = settings.get("private_dns_zone_ids") or {}
    for zone, zone_id in zones.items():
        setting = f"private_dns_zone_ids.{zone}"
        check_arm_id(component, f"private_endpoints.{setting}", zone_id, PRIVATE_DNS_ZONE)
        if isinstance(zone_id, str) and parse_arm_id(zone_id).name.lower() != str(zone).lower():
            raise ComponentInputError(
                component, f"private_endpoints.{setting}", zone_id, f"is the ID of another zone than {zone}"
            )
    missing = [z for z in needed if z not in zones and z not in brought]
    if missing:
        raise ComponentInputError(
            component, "private_endpoints.private_dns_zone_ids", sorted(zones), f"missing zones {', '.join(missing)}"
        )


def validate_outbound_rules(component: str, rules: Mapping[str, OutboundRuleSettings], isolation_mode: str) -> None:
    if rules and isolation_mode not in ("AllowInternetOutbound", "AllowOnlyApprovedOutbound"):
        raise ComponentInputError(
            component,
            "managed_network_outbound_rules",
            sorted(rules),
            "outbound rules need a managed network (managed_network_isolation_mode)",
        )
    for rule_name, rule in rules.items():
        setting = f"managed_network_outbound_rules.{rule_name}"
        kind = rule.get("type")
        if kind not in OUTBOUND_TYPES:
            raise ComponentInputError(component, f"{setting}.type", kind, f"must be one of {', '.join(OUTBOUND_TYPES)}")
        if kind == "FQDN" and isolation_mode != "AllowOnlyApprovedOutbound":
            raise ComponentInputError(
                component, f"{setting}.type", kind, "FQDN rules exist only with AllowOnlyApprovedOutbound"
            )
        required = {
            "FQDN": ["destination"],
            "PrivateEndpoint": ["service_resource_id", "subresource_target"],
            "ServiceTag": ["service_tag"],
        }[kind]
        for key in required:
            if not rule.get(key):
                raise ComponentInputError(component, f"{setting}.{key}", rule.get(key), f"required for a {kind} rule")
        if kind == "PrivateEndpoint":  # the target may be of any type: a storage account, a vault, a registry, ...
            check_arm_id(component, f"{setting}.service_resource_id", rule.get("service_resource_id"), None)
        _check_spark(component, setting, rule)


def _check_spark(component: str, setting: str, rule: Mapping[str, Any]) -> None:
    """`sparkEnabled` is a property of `PrivateEndpointDestination` only (workspaceRP.json 2025-12-01), and
    how-to-managed-network ("Workspace outbound rules", Private Endpoint): "Spark enabled ... This option is only
    available if the resource type is Azure Storage"."""
    spark = rule.get("spark_enabled")
    if spark is None:
        return
    if not isinstance(spark, bool):
        raise ComponentInputError(component, f"{setting}.spark_enabled", spark, "must be true or false")
    if rule.get("type") != "PrivateEndpoint":
        raise ComponentInputError(
            component, f"{setting}.spark_enabled", spark, "only a PrivateEndpoint rule has sparkEnabled"
        )
    target = rule.get("service_resource_id")  # a string is a checked ARM ID (check_arm_id above)
    if spark and isinstance(target, str) and parse_arm_id(target).full_type.lower() != STORAGE_ACCOUNT.lower():
        raise ComponentInputError(
            component,
            f"{setting}.spark_enabled",
            spark,
            "Spark is enabled only on a private endpoint to an Azure Storage account (how-to-managed-network)",
        )


def outbound_rule_args(
    rule: Mapping[str, Any],
) -> "ml.FqdnOutboundRuleArgs | ml.PrivateEndpointOutboundRuleArgs | ml.ServiceTagOutboundRuleArgs":
    kind = rule["type"]
    if kind == "FQDN":
        return ml.FqdnOutboundRuleArgs(type="FQDN", category="UserDefined", destination=rule["destination"])
    if kind == "PrivateEndpoint":
        return ml.PrivateEndpointOutboundRuleArgs(
            type="PrivateEndpoint",
            category="UserDefined",
            destination=ml.PrivateEndpointDestinationArgs(
                service_resource_id=rule["service_resource_id"],
                subresource_target=rule["subresource_target"],
                spark_enabled=rule.get("spark_enabled", False),
            ),
        )
    return ml.ServiceTagOutboundRuleArgs(
        type="ServiceTag",
        category="UserDefined",
        destination=ml.ServiceTagDestinationArgs(
            service_tag=rule["service_tag"],
            protocol=rule.get("protocol", "TCP"),
            port_ranges=rule.get("port_ranges", "443"),
            action="Allow",
        ),
    )


def grant_endpoint_approval(
    parent: pulumi.Resource,
    name: str,
    targets: Sequence[tuple[str, pulumi.Input[str]]],
    *,
    subscription_id: pulumi.Input[str],
    principal_id: pulumi.Input[str],
) -> list[pulumi.Resource]:
    """Azure AI Enterprise Network Connection Approver for the workspace identity on each target of a
    managed-network private endpoint rule, as `(suffix, resource ID)`.

    The managed network's private endpoints are approved by the workspace identity; since 2025-04-30
    Azure ML no longer grants itself that right (how-to-managed-network, "Approval of private
    endpoints"), so without this grant the endpoint to a datastore account stays pending.
    """
    role = builtin_role(subscription_id, AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER)
    return [
        assign_role(
            parent,
            f"{name}-{suffix}-pe-approver",
            scope=scope,
            role=role,
            principal_id=principal_id,
            principal_type="ServicePrincipal",
        )
        for suffix, scope in targets
    ]


def private_endpoint(
    parent: pulumi.Resource,
    name: str,
    *,
    target_id: pulumi.Input[str],
    group: str,
    settings: PrivateEndpointSettings,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str] | None,
    tags: dict[str, str],
) -> pulumi.CustomResource:
    """A private endpoint for one sub-resource, with its DNS zone group (the A records) unless
    `private_dns_zone_group` is false."""
    from pulumi_azure_native import network  # imported on use: the module takes half a second to load

    endpoint = network.PrivateEndpoint(
        name,
        # `pep-<logical name>`: unique in the resource group as the logical name is in the stack.
        private_endpoint_name=hyphenated_name(PRIVATE_ENDPOINT, "pep", [name]),
        resource_group_name=resource_group_name,
        location=location,
        subnet=network.SubnetArgs(id=settings["subnet_id"]),
        private_link_service_connections=[
            network.PrivateLinkServiceConnectionArgs(
                name=f"{name}-{group}", private_link_service_id=target_id, group_ids=[group]
            )
        ],
        tags=tags,
        opts=child(parent, ignore_changes=["privateEndpointName"]),  # earlier versions let azure-native autoname it
    )
    if not settings.get("private_dns_zone_group", True):
        return endpoint  # the organisation's DNS (e.g. its Azure Policy) registers the records
    # Every zone the group needs is the stack's or one the user brought (zone_id_for; validate_private_endpoints).
    network.PrivateDnsZoneGroup(
        f"{name}-dns",
        private_dns_zone_group_name="default",
        private_endpoint_name=endpoint.name,
        resource_group_name=resource_group_name,
        private_dns_zone_configs=[
            network.PrivateDnsZoneConfigArgs(
                name=zone.replace(".", "-"), private_dns_zone_id=zone_id_for(settings, zone)
            )
            for zone in ZONES_BY_GROUP[group]
        ],
        opts=child(parent),
    )
    return endpoint
