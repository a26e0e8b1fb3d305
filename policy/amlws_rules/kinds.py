"""Workspace kinds (Default, Hub, Project, FeatureStore) and what each kind may declare.

The REST API spec leaves `kind` an open string (azure-rest-api-specs, specification/machinelearningservices/
resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/workspaceRP.json, `Workspace.kind`:
`{"type": "string"}`, no enum); the values are the ones Azure documents and the Azure Verified Module
(avm/res/machine-learning-services/workspace, parameter `kind`) allows.

A Project is a child of a Hub: "A Hub is a special type of workspace that acts as a parent and resource
container for lightweight child workspaces called projects. Resources like the hub's storage account, key
vault, and container registry are shared by all child projects." (learn.microsoft.com/python/api/azure-ai-ml/
azure.ai.ml.entities.hub). The project names its hub in `hubResourceId` (workspaceRP.json,
`WorkspaceProperties.hubResourceId`); the AVM module requires `hubResourceId` when `kind` is `Project` and
sends no storage account, key vault, Application Insights or registry for it.
"""

from __future__ import annotations

from typing import Any, Mapping

from .values import one_of, same

WORKSPACE_KINDS = ("Default", "Hub", "Project", "FeatureStore")
# The workspace properties (azure-native inputs, camelCase) that name an associated resource of the
# workspace's own. A project takes all of them from its hub.
ASSOCIATED_RESOURCES = ("storageAccount", "keyVault", "applicationInsights", "containerRegistry")
ISOLATED_MODES = ("AllowInternetOutbound", "AllowOnlyApprovedOutbound")
HUB_DOC = "https://learn.microsoft.com/python/api/azure-ai-ml/azure.ai.ml.entities.hub"


def is_kind(value: Any, kind: str) -> bool:
    """`value` is workspace kind `kind` (ARM compares the kind without regard to case)."""
    return same(value, kind)


def inherits_hub_network(props: Mapping[str, Any]) -> bool:
    """A Project has no network settings of its own: it is reached and isolated as its hub is ("projects use the
    hub's managed network", learn.microsoft.com azure/ai-foundry how-to/configure-managed-network; AVM's ai-project
    test sends no publicNetworkAccess or managedNetwork). The network policies judge the hub instead."""
    return is_kind(props.get("kind"), "Project")


def project_violations(kind: Any, hub_resource_id: Any, own: Mapping[str, Any]) -> list[str]:
    """What is wrong with a Project workspace's inputs: no hub, or associated resources of its own.

    `hub_resource_id` and the values in `own` (property name -> value) may be any truthy placeholder for
    a value not known yet (a new hub's ID in a first preview): a reference that will be set counts as set.
    """
    if not is_kind(kind, "Project"):
        return []
    problems = []
    if not hub_resource_id:
        problems.append("a Project workspace must name its hub in hubResourceId")
    for prop in ASSOCIATED_RESOURCES:
        if own.get(prop):
            problems.append(f"a Project workspace uses its hub's {prop}; it declares none of its own ({prop} is set)")
    return problems


def project_hub_violation(hub_name: str, hub_kind: Any) -> str | None:
    """A project's `hubResourceId` must name a workspace of kind Hub (a Default workspace has no projects)."""
    if is_kind(hub_kind, "Hub"):
        return None
    return f"hubResourceId names workspace {hub_name}, of kind {hub_kind or 'Default'}, not a Hub"


def hub_network_violation(kind: Any, isolation_mode: Any) -> str | None:
    """A Hub's managed network must be isolated: its projects' compute and endpoints run in it.

    `isolation_mode` None means the program left `managedNetwork` to Azure's default, `Disabled`.
    """
    if not is_kind(kind, "Hub") or one_of(isolation_mode, ISOLATED_MODES):
        return None
    return (
        f"the Hub's managedNetwork.isolationMode is {isolation_mode or 'not set (Azure default: Disabled)'!s}; "
        f"use {' or '.join(ISOLATED_MODES)}"
    )
