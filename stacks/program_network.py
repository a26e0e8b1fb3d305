"""The stack program's network arguments: the virtual network it creates, the private endpoint settings of
each endpoint user, and the private DNS zones the stack creates for them.
"""

from __future__ import annotations

from typing import Any, Mapping

import pulumi

from amlws.components.dns_zones import zones_needed, zones_the_stack_creates
from amlws.components.network import endpoint_targets
from amlws.components.outbound import WORKSPACE_SECTIONS
from amlws.components.vnet import PrivateNetworkArgs
from amlws_rules.naming import VIRTUAL_NETWORK, hyphenated_name

from .config import (
    PrivateEndpointsConfig,
    StackConfig,
    cost_tags,
)


Subnets = Mapping[str, pulumi.Input[str]]


def network_args(stack: StackConfig, rg_name: pulumi.Input[str]) -> PrivateNetworkArgs:
    """The virtual network the stack creates (`amlws:network.virtualNetwork`), in the shared resource group."""
    assert stack.network is not None and stack.network.virtual_network is not None
    vnet = stack.network.virtual_network
    return {
        "resource_group_name": rg_name,
        "location": stack.location,
        "tags": cost_tags(stack, None),
        "virtual_network_name": vnet.name or hyphenated_name(VIRTUAL_NETWORK, "vnet", ["shared", stack.environment]),
        "address_prefixes": list(vnet.address_prefixes),
        "subnets": [{"name": s.name, "address_prefix": s.address_prefix} for s in vnet.subnets],
    }


def endpoint_settings(
    stack: StackConfig,
    endpoints: PrivateEndpointsConfig,
    zone_ids: Mapping[str, pulumi.Input[str]] | None,
    subnets: Subnets | None,
) -> dict[str, Any]:
    """`private_endpoints` args: the subnet by ID, by name in the existing network, or the created subnet's ID."""
    subnet: pulumi.Input[str] | None = endpoints.subnet_id
    if subnet is None and stack.network is not None and stack.network.virtual_network_id is not None:
        subnet = f"{stack.network.virtual_network_id}/subnets/{endpoints.subnet_name}"
    elif subnet is None:
        subnet = (subnets or {})[str(endpoints.subnet_name)]
    if not endpoints.private_dns_zone_group:
        return {"subnet_id": subnet, "private_dns_zone_group": False}
    settings: dict[str, Any] = {"subnet_id": subnet, "private_dns_zone_ids": dict(zone_ids or {})}
    if endpoints.private_dns_zone_resource_ids is not None:
        settings["private_dns_zone_resource_ids"] = list(endpoints.private_dns_zone_resource_ids)
    return settings


def _endpoint_groups(sections: Mapping[str, Any], created_by_default: tuple[str, ...] = ()) -> list[str]:
    """The private link groups of the endpoints a user's sections get (`endpoint_targets`, the components' rule)."""
    return [group for _, _, group in endpoint_targets(sections, created_by_default)]


def stack_dns_zones(stack: StackConfig) -> tuple[str, ...]:
    """The private DNS zones the stack creates (`zones_the_stack_creates`): every zone no private-endpoint user
    brings in `privateEndpoints.privateDnsZoneResourceIds`, none when all the zones they need are brought.
    A workspace's storage, vault and registry get endpoints only when it creates them (not shared, not existing)."""
    users: dict[str, tuple[list[str], list[str]]] = {}
    shared = stack.shared
    for i, ws in enumerate(stack.workspaces):
        if ws.private_endpoints is None or not ws.private_endpoints.private_dns_zone_group:
            continue
        sections: dict[str, Any] = {}
        for key in ("storage", "key_vault", "container_registry"):
            own = getattr(ws, key)
            if own is None and (shared is None or getattr(shared, key) is None):
                continue
            brought = (own is not None and own.existing_id) or (shared is not None and getattr(shared, key) is not None)
            sections[key] = {"existing_id": "brought"} if brought else {}
        groups = ["amlworkspace", *_endpoint_groups(sections, WORKSPACE_SECTIONS)]
        users[f"amlws:workspaces[{i}]"] = (
            zones_needed(groups),
            ws.private_endpoints.private_dns_zone_resource_ids or [],
        )
    if shared is not None and shared.private_endpoints is not None and shared.private_endpoints.private_dns_zone_group:
        sections = {
            key: {"existing_id": "brought"} if getattr(getattr(shared, key), "existing_id", None) else {}
            for key in ("storage", "key_vault", "container_registry", "ml_registry")
            if getattr(shared, key) is not None
        }
        users["amlws:shared"] = (
            zones_needed(_endpoint_groups(sections)),
            shared.private_endpoints.private_dns_zone_resource_ids or [],
        )
    return zones_the_stack_creates(users)


def needs_private_dns_zones(stack: StackConfig) -> bool:
    """The stack's private DNS zones serve the endpoints with a zone group: none when every endpoint it declares
    has `privateDnsZoneGroup: false` (a network without endpoints keeps its zones, as before)."""
    users = [w.private_endpoints for w in stack.workspaces if w.private_endpoints is not None]
    if stack.shared is not None and stack.shared.private_endpoints is not None:
        users.append(stack.shared.private_endpoints)
    return not users or any(u.private_dns_zone_group for u in users)
