"""The stack program: shared resources, then one resource group and MachineLearningWorkspace per project.

Two phases. First everything is validated (typed config, then every component's inputs, including
the lookups of existing resources and the deployed state of each workspace); only then is anything
declared, so a typo in the second workspace never leaves the first half-deployed.
"""

from __future__ import annotations

from typing import Any, Mapping

import pulumi
from pulumi_azure_native import authorization, resources

from amlws.components import (
    ComponentInputError,
    MachineLearningWorkspace,
    MachineLearningWorkspaceArgs,
    PrivateDnsZones,
    SharedWorkspaceResources,
    SharedWorkspaceResourcesArgs,
    monthly_budget,
    validate_budget,
)
from amlws.components.network import ALL_ZONES
from amlws.components.shared import validate_shared_args
from amlws.components._lookup import remember
from amlws.components.key_vault import VaultFacts
from amlws.components.workspace import validate_workspace_args

from .config import StackConfig, StackConfigError, WorkspaceConfig, read_stack_config

SHARED_SECTIONS = {"container_registry": "container_registry", "key_vault": "key_vault", "monitoring": "monitoring", "storage": "storage"}


def cost_tags(stack: StackConfig, workspace: WorkspaceConfig | None) -> dict[str, str]:
    """Stack tags, then the cost-allocation tags every resource carries, then the workspace's own."""
    if workspace is None:
        return {**stack.tags, "project": "shared", "environment": stack.environment, "managed-by": "pulumi"}
    return {**stack.tags, "project": workspace.project, "environment": stack.environment, "managed-by": "pulumi", **workspace.tags}


def resource_group_name(stack: StackConfig, workspace: WorkspaceConfig) -> str:
    return workspace.resource_group_name or f"rg-{workspace.project}-{stack.environment}"


def shared_resource_group_name(stack: StackConfig) -> str:
    return (stack.shared.resource_group_name if stack.shared else None) or f"rg-shared-{stack.environment}"


def _dump(model: Any) -> Any:
    return model.model_dump(exclude_none=True) if model is not None else None


def shared_args(stack: StackConfig, rg_name: pulumi.Input[str], zone_ids: Mapping[str, pulumi.Input[str]] | None = None) -> SharedWorkspaceResourcesArgs:
    assert stack.shared is not None
    args: dict = {"resource_group_name": rg_name, "location": stack.location, "tags": cost_tags(stack, None), "protect": stack.protect}
    for field in (*SHARED_SECTIONS, "ml_registry"):
        section = getattr(stack.shared, field)
        if section is not None:
            args[field] = _dump(section)
    if stack.shared.private_endpoints is not None:
        args["private_endpoints"] = {"subnet_id": stack.shared.private_endpoints.subnet_id, "private_dns_zone_ids": dict(zone_ids or {})}
    return args  # type: ignore[return-value]


def workspace_args(
    stack: StackConfig, workspace: WorkspaceConfig, rg_name: pulumi.Input[str],
    shared: Mapping[str, Any] | None = None, zone_ids: Mapping[str, pulumi.Input[str]] | None = None,
) -> MachineLearningWorkspaceArgs:
    """Config (camelCase, typed) to component args (snake_case TypedDict). `shared` maps a section
    to the ID of the shared resource that replaces it; `zone_ids` are the stack's private DNS zones."""
    body = workspace.model_dump(
        exclude_none=True,
        exclude={"project", "resource_group_name", "tags", "container_registry", "budget", "private_endpoints"},
    )
    args: dict = {
        **body,
        "resource_group_name": rg_name,
        "location": stack.location,
        "workspace_name": f"mlw-{workspace.project}-{stack.environment}",
        "tags": cost_tags(stack, workspace),
        "protect_data": stack.protect,
    }
    if workspace.container_registry is not None:
        args["container_registry"] = _dump(workspace.container_registry)
    for field, shared_id in (shared or {}).items():
        if field == "monitoring":
            args["monitoring"] = dict(shared_id)  # type: ignore[arg-type]
        else:
            args[field] = {"existing_id": shared_id}
    if workspace.private_endpoints is not None:
        args["private_endpoints"] = {"subnet_id": workspace.private_endpoints.subnet_id, "private_dns_zone_ids": dict(zone_ids or {})}
    return args  # type: ignore[return-value]


def _stand_ins(stack: StackConfig) -> dict[str, Any]:
    """For the preflight: what each workspace will be handed for the shared resources, before they exist.

    A shared resource brought by ID is handed on as that ID (looked up like any other). One the stack
    creates is handed on as an Output only the shared component can vouch for; here a stand-in Output
    carries the facts its settings fix (a vault's purge protection, a storage account's kind and SKU),
    so each workspace is checked on exactly the path the real run takes.
    """
    assert stack.shared is not None
    ids: dict[str, Any] = {}
    shared = stack.shared
    if shared.key_vault is not None:
        if shared.key_vault.existing_id:
            ids["key_vault"] = shared.key_vault.existing_id
        else:
            vault = pulumi.Output.from_input("<shared key vault>")
            remember(vault, facts=VaultFacts(id=vault, name="<shared>", resource_group_name=shared_resource_group_name(stack),
                                             enable_purge_protection=shared.key_vault.enable_purge_protection, enable_soft_delete=True,
                                             label="<the shared key vault (amlws:shared.keyVault)>"))
            ids["key_vault"] = vault
    if shared.container_registry is not None:
        if shared.container_registry.existing_id:
            ids["container_registry"] = shared.container_registry.existing_id
        else:
            registry = pulumi.Output.from_input("<shared registry>")
            remember(registry, login_server="<shared>.azurecr.io")
            ids["container_registry"] = registry
    if shared.storage is not None:
        if shared.storage.existing_id:
            ids["storage"] = shared.storage.existing_id
        else:
            account = pulumi.Output.from_input("<shared storage>")
            remember(account, name="<shared>", kind=shared.storage.kind, sku_name=shared.storage.sku_name,
                     is_hns_enabled=shared.storage.is_hns_enabled, label="<the shared storage account (amlws:shared.storage)>")
            ids["storage"] = account
    if shared.monitoring is not None:
        monitoring = shared.monitoring
        ai: Any = monitoring.existing_application_insights_id or pulumi.Output.from_input("<shared insights>")
        law: Any = monitoring.existing_log_analytics_workspace_id or pulumi.Output.from_input("<shared log analytics>")
        for value in (ai, law):
            if not isinstance(value, str):
                remember(value)
        ids["monitoring"] = {"existing_application_insights_id": ai, "existing_log_analytics_workspace_id": law}
    return ids


def preflight(stack: StackConfig, stack_file: str) -> None:
    """Run every component check for every workspace (and the shared resources) before anything is declared."""
    problems: list[str] = []
    placeholder_zones = {zone: f"<zone {zone}>" for zone in ALL_ZONES}
    stand_ins = _stand_ins(stack) if stack.shared is not None else None
    if stack.shared is not None:
        try:
            validate_shared_args(shared_args(stack, shared_resource_group_name(stack), placeholder_zones))
        except ComponentInputError as err:
            problems.append(f"amlws:shared: {err}")
    for i, workspace in enumerate(stack.workspaces):
        args = workspace_args(stack, workspace, resource_group_name(stack, workspace), stand_ins, placeholder_zones)
        try:
            validate_workspace_args(args)
            validate_budget("MachineLearningWorkspace", workspace.budget.model_dump() if workspace.budget else None)  # type: ignore[arg-type]
        except ComponentInputError as err:
            problems.append(f"amlws:workspaces[{i}] (project {workspace.project}): {err}")
    if problems:
        raise StackConfigError(stack_file, problems)


def main() -> None:
    stack = read_stack_config()
    preflight(stack, f"Pulumi.{pulumi.get_stack()}.yaml")
    subscription_id = authorization.get_client_config_output().subscription_id

    shared_ids: dict[str, Any] = {}
    zone_ids: dict[str, pulumi.Input[str]] = {}
    if stack.shared is not None or stack.network is not None:
        shared_group = resources.ResourceGroup(
            "shared-rg",
            resource_group_name=shared_resource_group_name(stack),
            location=stack.location,
            tags=cost_tags(stack, None),
            opts=pulumi.ResourceOptions(protect=stack.protect),
        )
        if stack.network is not None:
            dns = PrivateDnsZones(
                "private-dns",
                {"resource_group_name": shared_group.name, "virtual_network_id": stack.network.virtual_network_id, "tags": cost_tags(stack, None)},
            )
            zone_ids = {zone: dns.zone_ids.apply(lambda ids, z=zone: ids[z]) for zone in ALL_ZONES}
        if stack.shared is not None:
            shared = SharedWorkspaceResources("shared", shared_args(stack, shared_group.name, zone_ids))
            if shared.registry is not None:
                shared_ids["container_registry"] = shared.registry.id
            if shared.vault is not None:
                shared_ids["key_vault"] = shared.vault.id
            if shared.store is not None:
                shared_ids["storage"] = shared.store.id
            if shared.monitor is not None:
                shared_ids["monitoring"] = {
                    "existing_application_insights_id": shared.monitor.application_insights_id,
                    "existing_log_analytics_workspace_id": shared.monitor.log_analytics_workspace_id,
                }
            pulumi.export("shared", {
                "containerRegistryId": shared.container_registry_id,
                "keyVaultId": shared.key_vault_id,
                "applicationInsightsId": shared.application_insights_id,
                "logAnalyticsWorkspaceId": shared.log_analytics_workspace_id,
                "storageAccountId": shared.storage_account_id,
                "mlRegistryId": shared.ml_registry_id,
            })

    for workspace in stack.workspaces:
        tags = cost_tags(stack, workspace)
        rg_name: pulumi.Input[str]
        rg_id: pulumi.Input[str]
        if workspace.resource_group_name:
            rg_name = workspace.resource_group_name
            rg_id = pulumi.Output.concat("/subscriptions/", subscription_id, "/resourceGroups/", workspace.resource_group_name)
        else:
            group = resources.ResourceGroup(
                f"{workspace.project}-rg",
                resource_group_name=resource_group_name(stack, workspace),
                location=stack.location,
                tags=tags,
                opts=pulumi.ResourceOptions(protect=stack.protect),
            )
            rg_name, rg_id = group.name, group.id
        ml = MachineLearningWorkspace(workspace.project, workspace_args(stack, workspace, rg_name, shared_ids, zone_ids))
        if workspace.budget is not None:
            monthly_budget(f"budget-{workspace.project}-{stack.environment}", workspace.budget.model_dump(), scope=rg_id)  # type: ignore[arg-type]
        pulumi.export(
            workspace.project,
            {
                "workspaceId": ml.workspace_id,
                "workspaceName": ml.workspace_name,
                "principalId": ml.principal_id,
                "storageAccountId": ml.storage_account_id,
                "keyVaultId": ml.key_vault_id,
                "applicationInsightsId": ml.application_insights_id,
                "containerRegistryId": ml.container_registry_id,
                "computeIds": ml.compute_ids,
                "datastoreIds": ml.datastore_ids,
                "environmentVersionIds": ml.environment_version_ids,
            },
        )
