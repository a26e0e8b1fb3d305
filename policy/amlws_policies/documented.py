"""The restrictions the Azure ML docs state for a workspace's associated resources (mandatory everywhere)."""

from __future__ import annotations

from typing import Any, Mapping

from pulumi_policy import PolicyResource, ReportViolation, StackValidationArgs

from amlws_rules import cmk_vault_violations, datastore_violations, is_type, workspace_storage_violations
from amlws_rules.storage import DOC_URL

from amlws_rules.values import missing_tags, same

from .base import UNKNOWN, get, of_type, peek, per_resource, resource_policy, stack_policy, text, unset_by_program

REQUIRED_TAGS_SCHEMA = {
    "requiredTags": {
        "type": "array",
        "items": {"type": "string"},
        "default": ["project", "environment", "owner"],
        "description": "Tag keys every taggable resource (and a registry a workspace uses) must carry.",
    }
}


def _workspaces(args: StackValidationArgs) -> list[PolicyResource]:
    return of_type(args.resources, "machinelearningservices", "Workspace")


NAME_KEYS = ("id", "name", "accountName", "vaultName", "registryName")


def _in_stack(
    holder: PolicyResource, prop: str, path: str, resources: list[PolicyResource], module: str, kind: str
) -> list[PolicyResource]:
    """Resources of (module, kind) that `holder`'s property `prop` (value at `path`) refers to: by
    property dependency (known even while IDs are unknown in a preview), else by a known ID or
    name. Unknown values never match and never abort the policy."""
    found = [r for r in holder.property_dependencies.get(prop, []) if is_type(r.resource_type, module, kind)]
    wanted = text(holder.props, path)
    if found or wanted is None:
        return found
    return [r for r in of_type(resources, module, kind) if wanted in {text(r.props, key) for key in NAME_KEYS}]


def _no_unknown(value: Any) -> Any:
    """None for a value not known yet: the documented rules refuse only what they can see."""
    return None if value is UNKNOWN else value


def _check_workspace_storage(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    def check(workspace: PolicyResource) -> None:
        for account in _in_stack(
            workspace, "storageAccount", "storageAccount", args.resources, "storage", "StorageAccount"
        ):
            findings = workspace_storage_violations(
                kind=_no_unknown(peek(account.props, "kind")),
                sku_name=_no_unknown(peek(account.props, "sku.name")),
                is_hns_enabled=_no_unknown(peek(account.props, "isHnsEnabled")),
            )
            for finding in findings:
                report(
                    f"workspace {workspace.name} uses storage account {account.name}: {finding.message}", workspace.urn
                )

    per_resource(_workspaces(args), check)


def _check_registry_tags(args: StackValidationArgs, config: dict[str, Any], report: ReportViolation) -> None:
    required = list(config["requiredTags"])

    def check(workspace: PolicyResource) -> None:
        for registry in _in_stack(
            workspace, "containerRegistry", "containerRegistry", args.resources, "containerregistry", "Registry"
        ):
            missing = missing_tags(registry.props.get("tags"), required)
            if missing:
                report(
                    f"registry {registry.name} used by workspace {workspace.name} lacks tags {', '.join(missing)}: "
                    "if your subscription requires tags, a registry without them fails",
                    registry.urn,
                )

    per_resource(_workspaces(args), check)


def _check_app_insights(props: Any, _config: Mapping[str, Any]):
    if not peek(props, "workspaceResourceId"):  # an unknown ID is a reference that will be set
        yield "Application Insights has no workspaceResourceId: classic Application Insights was retired on 2024-02-29"
    mode = props.get("ingestionMode")
    if mode is not None and not same(mode, "LogAnalytics"):
        yield f"ingestionMode is {mode}; a workspace-based component ingests to LogAnalytics"


def _check_cmk_vault(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    def check(workspace: PolicyResource) -> None:
        if unset_by_program(workspace.props, "encryption"):
            return  # no encryption settings: Microsoft-managed keys, no vault to check
        if not same(get(workspace.props, "encryption.status"), "Enabled"):
            return
        path = "encryption.keyVaultProperties.keyVaultArmId"
        for vault in _in_stack(workspace, "encryption", path, args.resources, "keyvault", "Vault"):
            for problem in cmk_vault_violations(
                enable_purge_protection=get(vault.props, "properties.enablePurgeProtection"),
                enable_soft_delete=get(vault.props, "properties.enableSoftDelete"),
            ):
                report(
                    f"workspace {workspace.name} encrypts with a key in vault {vault.name}: {problem}", workspace.urn
                )

    per_resource(_workspaces(args), check)


def _check_datastores(args: StackValidationArgs, _config: dict[str, Any], report: ReportViolation) -> None:
    def check(datastore: PolicyResource) -> None:
        kind_of = next(
            (
                t
                for t in ("AzureBlob", "AzureDataLakeGen2")
                if same(get(datastore.props, "properties.datastoreType"), t)
            ),
            None,
        )
        if kind_of is None:
            return  # file shares, OneLake and ADLS Gen1 are out of scope here
        accounts = _in_stack(
            datastore, "properties", "properties.accountName", args.resources, "storage", "StorageAccount"
        )
        account = accounts[0].props if accounts else {}
        for problem in datastore_violations(
            kind_of,
            kind=_no_unknown(peek(account, "kind")),
            is_hns_enabled=_no_unknown(peek(account, "isHnsEnabled")) if accounts else None,
            credentials_type=get(datastore.props, "properties.credentials.credentialsType"),
        ):
            report(f"datastore {datastore.name}: {problem}", datastore.urn)

    per_resource(of_type(args.resources, "machinelearningservices", "Datastore"), check)


WORKSPACE_STORAGE = stack_policy(
    "workspace-storage-documented-restrictions",
    "The workspace's storage account may not be of kind BlobStorage, premium (Premium_LRS, Premium_GRS, ...) "
    "or have a hierarchical namespace; such storage may be added "
    f"as a datastore instead. Anchor: Azure ML docs, {DOC_URL}",
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
    "Anchors: Azure Policy d550e854, PSRule Azure.AppInsights.Workspace.",
    [("applicationinsights", "Component")],
    _check_app_insights,
)

CMK_VAULT = stack_policy(
    "workspace-cmk-key-vault-purge-protection",
    "The key vault holding a workspace's customer-managed key has purge protection and soft delete: "
    '"CMK workspaces should have purge protection enabled on their CMK '
    'keyvault". Anchor: Azure ML docs (concept-customer-managed-keys).',
    _check_cmk_vault,
)

DATASTORES = stack_policy(
    "datastore-documented-rules",
    "Premium and hierarchical-namespace storage is added as a "
    "datastore: an AzureDataLakeGen2 datastore needs an HNS account, "
    "and access is identity-based (credentialsType None), so no key or SAS is stored in the workspace. "
    "Anchor: Azure ML docs (concept-workspace, how-to-datastore, identity-based data access).",
    _check_datastores,
)

DOCUMENTED_POLICIES = [WORKSPACE_STORAGE, REGISTRY_TAGS, APP_INSIGHTS_WORKSPACE_BASED, CMK_VAULT, DATASTORES]
