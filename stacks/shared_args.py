"""The stack program's arguments of the resources the workspaces share: SharedWorkspaceResources (amlws:shared)
and the SelfServeZone (amlws:selfServe), with the lock and naming every section gets from the stack.
"""

from __future__ import annotations

from typing import Any, Mapping, cast

import pulumi

from amlws.components import (
    SelfServeZoneArgs,
    SharedWorkspaceResourcesArgs,
)

from . import names
from .config import (
    StackConfig,
    cost_tags,
)
from .program_network import Subnets, endpoint_settings


SHARED_SECTIONS = ("container_registry", "key_vault", "monitoring", "storage", "ml_registry")


def shared_resource_group_name(stack: StackConfig) -> str:
    return (stack.shared.resource_group_name if stack.shared else None) or f"rg-shared-{stack.environment}"


def _lock(stack: StackConfig) -> dict[str, Any]:
    """A protected stack also locks its data resources (AVM `lock`): `protect` stops only Pulumi,
    a CanNotDelete management lock stops the portal and the CLI too (the pack's data-resources-delete-lock).
    A workspace with a managed network gets none (MachineLearningWorkspace `workspace_lock`)."""
    return {"lock": {"kind": "CanNotDelete"}} if stack.protect else {}


def _dump(model: Any) -> Any:
    return model.model_dump(exclude_none=True) if model is not None else None


def shared_args(
    stack: StackConfig,
    rg_name: pulumi.Input[str],
    zone_ids: Mapping[str, pulumi.Input[str]] | None = None,
    subnets: Subnets | None = None,
) -> SharedWorkspaceResourcesArgs:
    assert stack.shared is not None
    args: dict[str, Any] = {
        "resource_group_name": rg_name,
        "location": stack.location,
        "tags": cost_tags(stack, None),
        "protect": stack.protect,
        **_lock(stack),
    }
    for field in SHARED_SECTIONS:
        section = getattr(stack.shared, field)
        if section is not None:
            args[field] = _dump(section)
    names.fill_names(args, names.section_names(stack, "shared", shared_resource_group_name(stack)))
    if "key_vault" in args and any(w.customer_managed_key for w in stack.workspaces):
        args["key_vault"]["grant_deployer_crypto_officer"] = True  # the workspaces create their CMK keys in it
        args["key_vault"]["deployer_principal_type"] = stack.deployer_principal_type
    if stack.shared.private_endpoints is not None:
        args["private_endpoints"] = endpoint_settings(stack, stack.shared.private_endpoints, zone_ids, subnets)
    return cast(SharedWorkspaceResourcesArgs, args)  # held to the Args by the component's check_component_args


# selfServe.resources section -> (SelfServeZone approved key, SharedWorkspaceResources output)
ZONE_SECTIONS = {
    "storage": ("storage_account_id", "storage_account_id"),
    "key_vault": ("key_vault_id", "key_vault_id"),
    "monitoring": ("application_insights_id", "application_insights_id"),
    "container_registry": ("container_registry_id", "container_registry_id"),
}


def self_serve_args(stack: StackConfig, shared: Any = None) -> SelfServeZoneArgs:
    """The zone creates the sections it configures and approves the rest from amlws:shared (the same
    resources the project workspaces use). `shared` is the SharedWorkspaceResources (None in the preflight,
    which only needs to know which IDs will exist)."""
    zone = stack.self_serve
    assert zone is not None
    env = stack.environment
    args: dict[str, Any] = {
        "resource_group_name": zone.resource_group_name or f"rg-selfserve-{env}",
        "location": stack.location,
        "creator_group_object_ids": list(zone.creator_group_object_ids),
        "effect": zone.effect,
        "required_tags": list(zone.required_tags),
        "tags": {**stack.tags, "project": "selfserve", "environment": env, "managed-by": "pulumi"},
        "protect": stack.protect,
        **_lock(stack),
    }
    for key in ("public_network_access", "managed_network_isolation_mode", "image_builds"):
        if getattr(zone, key) is not None:
            args[key] = getattr(zone, key)
    created = {f: _dump(getattr(zone.resources, f)) for f in ZONE_SECTIONS if getattr(zone.resources, f) is not None}
    if created:
        args["resources"] = created
    approved: dict[str, Any] = {}
    for field, (key, output) in ZONE_SECTIONS.items():
        if field not in created and stack.shared is not None and getattr(stack.shared, field) is not None:
            approved[key] = (
                getattr(shared, output)
                if shared is not None
                else pulumi.Output.from_input(f"<amlws:shared.{field}>")  # preflight: an ID known later
            )
    if approved:
        args["approved"] = approved
    return cast(SelfServeZoneArgs, args)  # held to the Args by the component's check_component_args
