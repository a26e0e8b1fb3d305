"""The restrictions the Azure ML docs state for a workspace's associated resources (mandatory everywhere)."""

from __future__ import annotations

from typing import Any, Mapping

from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs

from amlws_rules import cmk_vault_violations, datastore_violations, is_type, parse_arm_id, workspace_storage_violations
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


def _check_app_insights(props: Any, _config: Mapping[str, Any]):
    if not props.get("workspaceResourceId"):
        yield "Application Insights has no workspaceResourceId: classic Application Insights was retired on 2024-02-29"
    if props.get("ingestionMode") not in (None, "LogAnalytics"):
        yield f"ingestionMode is {props.get('ingestionMode')}; a workspace-based component ingests to LogAnalytics"


def _in_stack(prop_value: Any, deps: list[PolicyResource], resources: list[PolicyResource], module: str, kind: str) -> list[PolicyResource]:
    """Resources of (module, kind) a property refers to: by property dependency, else by ID or name."""
    found = [r for r in deps if is_type(r.resource_type, module, kind)]
    if found or not isinstance(prop_value, str):
        return found
    wanted = prop_value.lower()
    return [
        r for r in resources
        if is_type(r.resource_type, module, kind)
        and wanted in (str(r.props.get("id", "")).lower(), str(r.props.get("name", "")).lower(), str(r.props.get("accountName", "")).lower(), str(r.props.get("vaultName", "")).lower())
    ]


def _check_cmk_vault(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    for workspace in _workspaces(args):
        if str(get(workspace.props, "encryption.status") or "").lower() != "enabled":
            continue
        vault_id = get(workspace.props, "encryption.keyVaultProperties.keyVaultArmId")
        deps = workspace.property_dependencies.get("encryption", [])
        for vault in _in_stack(vault_id, deps, args.resources, "keyvault", "Vault"):
            for problem in cmk_vault_violations(
                enable_purge_protection=get(vault.props, "properties.enablePurgeProtection"),
                enable_soft_delete=get(vault.props, "properties.enableSoftDelete"),
            ):
                report(f"workspace {workspace.name} encrypts with a key in vault {vault.name}: {problem}", workspace.urn)


def _check_datastores(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    for datastore in args.resources:
        if not is_type(datastore.resource_type, "machinelearningservices", "Datastore"):
            continue
        props = datastore.props.get("properties") or {}
        kind_of = str(props.get("datastoreType") or "")
        if kind_of not in ("AzureBlob", "AzureDataLakeGen2"):
            continue  # file shares, OneLake and ADLS Gen1 are out of scope here
        accounts = _in_stack(props.get("accountName"), datastore.property_dependencies.get("properties", []), args.resources, "storage", "StorageAccount")
        account = accounts[0].props if accounts else {}
        for problem in datastore_violations(
            kind_of, kind=account.get("kind"), is_hns_enabled=account.get("isHnsEnabled") if accounts else None,
            credentials_type=get(props, "credentials.credentialsType"),
        ):
            report(f"datastore {datastore.name}: {problem}", datastore.urn)


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

CMK_VAULT = stack_policy(
    "workspace-cmk-key-vault-purge-protection",
    "The key vault holding a workspace's customer-managed key has purge protection and soft delete: "
    "\"CMK workspaces should have purge protection enabled on their CMK keyvault\". Anchor: Azure ML docs (concept-customer-managed-keys).",
    _check_cmk_vault,
)

DATASTORES = stack_policy(
    "datastore-documented-rules",
    "Premium and hierarchical-namespace storage is added as a datastore: an AzureDataLakeGen2 datastore needs an HNS account, "
    "and access is identity-based (credentialsType None), so no key or SAS is stored in the workspace. "
    "Anchor: Azure ML docs (concept-workspace, how-to-datastore, identity-based data access).",
    _check_datastores,
)

DOCUMENTED_POLICIES = [WORKSPACE_STORAGE, REGISTRY_TAGS, APP_INSIGHTS_WORKSPACE_BASED, CMK_VAULT, DATASTORES]
