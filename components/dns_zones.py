"""Private DNS zones of private endpoints: the zone of each private link group, the zones an endpoint user
brings, and the stack's own zones (`PrivateDnsZones`), linked to its virtual network.

Moved out of network.py (which re-imports every name here); a virtual network can link only one zone of
each name, so the zones belong to the stack, not to each workspace.
"""

from typing import Any, Mapping, NotRequired, Optional, Sequence, TypedDict

import pulumi

from amlws_rules import parse_arm_id
from amlws_rules.arm import PRIVATE_DNS_ZONE
from amlws_rules.naming import PRIVATE_ENDPOINT, hyphenated_name

from .schema import check_component_args
from ._common import ComponentInputError, check_arm_id, child, token

# Private link sub-resource (group ID) -> the private DNS zones its records go in (public Azure cloud):
# MicrosoftDocs/azure-docs articles/private-link/private-endpoint-dns-values.md ("Azure Private Endpoint
# private DNS zone values"). An Azure ML registry's group is `amlregistry` (the service's own error: "supports
# ["amlregistry"]"; hashicorp/terraform-provider-azurerm internal/services/machinelearning/
# machine_learning_registry_resource_test.go); its records go in privatelink.api.azureml.ms
# (MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-registry-network-isolation.md: the registry's
# FQDN is `<registry-guid>.registry.<region>.privatelink.api.azureml.ms`).
ZONES_BY_GROUP: dict[str, tuple[str, ...]] = {
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    "amlregistry": ("privatelink.api.azureml.ms",),
    "blob": ("privatelink.blob.core.windows.net",),
    "file": ("privatelink.file.core.windows.net",),
    "dfs": ("privatelink.dfs.core.windows.net",),
    "vault": ("privatelink.vaultcore.azure.net",),
    "registry": ("privatelink.azurecr.io",),
}
ALL_ZONES = tuple(sorted({z for zones in ZONES_BY_GROUP.values() for z in zones}))


def brought_zones(component: str, settings: Mapping[str, Any], needed: Sequence[str]) -> dict[str, str]:
    """Zone name -> ID of each zone in `private_dns_zone_resource_ids`: a privateDnsZones ID, of a zone one of the
    endpoints needs (Azure's zone per sub-resource: learn.microsoft.com azure/private-link/private-endpoint-dns,
    `ZONES_BY_GROUP`), each zone once. Zone names are DNS names, compared without regard to case."""
    setting = "private_endpoints.private_dns_zone_resource_ids"
    given = settings.get("private_dns_zone_resource_ids")
    if given is None:
        return {}
    if not isinstance(given, (list, tuple)):
        raise ComponentInputError(component, setting, given, f"a list of {PRIVATE_DNS_ZONE} resource IDs")
    brought: dict[str, str] = {}
    for i, zone_id in enumerate(given):
        if not isinstance(zone_id, str):
            raise ComponentInputError(
                component, f"{setting}[{i}]", zone_id, f"a {PRIVATE_DNS_ZONE} resource ID (a string)"
            )
        check_arm_id(component, f"{setting}[{i}]", zone_id, PRIVATE_DNS_ZONE)
        zone = parse_arm_id(zone_id).name.lower()
        if zone not in needed:
            raise ComponentInputError(
                component,
                f"{setting}[{i}]",
                zone_id,
                f"is zone {zone}, which none of these private endpoints needs; they need {', '.join(needed)}",
            )
        if zone in brought:
            raise ComponentInputError(
                component, f"{setting}[{i}]", zone_id, f"is a second {zone} zone (the first: {brought[zone]})"
            )
        brought[zone] = zone_id
    return brought


def zone_id_for(settings: Mapping[str, Any], zone: str) -> pulumi.Input[str]:
    """The zone a zone group uses: the one brought (`private_dns_zone_resource_ids`), else the stack's."""
    for zone_id in settings.get("private_dns_zone_resource_ids") or ():
        if parse_arm_id(zone_id).name.lower() == zone:
            return zone_id
    return settings["private_dns_zone_ids"][zone]


def zones_needed(groups: Sequence[str]) -> list[str]:
    """The private DNS zones the endpoints of these private link groups register in (`ZONES_BY_GROUP`)."""
    return sorted({z for g in groups for z in ZONES_BY_GROUP[g]})


def zones_the_stack_creates(users: Mapping[str, tuple[Sequence[str], Sequence[str]]]) -> tuple[str, ...]:
    """The stack's own private DNS zones, given each private-endpoint user (`where` -> (zones its endpoints need,
    zone IDs it brings)): every zone of ALL_ZONES that no one brings, as before; none when every zone any endpoint
    needs is brought.

    A virtual network links one zone of each name (PrivateDnsZones), and clients in it resolve a name through the
    linked zone: so a zone brought by one user while another's endpoints need the stack's zone of that name, or two
    different zones of one name, would leave someone's records unresolvable. That is a ValueError naming both."""
    brought: dict[str, tuple[str, str]] = {}  # zone -> (where, ID)
    for where, (_, ids) in users.items():
        for zone_id in ids:
            zone = parse_arm_id(zone_id).name.lower()
            first = brought.setdefault(zone, (where, zone_id))
            if first[1].lower() != zone_id.lower():
                raise ValueError(
                    f"{where} brings {zone_id} while {first[0]} brings {first[1]}: a virtual network resolves one "
                    f"{zone} zone; bring the same one"
                )
    for where, (needed, ids) in users.items():
        own = {parse_arm_id(i).name.lower() for i in ids}
        for zone in needed:
            if zone in brought and zone not in own:
                raise ValueError(
                    f"{brought[zone][0]} brings {brought[zone][1]} while {where}'s private endpoints need the stack's "
                    f"{zone} zone: a virtual network resolves one zone of each name; bring it for every private "
                    "endpoint user of the stack, or for none"
                )
    if users and all(z in brought for needed, _ in users.values() for z in needed):
        return ()
    return tuple(z for z in ALL_ZONES if z not in brought)


class PrivateDnsZonesArgs(TypedDict):
    """Inputs of PrivateDnsZones."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the zones."""
    virtual_network_id: pulumi.Input[str]
    (
        "Resource ID of the virtual network the zones are linked to (an Output: one the program declares, then give "
        "`virtual_network_name`)."
    )
    virtual_network_name: NotRequired[str]
    """Name of that virtual network, for the link names; read from `virtual_network_id` when it is a string."""
    zones: NotRequired[list[str]]
    """Zone names, default every zone a workspace's private endpoints use."""
    tags: NotRequired[dict[str, str]]
    """Tags for the zones and links."""


class PrivateDnsZones(pulumi.ComponentResource):
    """The private DNS zones of Azure ML, storage, key vault and registry, linked to one virtual network."""

    zone_ids: pulumi.Output[dict[str, str]]
    """Zone name -> zone resource ID."""

    def __init__(self, name: str, args: PrivateDnsZonesArgs, opts: Optional[pulumi.ResourceOptions] = None):
        check_component_args("PrivateDnsZones", name, args, PrivateDnsZonesArgs)
        vnet_id = args.get("virtual_network_id", "")
        vnet_name = args.get("virtual_network_name")
        if isinstance(vnet_id, str):
            try:
                vnet_name = parse_arm_id(vnet_id, "Microsoft.Network/virtualNetworks").name
            except ValueError as err:
                raise ComponentInputError("PrivateDnsZones", "virtual_network_id", vnet_id, str(err)) from None
        elif not vnet_name:
            raise ComponentInputError(
                "PrivateDnsZones", "virtual_network_name", None, "required when virtual_network_id is an Output"
            )
        zones = args.get("zones") or list(ALL_ZONES)
        super().__init__(token("PrivateDnsZones"), name, None, opts)
        from pulumi_azure_native import privatedns  # imported on use, like network above

        ids: dict[str, pulumi.Output[str]] = {}
        for zone_name in zones:
            slug = zone_name.replace("privatelink.", "").replace(".", "-")
            zone = privatedns.PrivateZone(
                f"{name}-{slug}",
                private_zone_name=zone_name,
                resource_group_name=args["resource_group_name"],
                location="global",
                tags=args.get("tags"),
                opts=child(self),
            )
            privatedns.VirtualNetworkLink(
                f"{name}-{slug}-link",
                # A child of its zone: one link per virtual network, named after it.
                virtual_network_link_name=hyphenated_name(PRIVATE_ENDPOINT, "link", [str(vnet_name)]),
                private_zone_name=zone.name,
                resource_group_name=args["resource_group_name"],
                location="global",
                registration_enabled=False,
                virtual_network=privatedns.SubResourceArgs(id=args["virtual_network_id"]),
                tags=args.get("tags"),
                opts=child(self, ignore_changes=["virtualNetworkLinkName"]),  # earlier versions kept the logical name
            )
            ids[zone_name] = zone.id
        self.zone_ids = pulumi.Output.all(**ids)
        self.register_outputs({"zone_ids": self.zone_ids})
