"""The stack program: shared resources, then one resource group and MachineLearningWorkspace per project.

Two phases. First everything is validated (typed config, then every component's inputs, including
the lookups of existing resources and the deployed state of each workspace); only then is anything
declared, so a typo in the second workspace never leaves the first half-deployed. Each workspace is
planned once in the first phase (`plan_workspace`, with stand-ins for what does not exist yet) and
declared from that plan in the second.
"""

from __future__ import annotations

from typing import Any, Mapping, cast

import pulumi
from pulumi_azure_native import authorization, resources

from amlws.components import (
    BudgetSettings,
    ComponentInputError,
    MachineLearningWorkspace,
    PrivateDnsZones,
    PrivateDnsZonesArgs,
    SelfServeZone,
    SharedWorkspaceResources,
    monthly_budget,
)
from amlws.components.dns_zones import ALL_ZONES
from amlws.components.vnet import PrivateNetwork, validate_network_args
from amlws.components.self_serve_validation import validate_zone_args
from amlws.components.shared import planned_workspace_sections, validate_shared_args
from amlws.components.encryption import deployer_crypto_officer, deployer_grant_name
from amlws.components.lookups import Lookups
from amlws.components.workspace import COMPONENT as WORKSPACE_COMPONENT
from amlws.components.workspace import WorkspacePlan, plan_workspace

from . import names
from .kinds import declaration_order
from .config import (
    NAMESPACE,
    StackConfig,
    StackConfigError,
    cost_tags,
    read_stack_config,
)
from .program_network import (
    needs_private_dns_zones,
    network_args,
    stack_dns_zones,
)
from .shared_args import (
    self_serve_args,
    shared_args,
    shared_resource_group_name,
)
from .workspace_args import (
    HubIds,
    ml_config,
    resource_group_name,
    workspace_args,
    workspace_bodies,
)
from .problems import (
    config_problem,
    plain_connection_keys,
)


def preflight(
    stack: StackConfig,
    stack_file: str,
    lookups: Lookups | None = None,
    bodies: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, WorkspacePlan]:
    """Run every component check for every workspace (and the shared resources) before anything is declared.
    Returns each workspace's plan by project: `main` declares from it without checking again. `lookups` answers
    a resource two workspaces bring (the same existing storage account) once. `bodies`: each project's
    `workspace_body`, built once by the caller, which links the same body to the resources it declares."""
    lookups = lookups or Lookups()
    plans: dict[str, WorkspacePlan] = {}
    problems: list[str] = []
    bodies = bodies or workspace_bodies(stack)
    # Stand-ins for IDs known only once the stack's own resources exist: Outputs, as they will be (left unchecked).
    placeholder_zones = {zone: pulumi.Output.from_input(f"<zone {zone}>") for zone in ALL_ZONES}
    subnets: dict[str, pulumi.Input[str]] = {}  # the created subnets' IDs exist only once the network does
    if stack.network is not None and stack.network.virtual_network is not None:
        subnets = {
            s.name: pulumi.Output.from_input(f"<subnet {s.name}>") for s in stack.network.virtual_network.subnets
        }
        try:
            validate_network_args(network_args(stack, shared_resource_group_name(stack)))
        except ComponentInputError as err:
            problems.append(config_problem("amlws:network.virtualNetwork", err))
    stand_ins = None  # what each workspace will be handed for the shared resources
    if stack.shared is not None:
        try:
            planned = shared_args(stack, shared_resource_group_name(stack), placeholder_zones, subnets)
            validate_shared_args(planned)
            stand_ins = planned_workspace_sections(planned)
        except ComponentInputError as err:
            problems.append(config_problem("amlws:shared", err))
    if stack.self_serve is not None:
        try:
            validate_zone_args(self_serve_args(stack))
        except ComponentInputError as err:
            problems.append(config_problem("amlws:selfServe", err))
    # A Hub's workspace ID (and Log Analytics workspace ID) exist only once it is declared: stand-ins, hubs first.
    hub_stand_ins: dict[str, HubIds] = {}
    index = {w.project: i for i, w in enumerate(stack.workspaces)}
    for workspace in declaration_order(stack.workspaces):
        i = index[workspace.project]
        problems += plain_connection_keys(i, workspace)
        args = workspace_args(
            stack,
            workspace,
            bodies[workspace.project],
            resource_group_name(stack, workspace),
            stand_ins,
            placeholder_zones,
            subnets,
            pulumi.Output.from_input("<shared ml_registry>"),
            hub_stand_ins,
        )
        try:
            plans[workspace.project] = plan_workspace(workspace.project, args, lookups)
        except ComponentInputError as err:
            problems.append(config_problem(f"amlws:workspaces[{i}]", err, f"project {workspace.project}"))
        if workspace.kind == "Hub":
            planned = plans.get(workspace.project)
            hub_stand_ins[workspace.project] = (
                pulumi.Output.from_input(f"<workspace of hub {workspace.project}>"),
                pulumi.Output.from_input(f"<log analytics of hub {workspace.project}>")
                if planned is None or planned.diagnostics
                else None,
            )
    try:
        stack_dns_zones(stack)
    except ValueError as err:  # a zone brought by one private-endpoint user and needed from the stack by another
        problems.append(f"privateEndpoints.privateDnsZoneResourceIds: {err}")
    if problems:
        raise StackConfigError(stack_file, problems)
    return plans


def deployer_grants(stack: StackConfig, plans: Mapping[str, WorkspacePlan]) -> dict[str, pulumi.Resource]:
    """The deploying identity's Key Vault Crypto Officer grant on each existing vault a workspace creates its
    customer-managed key in: one per vault, owned by the program, named after the vault (so the order of the
    workspaces changes no URN). Earlier versions made it inside the first workspace using the vault: an alias per
    such workspace keeps a deployed grant where it is. A shared vault is handed to the workspaces as the
    SharedWorkspaceResources output, not as an existing ID: none is made for it here (as before)."""
    if stack.shared is not None and stack.shared.key_vault is not None:
        return {}
    users: dict[str, list[str]] = {}
    principal_types: dict[str, str] = {}
    for project, plan in plans.items():
        cmk = plan.encryption
        if cmk is not None and cmk.existing_vault_id is not None:
            users.setdefault(cmk.existing_vault_id, []).append(project)
            principal_types.setdefault(cmk.existing_vault_id, cmk.deployer_principal_type)
    stack_name, project_name = pulumi.get_stack(), pulumi.get_project()
    grants: dict[str, pulumi.Resource] = {}
    for vault_id, projects in users.items():
        aliases = [
            pulumi.Alias(
                name=f"{project}-cmk-deployer-crypto-officer",
                parent=f"urn:pulumi:{stack_name}::{project_name}::amlws:index:{WORKSPACE_COMPONENT}::{project}",
            )
            for project in sorted(projects)
        ]
        grants[vault_id] = deployer_crypto_officer(
            deployer_grant_name(vault_id), vault_id, principal_types[vault_id], aliases=aliases
        )
    return grants


def warn_unprotected_prod(stack: StackConfig) -> None:
    """A prod stack without `amlws:protect: true`: `pulumi destroy` (or a replacement) deletes its workspaces,
    which Azure keeps soft-deleted for 14 days with their names blocked (docs/soft-delete.md)."""
    if stack.environment == "prod" and not stack.protect:
        pulumi.log.warn(
            f"{NAMESPACE}:environment is prod but {NAMESPACE}:protect is false: nothing stops `pulumi destroy` from "
            "deleting the workspaces and their data (a deleted workspace stays soft-deleted for 14 days and blocks "
            f"its name; see docs/soft-delete.md). Set {NAMESPACE}:protect: true"
        )


def main() -> None:
    stack = read_stack_config()
    warn_unprotected_prod(stack)
    bodies = workspace_bodies(stack)
    plans = preflight(stack, f"Pulumi.{pulumi.get_stack()}.yaml", bodies=bodies)
    subscription_id = authorization.get_client_config_output().subscription_id

    shared_ids: dict[str, Any] = {}
    ml_registry_id: pulumi.Input[str | None] | None = (
        None  # SharedWorkspaceResources.ml_registry_id: None without ml_registry
    )
    shared: SharedWorkspaceResources | None = None
    zone_ids: dict[str, pulumi.Input[str]] = {}
    subnets: dict[str, pulumi.Input[str]] = {}
    if stack.shared is not None or stack.network is not None:
        shared_group = resources.ResourceGroup(
            "shared-rg",
            resource_group_name=shared_resource_group_name(stack),
            location=stack.location,
            tags=cost_tags(stack, None),
            opts=pulumi.ResourceOptions(protect=stack.protect),
        )
        if stack.network is not None:
            dns_args: PrivateDnsZonesArgs = {
                "resource_group_name": shared_group.name,
                "virtual_network_id": stack.network.virtual_network_id or "",
                "tags": cost_tags(stack, None),
            }
            if stack.network.virtual_network is not None:
                vnet_args = network_args(stack, shared_group.name)
                vnet = PrivateNetwork("network", vnet_args)
                dns_args["virtual_network_id"] = vnet.virtual_network_id
                dns_args["virtual_network_name"] = vnet_args["virtual_network_name"]
                subnets = {
                    s["name"]: vnet.subnet_ids.apply(lambda ids, n=s["name"]: ids[n]) for s in vnet_args["subnets"]
                }
            # none when the private-endpoint users bring every zone they need, or all declare no zone group
            zones = stack_dns_zones(stack) if needs_private_dns_zones(stack) else ()
            if zones:
                if zones != ALL_ZONES:
                    dns_args["zones"] = list(zones)
                dns = PrivateDnsZones("private-dns", dns_args)
                zone_ids = {zone: dns.zone_ids.apply(lambda ids, z=zone: ids[z]) for zone in zones}
        if stack.shared is not None:
            shared = SharedWorkspaceResources("shared", shared_args(stack, shared_group.name, zone_ids, subnets))
            shared_ids = shared.workspace_sections()
            ml_registry_id = shared.ml_registry_id
            pulumi.export(
                "shared",
                {
                    "containerRegistryId": shared.container_registry_id,
                    "keyVaultId": shared.key_vault_id,
                    "applicationInsightsId": shared.application_insights_id,
                    "logAnalyticsWorkspaceId": shared.log_analytics_workspace_id,
                    "storageAccountId": shared.storage_account_id,
                    "mlRegistryId": shared.ml_registry_id,
                },
            )
    if stack.self_serve is not None:
        zone = SelfServeZone("selfserve", self_serve_args(stack, shared))
        pulumi.export(
            "selfServe",
            {
                "resourceGroupName": zone.resource_group_name,
                "storageAccountId": zone.storage_account_id,
                "keyVaultId": zone.key_vault_id,
                "applicationInsightsId": zone.application_insights_id,
                "containerRegistryId": zone.container_registry_id,
                "policyAssignmentIds": zone.policy_assignment_ids,
                "creatorRoleDefinitionId": zone.creator_role_definition_id,
                "dataScientistRoleDefinitionId": zone.data_scientist_role_definition_id,
            },
        )

    grants = deployer_grants(stack, plans)
    hub_ids: dict[str, HubIds] = {}
    for workspace in declaration_order(stack.workspaces):
        tags = cost_tags(stack, workspace)
        rg_name: pulumi.Input[str]
        rg_id: pulumi.Input[str]
        if workspace.resource_group_name:
            rg_name = workspace.resource_group_name
            rg_id = pulumi.Output.concat(
                "/subscriptions/", subscription_id, "/resourceGroups/", workspace.resource_group_name
            )
        else:
            group = resources.ResourceGroup(
                f"{workspace.project}-rg",
                resource_group_name=resource_group_name(stack, workspace),
                location=stack.location,
                tags=tags,
                opts=pulumi.ResourceOptions(protect=stack.protect),
            )
            rg_name, rg_id = group.name, group.id
        ml = MachineLearningWorkspace(
            workspace.project,
            workspace_args(
                stack,
                workspace,
                bodies[workspace.project],
                rg_name,
                shared_ids,
                zone_ids,
                subnets,
                ml_registry_id,
                hub_ids,
            ),
            plan=plans[workspace.project],
            deployer_grants=grants,
        )
        if workspace.kind == "Hub":
            law = ml.log_analytics_workspace_id if plans[workspace.project].diagnostics else None
            hub_ids[workspace.project] = (ml.workspace_id, law)
        if workspace.budget is not None:
            budget = cast(BudgetSettings, workspace.budget.model_dump(exclude_none=True))  # the same fields
            budget.setdefault("budget_name", names.budget_name(stack, workspace.project))
            monthly_budget(f"budget-{workspace.project}-{stack.environment}", budget, scope=rg_id)
        pulumi.export(
            workspace.project,
            {
                "workspaceId": ml.workspace_id,
                "workspaceName": ml.workspace_name,
                "principalId": ml.principal_id,
                "primaryIdentityPrincipalId": ml.primary_identity_principal_id,
                "storageAccountId": ml.storage_account_id,
                "keyVaultId": ml.key_vault_id,
                "applicationInsightsId": ml.application_insights_id,
                "containerRegistryId": ml.container_registry_id,
                "computeIds": ml.compute_ids,
                "datastoreIds": ml.datastore_ids,
                "environmentVersionIds": ml.environment_version_ids,
                "mlConfig": ml_config(subscription_id, rg_name, ml.workspace_name),
            },
        )
