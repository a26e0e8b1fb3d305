"""The stack program: one resource group and one MachineLearningWorkspace per project.

Two phases. First everything is validated (typed config, then each workspace's component inputs,
including the lookup of existing storage accounts); only then is anything declared, so a typo in the
second workspace never leaves the first half-deployed.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import resources

from amlws.components import ComponentInputError, MachineLearningWorkspace, MachineLearningWorkspaceArgs
from amlws.components.workspace import validate_workspace_args

from .config import StackConfig, StackConfigError, WorkspaceConfig, read_stack_config


def cost_tags(stack: StackConfig, workspace: WorkspaceConfig) -> dict[str, str]:
    """Stack tags, then the cost-allocation tags every resource carries, then the workspace's own."""
    return {**stack.tags, "project": workspace.project, "environment": stack.environment, "managed-by": "pulumi", **workspace.tags}


def resource_group_name(stack: StackConfig, workspace: WorkspaceConfig) -> str:
    return workspace.resource_group_name or f"rg-{workspace.project}-{stack.environment}"


def workspace_args(stack: StackConfig, workspace: WorkspaceConfig, rg_name: pulumi.Input[str]) -> MachineLearningWorkspaceArgs:
    """Config (camelCase, typed) to component args (snake_case TypedDict)."""
    body = workspace.model_dump(
        exclude_none=True, exclude={"project", "resource_group_name", "tags", "container_registry"}
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
        args["container_registry"] = workspace.container_registry.model_dump(exclude_none=True)
    return args  # type: ignore[return-value]


def preflight(stack: StackConfig, stack_file: str) -> None:
    """Run every component check for every workspace before anything is declared."""
    problems: list[str] = []
    for i, workspace in enumerate(stack.workspaces):
        try:
            validate_workspace_args(workspace_args(stack, workspace, resource_group_name(stack, workspace)))
        except ComponentInputError as err:
            problems.append(f"amlws:workspaces[{i}] (project {workspace.project}): {err}")
    if problems:
        raise StackConfigError(stack_file, problems)


def main() -> None:
    stack = read_stack_config()
    preflight(stack, f"Pulumi.{pulumi.get_stack()}.yaml")
    for workspace in stack.workspaces:
        tags = cost_tags(stack, workspace)
        rg_name: pulumi.Input[str]
        if workspace.resource_group_name:
            rg_name = workspace.resource_group_name
        else:
            group = resources.ResourceGroup(
                f"{workspace.project}-rg",
                resource_group_name=resource_group_name(stack, workspace),
                location=stack.location,
                tags=tags,
                opts=pulumi.ResourceOptions(protect=stack.protect),
            )
            rg_name = group.name
        ml = MachineLearningWorkspace(workspace.project, workspace_args(stack, workspace, rg_name))
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
            },
        )
