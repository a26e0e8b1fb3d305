"""The restrictions the Azure ML docs state for a workspace's associated resources (mandatory everywhere)."""

from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs

from amlws_rules import is_type, workspace_storage_violations
from amlws_rules.storage import DOC_URL

from .base import get, resource_policy, stack_policy

REQUIRED_TAGS_SCHEMA = {
    "requiredTags": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["project", "environment", "owner"],
        "description": "Tag keys every taggable resource (and a registry a workspace uses) must carry.",
    }
}


def _workspaces(args: StackValidationArgs) -> list[PolicyResource]:
    return [r for r in args.resources if is_type(r.resource_type, "machinelearningservices", "Workspace")]


def _referenced(workspace: PolicyResource, prop: str, resources: list[PolicyResource], module: str, kind: str) -> list[PolicyResource]:
    """The resources of (module, kind) that the workspace's `prop` refers to: by property dependency
    (known even while IDs are unknown in a preview), else by ID."""
    found = [r for r in workspace.property_dependencies.get(prop, []) if is_type(r.resource_type, module, kind)]
    if found:
        return found
    wanted = workspace.props.get(prop)
    if not isinstance(wanted, str):
        return []
    return [
        r for r in resources
        if is_type(r.resource_type, module, kind) and isinstance(r.props.get("id"), str) and r.props["id"].lower() == wanted.lower()
    ]


def _check_workspace_storage(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    for workspace in _workspaces(args):
        for account in _referenced(workspace, "storageAccount", args.resources, "storage", "StorageAccount"):
            findings = workspace_storage_violations(
                kind=account.props.get("kind"),
                sku_name=get(account.props, "sku.name"),
                is_hns_enabled=account.props.get("isHnsEnabled"),
            )
            for finding in findings:
                report(f"workspace {workspace.name} uses storage account {account.name}: {finding.message}", workspace.urn)


def _check_registry_tags(args: StackValidationArgs, config: dict[str, Any], report: ReportViolation) -> None:
    required = list(config["requiredTags"])
    for workspace in _workspaces(args):
        for registry in _referenced(workspace, "containerRegistry", args.resources, "containerregistry", "Registry"):
            tags = registry.props.get("tags") or {}
            missing = [t for t in required if t not in tags]
            if missing:
                report(
                    f"registry {registry.name} used by workspace {workspace.name} lacks tags {', '.join(missing)}: "
                    "if your subscription requires tags, a registry without them fails",
                    registry.urn,
                )


def _check_app_insights(props: Any, _config: dict[str, Any]):
    if not props.get("workspaceResourceId"):
        yield "Application Insights has no workspaceResourceId: classic Application Insights was retired on 2024-02-29"
    if props.get("ingestionMode") not in (None, "LogAnalytics"):
        yield f"ingestionMode is {props.get('ingestionMode')}; a workspace-based component ingests to LogAnalytics"


WORKSPACE_STORAGE = stack_policy(
    "workspace-storage-documented-restrictions",
    "The workspace's storage account may not be of kind BlobStorage, premium (Premium_LRS, Premium_GRS, ...) "
    f"or have a hierarchical namespace; such storage may be added as a datastore instead. Anchor: Azure ML docs, {DOC_URL}",
    _check_workspace_storage,
)

REGISTRY_TAGS = stack_policy(
    "workspace-container-registry-tagged",
    "A container registry a workspace relies on carries the required tags: the registry Azure ML creates on "
    "its own has none and fails under tag-enforcing subscriptions. Anchor: Azure ML docs (concept-workspace).",
    _check_registry_tags,
    REQUIRED_TAGS_SCHEMA,
)

APP_INSIGHTS_WORKSPACE_BASED = resource_policy(
    "application-insights-workspace-based",
    "Application Insights is workspace-based (Log Analytics); classic resources are retired. "
    "Anchor: Azure Policy d550e854.",
    [("applicationinsights", "Component")],
    _check_app_insights,
)

DOCUMENTED_POLICIES = [WORKSPACE_STORAGE, REGISTRY_TAGS, APP_INSIGHTS_WORKSPACE_BASED]
