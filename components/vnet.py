"""The stack's own virtual network, for a stack that has none to bring: the place private endpoints live.

With public network access off, a workspace and an Azure ML registry are reached only through private
endpoints in a virtual network (how-to-configure-private-link; how-to-registry-network-isolation:
"Clients need to be connected to the VNet to which the registry is connected with a private endpoint").
A stack either names an existing subnet, or declares this network: an address space and its subnets.
People get in through peering, a VPN gateway, ExpressRoute or Bastion, as those pages list.
"""

import ipaddress
from typing import NotRequired, Optional, TypedDict

import pulumi

from amlws_rules.naming import SUBNET, VIRTUAL_NETWORK

from .schema import check_component_args
from ._common import ComponentInputError, check_name, child, token

COMPONENT = "PrivateNetwork"


class SubnetSettings(TypedDict):
    """One subnet of the network."""

    name: str
    """Subnet name (1-80 letters, digits, '.', '_', '-')."""
    address_prefix: str
    """`addressPrefix`, a CIDR block inside the network's address space, e.g. `10.40.1.0/24`."""


class PrivateNetworkArgs(TypedDict):
    """Inputs of PrivateNetwork."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the virtual network."""
    virtual_network_name: str
    """`virtualNetworkName` (2-64 letters, digits, '.', '_', '-')."""
    address_prefixes: list[str]
    """`addressSpace.addressPrefixes`: CIDR blocks, e.g. `10.40.0.0/16`."""
    subnets: list[SubnetSettings]
    """Subnets, each inside the address space, none overlapping."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region; the resource group's by default."""
    tags: NotRequired[dict[str, str]]
    """Tags for the virtual network."""


def _cidr(setting: str, value: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(str(value), strict=True)
    except ValueError as err:
        raise ComponentInputError(COMPONENT, setting, value, f"not a CIDR block ({err})") from None


def validate_network_args(args: PrivateNetworkArgs) -> None:
    """Names, CIDR blocks, every subnet inside the address space and no two overlapping (Azure refuses both)."""
    check_name(COMPONENT, "virtual_network_name", VIRTUAL_NETWORK, args.get("virtual_network_name"))
    if not args.get("address_prefixes"):
        raise ComponentInputError(
            COMPONENT, "address_prefixes", args.get("address_prefixes"), "at least one CIDR block"
        )
    space = [_cidr(f"address_prefixes[{i}]", p) for i, p in enumerate(args["address_prefixes"])]
    if not args.get("subnets"):
        raise ComponentInputError(
            COMPONENT, "subnets", args.get("subnets"), "at least one subnet, for the private endpoints"
        )
    seen: dict[str, ipaddress.IPv4Network | ipaddress.IPv6Network] = {}
    for i, subnet in enumerate(args["subnets"]):
        check_name(COMPONENT, f"subnets[{i}].name", SUBNET, subnet.get("name"))
        if subnet["name"].lower() in {n.lower() for n in seen}:
            raise ComponentInputError(COMPONENT, f"subnets[{i}].name", subnet["name"], "subnet names must be unique")
        block = _cidr(f"subnets[{i}].address_prefix", subnet.get("address_prefix"))
        # subnet_of/overlaps are typed for one IP version; the version test (and _cidr) keeps the pairs alike.
        if not any(block.version == s.version and block.subnet_of(s) for s in space):  # type: ignore[arg-type]
            raise ComponentInputError(
                COMPONENT,
                f"subnets[{i}].address_prefix",
                subnet["address_prefix"],
                f"outside the address space {args['address_prefixes']}",
            )
        clash = next((n for n, b in seen.items() if b.overlaps(block)), None)  # type: ignore[arg-type]  # as above
        if clash:
            raise ComponentInputError(
                COMPONENT, f"subnets[{i}].address_prefix", subnet["address_prefix"], f"overlaps subnet {clash}"
            )
        seen[subnet["name"]] = block


class PrivateNetwork(pulumi.ComponentResource):
    """A virtual network with subnets, for the stack's private endpoints."""

    virtual_network_id: pulumi.Output[str]
    """Resource ID of the virtual network."""
    subnet_ids: pulumi.Output[dict[str, str]]
    """Subnet name -> subnet resource ID (`<virtual network ID>/subnets/<name>`)."""

    def __init__(self, name: str, args: PrivateNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None):
        check_component_args(COMPONENT, name, args, PrivateNetworkArgs)
        validate_network_args(args)
        super().__init__(token(COMPONENT), name, None, opts)
        from pulumi_azure_native import network  # imported on use: the module takes half a second to load

        vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=args["virtual_network_name"],
            resource_group_name=args["resource_group_name"],
            location=args.get("location"),
            address_space=network.AddressSpaceArgs(address_prefixes=list(args["address_prefixes"])),
            # Subnets inline: the network owns them, so a later `up` does not remove subnets declared apart.
            # Network policies off for private endpoints: a prerequisite in how-to-configure-private-link.
            subnets=[
                network.SubnetArgs(
                    name=s["name"], address_prefix=s["address_prefix"], private_endpoint_network_policies="Disabled"
                )
                for s in args["subnets"]
            ],
            tags=args.get("tags"),
            opts=child(self),
        )
        self.virtual_network_id = vnet.id
        self.subnet_ids = pulumi.Output.all(
            **{s["name"]: pulumi.Output.concat(vnet.id, "/subnets/", s["name"]) for s in args["subnets"]}
        )
        self.register_outputs({"virtual_network_id": self.virtual_network_id, "subnet_ids": self.subnet_ids})
