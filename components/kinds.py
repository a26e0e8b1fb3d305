"""Workspace kinds: Default, Hub, its Projects, and FeatureStore. What each kind takes, checked while planning.

Facts (REST API 2025-12-01, the version azure-native 3.29's `machinelearningservices.Workspace` uses; spec file
specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01/
workspaceRP.json in Azure/azure-rest-api-specs; `amlws/spec_facts.json`; docs/spec-facts.md):
- `Workspace.kind` is an open string; the documented kinds are `amlws_rules.kinds.WORKSPACE_KINDS`.
- `WorkspaceProperties.hubResourceId` (string): a Project's hub.
- `FeatureStoreSettings`: `computeRuntime.sparkRuntimeVersion`, `offlineStoreConnectionName`,
  `onlineStoreConnectionName` (strings).
- `WorkspaceHubConfig`: `additionalWorkspaceStorageAccounts` (array of strings), `defaultWorkspaceResourceGroup`.

The rules per kind follow the Azure Verified Module (Azure/bicep-registry-modules,
avm/res/machine-learning-services/workspace/main.bicep): `hubResourceId` "Required if 'kind' is set to 'Project'";
`featureStoreSettings` "Required if 'kind' is set to 'FeatureStore'"; the associated storage account "Required if
'kind' is 'Default', 'FeatureStore' or 'Hub'" (so never a Project's); its e2e test ai-project sends a Project with
only `kind` and `hubResourceId`. The Terraform AVM module sends a Project no storage, key vault, Application
Insights, registry, managed network or encryption (Azure/terraform-azurerm-avm-res-machinelearningservices-workspace,
main.tf `azapi_resource.project`). Microsoft's docs say why: "Shared configurations managed on the hub include:
Security including public network access, virtual networking, customer-managed key encryption, and identity
controls. Security settings configured on the hub automatically pass down to each project. A managed virtual network
is shared between all projects that share the same hub." and "Dependent Azure resources are set up once per hub"
(MicrosoftDocs/azure-ai-docs, articles/ai-foundry/concepts/ai-resources.md, "Share configurations across projects
using hub"); the SDK's `Project` takes only a name, `hub_id`, description, tags, display name, location ("Must match
that of the parent hub") and resource group (learn.microsoft.com/python/api/azure-ai-ml/azure.ai.ml.entities.project).
"""

import re
from typing import Any, Mapping, NamedTuple, NotRequired, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules.arm import RESOURCE_GROUP_TYPE
from amlws_rules.connections import CONNECTION_NAME_PATTERN
from amlws_rules.kinds import WORKSPACE_KINDS, hub_network_violation, is_kind, project_violations

from ._common import ComponentInputError, check_arm_id

from ._common import WORKSPACE_COMPONENT as COMPONENT

HUB_DOC = "https://learn.microsoft.com/azure/ai-foundry/concepts/ai-resources"
FEATURE_STORE_DOC = "https://learn.microsoft.com/azure/machine-learning/concept-what-is-managed-feature-store"
# azure-ai-ml 1.35.2, azure/ai/ml/entities/_feature_store/_constants.py: the SDK's FeatureStore sends this
# computeRuntime.sparkRuntimeVersion when none is given (quoted in the error that asks for one).
SDK_SPARK_RUNTIME_VERSION = "3.4.0"
_SPARK_VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")

# The settings a Project does not take, with the workspace property each would set (the pack's
# `amlws_rules.kinds.ASSOCIATED_RESOURCES` names the four associated resources the same way).
PROJECT_ASSOCIATED = {
    "storage": "storageAccount",
    "key_vault": "keyVault",
    "monitoring": "applicationInsights",
    "container_registry": "containerRegistry",
}
PROJECT_FROM_HUB = {
    "customer_managed_key": "the hub's customer-managed key encrypts its projects",
    "managed_network_isolation_mode": "a project runs in its hub's managed network",
    "managed_network_outbound_rules": "a project runs in its hub's managed network: add the rule to the hub",
    "managed_network_firewall_sku": "a project runs in its hub's managed network: set the firewall SKU on the hub",
    "provision_network_now": "a project runs in its hub's managed network: provision it on the hub",
    "system_datastores_auth_mode": "a project's system datastores are its hub's storage: set the mode on the hub",
    "public_network_access": "a project is reached as its hub is: set public_network_access on the hub",
    "private_endpoints": "a project is reached through its hub's private endpoints",
    "workspace_identity": (
        "a project reaches the hub's storage and key vault through the hub: give the hub the workspace identity"
    ),
    "environments": "a project builds images into its hub's registry: register environments on the hub",
    "image_build_compute": "a project builds images into its hub's registry: set image_build_compute on the hub",
}


class FeatureStoreSettings(TypedDict):
    """`featureStoreSettings` of a FeatureStore workspace (REST 2025-12-01 `FeatureStoreSettings`)."""

    spark_runtime_version: str
    (
        "`computeRuntime.sparkRuntimeVersion`: the Spark runtime materialization jobs run on, e.g. `3.4` (the "
        "azure-ai-ml SDK's default is 3.4.0)."
    )
    offline_store_connection_name: NotRequired[str]
    """`offlineStoreConnectionName`: the feature store's ADLS Gen2 connection that holds materialized features."""
    online_store_connection_name: NotRequired[str]
    """`onlineStoreConnectionName`: the feature store's Redis connection for online lookups."""


class WorkspaceHubConfigSettings(TypedDict):
    """`workspaceHubConfig` of a Hub workspace (REST 2025-12-01 `WorkspaceHubConfig`; AVM `workspaceHubConfig`)."""

    additional_workspace_storage_accounts: NotRequired[list[str]]
    """`additionalWorkspaceStorageAccounts`: resource IDs of further storage accounts the hub's projects may use."""
    default_workspace_resource_group: NotRequired[str]
    """`defaultWorkspaceResourceGroup`: resource ID of the resource group where projects made in the portal go."""


class KindPlan(NamedTuple):
    kind: str
    """One of WORKSPACE_KINDS, spelt as Azure documents it."""
    given: bool
    """`kind` was set: it is sent (a Default workspace left unset sends no `kind`, as every earlier version)."""
    hub_resource_id: pulumi.Input[str] | None
    diagnostics_workspace_id: pulumi.Input[str] | None
    """A Project's Log Analytics workspace for its resource logs (its hub's); other kinds send to their own."""
    feature_store: FeatureStoreSettings | None
    hub_config: WorkspaceHubConfigSettings | None

    @property
    def is_project(self) -> bool:
        return self.kind == "Project"

    @property
    def sent_kind(self) -> str | None:
        return self.kind if self.given else None

    def feature_store_settings(self) -> ml.FeatureStoreSettingsArgs | None:
        fs = self.feature_store
        if fs is None:
            return None
        return ml.FeatureStoreSettingsArgs(
            compute_runtime=ml.ComputeRuntimeDtoArgs(spark_runtime_version=fs["spark_runtime_version"]),
            offline_store_connection_name=fs.get("offline_store_connection_name"),
            online_store_connection_name=fs.get("online_store_connection_name"),
        )

    def workspace_hub_config(self) -> ml.WorkspaceHubConfigArgs | None:
        hub = self.hub_config
        if hub is None:
            return None
        accounts = hub.get("additional_workspace_storage_accounts")
        return ml.WorkspaceHubConfigArgs(
            additional_workspace_storage_accounts=list(accounts) if accounts is not None else None,
            default_workspace_resource_group=hub.get("default_workspace_resource_group"),
        )


def workspace_kind(args: Mapping[str, Any]) -> str:
    """The kind of checked args (ARM compares the kind without regard to case; the plan keeps Azure's spelling)."""
    given = args.get("kind") or "Default"
    return next(k for k in WORKSPACE_KINDS if is_kind(given, k))


def check_kind(args: Mapping[str, Any]) -> None:
    """Refuse what the workspace's kind does not take, before anything else is checked (a Project's own
    storage would otherwise be checked as if it were created)."""
    given = args.get("kind")
    if given is not None and not any(is_kind(given, k) for k in WORKSPACE_KINDS):
        raise ComponentInputError(COMPONENT, "kind", given, f"Azure documents the kinds {', '.join(WORKSPACE_KINDS)}")
    kind = workspace_kind(args)
    hub_id = args.get("hub_resource_id")
    if kind == "Project":
        _check_project(args, hub_id)
    else:
        for setting in ("hub_resource_id", "diagnostics_workspace_id"):
            if setting in args:
                raise ComponentInputError(
                    COMPONENT, setting, args[setting], f"only a Project takes it (kind is {kind}): set kind Project"
                )
    if "workspace_hub_config" in args and kind != "Hub":
        raise ComponentInputError(
            COMPONENT, "workspace_hub_config", args["workspace_hub_config"], f"only a Hub takes it (kind is {kind})"
        )
    if kind == "Hub":
        _check_hub_config(args.get("workspace_hub_config"))
    if "feature_store" in args and kind != "FeatureStore":
        raise ComponentInputError(
            COMPONENT, "feature_store", args["feature_store"], f"only a FeatureStore takes it (kind is {kind})"
        )
    if kind == "FeatureStore":
        _check_feature_store(args.get("feature_store"))


def _check_project(args: Mapping[str, Any], hub_id: Any) -> None:
    missing_hub = project_violations("Project", hub_id, {})
    if missing_hub:
        raise ComponentInputError(
            COMPONENT, "hub_resource_id", hub_id, f"{missing_hub[0]} (the resource ID of a Hub workspace; {HUB_DOC})"
        )
    check_arm_id(COMPONENT, "hub_resource_id", hub_id, "Microsoft.MachineLearningServices/workspaces")
    for setting, prop in PROJECT_ASSOCIATED.items():
        if setting in args:
            problem = project_violations("Project", hub_id, {prop: True})[0]
            raise ComponentInputError(COMPONENT, setting, args[setting], f"{problem}: remove {setting}")
    for setting, why in PROJECT_FROM_HUB.items():
        if setting in args:
            raise ComponentInputError(COMPONENT, setting, args[setting], f"not for a Project: {why} ({HUB_DOC})")
    law = args.get("diagnostics_workspace_id")
    check_arm_id(COMPONENT, "diagnostics_workspace_id", law, "Microsoft.OperationalInsights/workspaces")
    if args.get("diagnostics") is True and law is None:
        raise ComponentInputError(
            COMPONENT,
            "diagnostics",
            True,
            "a Project has no Log Analytics workspace of its own: set diagnostics_workspace_id (its hub's)",
        )


def _check_hub_config(config: Any) -> None:
    if config is None:
        return
    for i, account in enumerate(config.get("additional_workspace_storage_accounts") or []):
        setting = f"workspace_hub_config.additional_workspace_storage_accounts[{i}]"
        check_arm_id(COMPONENT, setting, account, "Microsoft.Storage/storageAccounts")
    # A resource group's resource ID: AVM's ai-hub test passes `resourceGroup.id`.
    group = config.get("default_workspace_resource_group")
    check_arm_id(COMPONENT, "workspace_hub_config.default_workspace_resource_group", group, RESOURCE_GROUP_TYPE)


def _check_feature_store(settings: Any) -> None:
    if settings is None:
        raise ComponentInputError(
            COMPONENT,
            "feature_store",
            None,
            "a FeatureStore needs featureStoreSettings (AVM: 'Required if kind is set to FeatureStore'): set "
            f"feature_store.spark_runtime_version ({FEATURE_STORE_DOC})",
        )
    version = settings.get("spark_runtime_version")
    if not isinstance(version, str) or not _SPARK_VERSION.match(version):
        raise ComponentInputError(
            COMPONENT,
            "feature_store.spark_runtime_version",
            version,
            f"the Spark runtime version materialization jobs run on, as major.minor, e.g. 3.4 (the azure-ai-ml "
            f"SDK sends {SDK_SPARK_RUNTIME_VERSION} when none is given)",
        )
    for key in ("offline_store_connection_name", "online_store_connection_name"):
        name = settings.get(key)
        if name is not None and not (isinstance(name, str) and re.match(CONNECTION_NAME_PATTERN, name)):
            raise ComponentInputError(
                COMPONENT,
                f"feature_store.{key}",
                name,
                f"a workspace connection name, {CONNECTION_NAME_PATTERN} (workspaceRP.json, ConnectionName)",
            )


def plan_kind(args: Mapping[str, Any]) -> KindPlan:
    """The kind of checked args (`check_kind`)."""
    return KindPlan(
        kind=workspace_kind(args),
        given="kind" in args,
        hub_resource_id=args.get("hub_resource_id"),
        diagnostics_workspace_id=args.get("diagnostics_workspace_id"),
        feature_store=args.get("feature_store"),
        hub_config=args.get("workspace_hub_config"),
    )


def warn_open_hub(plan: KindPlan, isolation_mode: str | None, name: str, resource: pulumi.Resource) -> None:
    """A Hub whose managed network is not isolated: its projects' computes and endpoints run in it (the pack's
    hub-managed-network-isolated, mandatory in prod, enforces the same rule)."""
    problem = hub_network_violation(plan.kind, isolation_mode)
    if problem:
        pulumi.log.warn(f"{COMPONENT} {name}: {problem}", resource=resource)
