"""The stack's network: the virtual network it creates or brings (`amlws:network`), where private endpoints
go (`privateEndpoints`) and a workspace's managed-network outbound rules. OutboundRuleConfig is derived from
the component Args like every section; the others are the stack's own (stacks/config.py offers them).
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, model_validator

from amlws.components.network import OutboundRuleSettings
from amlws_rules import arm

from .config_base import StackModel, args_section, arm_id_check


class OutboundRuleConfig(
    args_section(
        OutboundRuleSettings,
        omit=("approve",),  # the stack approves only the rules it writes itself (its own ML registry)
        types={
            "type": Literal["FQDN", "PrivateEndpoint", "ServiceTag"],
            "protocol": Literal["TCP", "UDP", "ICMP", "*"],
        },
    )
):
    _check_target = arm_id_check(None, "service_resource_id")  # any resource type can be a private endpoint's target


class PrivateEndpointsConfig(StackModel):
    """Where the private endpoints go: an existing subnet by ID, or a subnet of `amlws:network` by name.

    Not derived: the component's `PrivateEndpointSettings` takes a subnet ID and the DNS zones, which the
    stack resolves from this (and from `amlws:network`)."""

    subnet_id: str | None = None
    """An existing subnet's resource ID."""
    subnet_name: str | None = Field(None, min_length=1)
    """A subnet of `amlws:network` by name."""
    private_dns_zone_group: bool = True
    """false: no DNS zone group on the endpoints (the organisation's Azure Policy registers the records), and the
    stack creates no private DNS zones for them (the component's `private_dns_zone_group`)."""
    private_dns_zone_resource_ids: list[str] | None = None
    """Existing private DNS zones (`Microsoft.Network/privateDnsZones` IDs) that replace the stack's zones of their
    names in these endpoints' zone groups (AVM `privateDnsZoneResourceIds`)."""

    _check_subnet = arm_id_check(arm.SUBNET, "subnet_id")
    _check_zones = arm_id_check(arm.PRIVATE_DNS_ZONE, "private_dns_zone_resource_ids")

    @model_validator(mode="after")
    def _one_subnet(self) -> "PrivateEndpointsConfig":
        if (self.subnet_id is None) == (self.subnet_name is None):
            raise ValueError(
                "give exactly one of subnetId (an existing subnet) or subnetName (a subnet of amlws:network)"
            )
        return self


class SubnetConfig(StackModel):
    name: str = Field(min_length=1)
    """The subnet's name."""
    address_prefix: str = Field(min_length=1)
    """Its CIDR block, inside the network's address space."""


class VirtualNetworkConfig(StackModel):
    """A virtual network the stack creates in the shared resource group (`PrivateNetwork`)."""

    name: Optional[str] = None
    """`virtualNetworkName`; default `vnet-shared-<environment>`."""
    address_prefixes: list[str] = Field(min_length=1)
    """The network's address space (CIDR blocks)."""
    subnets: list[SubnetConfig] = Field(min_length=1)
    """Its subnets."""


class NetworkConfig(StackModel):
    """The stack's virtual network for private endpoints (an existing one by ID, or one it creates); its
    private DNS zones live in the shared resource group, linked to it."""

    virtual_network_id: Optional[str] = None
    """An existing virtual network's resource ID."""
    virtual_network: Optional[VirtualNetworkConfig] = None
    """A virtual network the stack creates."""

    _check_id = arm_id_check(arm.VIRTUAL_NETWORK, "virtual_network_id")

    @model_validator(mode="after")
    def _one_network(self) -> "NetworkConfig":
        if (self.virtual_network_id is None) == (self.virtual_network is None):
            raise ValueError(
                "give exactly one of virtualNetworkId (an existing network) or virtualNetwork (one the stack creates)"
            )
        return self
