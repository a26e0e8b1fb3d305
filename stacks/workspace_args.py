"""A workspace's component args from the stack config: what its section says (`workspace_body`, built once
per workspace), then linked to the resources the stack declares (`workspace_args`), and the names and
`config.json` the program derives for it.
"""

from __future__ import annotations

import copy
from typing import Any, Mapping, cast

import pulumi

from amlws.components import MachineLearningWorkspaceArgs

from . import names
from .config import StackConfig, WorkspaceConfig, cost_tags
from .program_network import Subnets, endpoint_settings
from .shared_args import _lock


HubIds = tuple[pulumi.Input[str], pulumi.Input[str | None] | None]
"""A Hub's workspace ID and its Log Analytics workspace ID (None: its diagnostics are off)."""


def resource_group_name(stack: StackConfig, workspace: WorkspaceConfig) -> str:
    return workspace.resource_group_name or f"rg-{workspace.project}-{stack.environment}"


def ml_config(
    subscription_id: pulumi.Input[str], resource_group: pulumi.Input[str], workspace_name: pulumi.Input[str]
) -> dict[str, Any]:
    """Exactly the `config.json` the Azure ML SDKs read (`MLClient.from_config()`,
    `Workspace.from_config()`): `amlws ml-config PROJECT` writes it from the stack's outputs."""
    return {"subscription_id": subscription_id, "resource_group": resource_group, "workspace_name": workspace_name}


def workspace_body(stack: StackConfig, workspace: WorkspaceConfig) -> dict[str, Any]:
    """What a workspace's config says, as component args (snake_case): everything but the links to resources
    the stack declares (its resource group, the shared resources, DNS zones, subnets, the ML registry), which
    `workspace_args` adds. Built once per workspace (`preflight` returns them), checked and then declared."""
    exclude = {"project", "resource_group_name", "tags", "budget", "private_endpoints", "hub"}
    if workspace.kind == "Project":  # only what the stack file writes: the component refuses what a Project
        exclude |= set(type(workspace).model_fields) - workspace.model_fields_set  # takes from its hub
    body = workspace.model_dump(exclude_none=True, exclude=exclude)
    if isinstance(body.get("diagnostics"), list):  # the workspace's own settings (AVM diagnosticSettings)
        body["diagnostic_settings"] = body.pop("diagnostics")
    args: dict[str, Any] = {
        **body,
        "location": stack.location,
        "workspace_name": workspace.workspace_name or names.workspace_name(stack, workspace.project),
        "tags": cost_tags(stack, workspace),
        "protect_data": stack.protect,
        **_lock(stack),
    }
    rg = resource_group_name(stack, workspace)
    names.fill_names(args, names.section_names(stack, workspace.project, rg))
    if "customer_managed_key" in args:
        args["customer_managed_key"]["deployer_principal_type"] = stack.deployer_principal_type
    for ds in args.get("datastores", []):
        if not ds.get("existing_storage_id"):
            ds.setdefault("account_name", names.datastore_account_name(stack, workspace.project, rg, ds["name"]))
    return args


def workspace_bodies(stack: StackConfig) -> dict[str, dict[str, Any]]:
    return {w.project: workspace_body(stack, w) for w in stack.workspaces}


def workspace_args(
    stack: StackConfig,
    workspace: WorkspaceConfig,
    body: Mapping[str, Any],
    rg_name: pulumi.Input[str],
    shared: Mapping[str, Any] | None = None,
    zone_ids: Mapping[str, pulumi.Input[str]] | None = None,
    subnets: Subnets | None = None,
    ml_registry_id: pulumi.Input[str | None] | None = None,
    hub_ids: Mapping[str, HubIds] | None = None,
) -> MachineLearningWorkspaceArgs:
    """The workspace's `body` (`workspace_body`) linked to the resources the stack declares. `shared` maps a
    section to the ID of the shared resource that replaces it; `zone_ids` are the stack's private DNS zones;
    `hub_ids` the workspace and Log Analytics workspace IDs of each Hub of the stack, by project (`hub`)."""
    args: dict[str, Any] = {**copy.deepcopy(dict(body)), "resource_group_name": rg_name}
    project = workspace.kind == "Project"
    for field, section in (shared or {}).items() if not project else ():
        args[field] = dict(section)  # a Project uses its hub's, not the stack's shared resources
    if workspace.hub is not None:
        hub_id, hub_law = (hub_ids or {})[workspace.hub]
        args["hub_resource_id"] = hub_id
        if hub_law is not None and "diagnostics_workspace_id" not in args and workspace.diagnostics is not False:
            args["diagnostics_workspace_id"] = hub_law  # its resource logs go where its hub's go
    if workspace.private_endpoints is not None:
        args["private_endpoints"] = endpoint_settings(stack, workspace.private_endpoints, zone_ids, subnets)
    registry = stack.shared.ml_registry if stack.shared else None
    managed = workspace.managed_network_isolation_mode in ("AllowInternetOutbound", "AllowOnlyApprovedOutbound")
    if managed and registry is not None and registry.public_network_access == "Disabled" and ml_registry_id is not None:
        # A workspace behind a managed network reaches a closed Azure ML registry through a private endpoint rule
        # (how-to-registry-network-isolation, "Use assets from registry in workspace"); the stack owns the registry,
        # so the workspace identity is made its approver.
        rules = args.setdefault("managed_network_outbound_rules", {})
        rules.setdefault(
            "ml-registry",
            {
                "type": "PrivateEndpoint",
                "service_resource_id": ml_registry_id,
                "subresource_target": "amlregistry",
                "approve": True,
            },
        )
    return cast(MachineLearningWorkspaceArgs, args)  # held to the Args by the component's check_component_args
