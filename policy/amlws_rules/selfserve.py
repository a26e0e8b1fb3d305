"""The self-serve zone's governance as data: Azure Policy definitions, built-in assignments and roles.

One definition of each, used by the SelfServeZone component (which creates them), by the policy pack
(which checks a zone carries them) and by the tests (which run the rules against ARM request bodies
with `azure_policy.evaluate`). Every action and built-in ID names where it was read.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Iterable, Sequence

WORKSPACE_TYPE = "Microsoft.MachineLearningServices/workspaces"
EFFECTS = ("Deny", "Audit")
IMAGE_BUILD_SETTINGS = ("Allowed", "Disabled")

# Rule kinds a zone assigns, by the `amlwsRule` metadata each assignment carries.
APPROVED_RESOURCES = "approved-resources"
REQUIRED_TAGS = "required-tags"
PUBLIC_NETWORK_ACCESS = "public-network-access"
ISOLATION_MODE = "managed-network-isolation-mode"
COMPUTE_LOCAL_AUTH = "compute-local-auth"

# Built-in definitions, read in Azure/azure-policy built-in-policies/policyDefinitions/Machine Learning/:
# Workspace_PublicNetworkAccessDisabled_Audit.json (438c38d2; parameter effect: Audit|Deny|Disabled),
# ManagedNetworkIsolationMode_Audit.json (6ddb1705; parameters isolationMode: AllowInternetOutbound|
# AllowOnlyApprovedOutbound|Disabled, effect: Audit|Deny|Disabled),
# MachineLearningServices_DisableLocalAuth_Audit.json (e96a9a5f; parameter effect: Audit|Deny|Disabled).
BUILTIN_PUBLIC_NETWORK_ACCESS_DISABLED = (
    "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"
)
BUILTIN_MANAGED_NETWORK_ISOLATION_MODE = (
    "/providers/Microsoft.Authorization/policyDefinitions/6ddb1705-c8cf-450e-aa4b-19ad6703c440"
)
BUILTIN_COMPUTE_LOCAL_AUTH_DISABLED = (
    "/providers/Microsoft.Authorization/policyDefinitions/e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f"
)

# Operations of Microsoft.MachineLearningServices, as listed in "Azure permissions for AI + machine
# learning" (MicrosoftDocs/azure-docs articles/role-based-access-control/permissions/ai-machine-learning.md):
OP_WORKSPACE_READ = (
    "Microsoft.MachineLearningServices/workspaces/read"  # "Gets the Machine Learning Services Workspace(s)"
)
# "Creates or updates a Machine Learning Services Workspace(s)"
OP_WORKSPACE_WRITE = "Microsoft.MachineLearningServices/workspaces/write"
OP_WORKSPACE_DELETE = "Microsoft.MachineLearningServices/workspaces/delete"
# "Gets the status of a particular workspace operation"
OP_WORKSPACE_OPERATION_STATUS = "Microsoft.MachineLearningServices/locations/workspaceOperationsStatus/read"
# "Builds environments in Machine Learning Services Workspace(s)"
OP_ENVIRONMENT_BUILD = "Microsoft.MachineLearningServices/workspaces/environments/build/action"
OP_ENVIRONMENT_WRITE = (
    "Microsoft.MachineLearningServices/workspaces/environments/write"  # "Creates or updates environments ..."
)
# "Creates or updates environment versions ..."
OP_ENVIRONMENT_VERSION_WRITE = "Microsoft.MachineLearningServices/workspaces/environments/versions/write"
OP_ENVIRONMENT_READ = "Microsoft.MachineLearningServices/workspaces/environments/read"
OP_JOBS_WRITE = "Microsoft.MachineLearningServices/workspaces/jobs/write"
OP_COMPUTE_WRITE = "Microsoft.MachineLearningServices/workspaces/computes/write"
OP_ROLE_ASSIGNMENT_WRITE = "Microsoft.Authorization/roleAssignments/write"

# The actions that build environment images. `environments/build/action` is the build itself (the docs'
# "Submitting any type of run" row in how-to-assign-roles lists it, MicrosoftDocs/azure-ai-docs
# articles/machine-learning/how-to-assign-roles.md); `environments/write` and `environments/versions/write`
# register the Dockerfile or conda definitions Azure ML builds images from (also the anonymous
# environment a job with an inline image spec registers). Without them data scientists use curated
# environments and the ones the platform registers.
IMAGE_BUILD_ACTIONS = (OP_ENVIRONMENT_BUILD, OP_ENVIRONMENT_WRITE, OP_ENVIRONMENT_VERSION_WRITE)

# AzureML Data Scientist (f6c7c914-8db3-469d-8ca1-694a8f32e121), read in "Azure built-in roles for AI +
# machine learning" (MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles/ai-machine-learning.md).
AZUREML_DATA_SCIENTIST_ACTIONS = (
    "Microsoft.MachineLearningServices/workspaces/*/read",
    "Microsoft.MachineLearningServices/workspaces/*/action",
    "Microsoft.MachineLearningServices/workspaces/*/delete",
    "Microsoft.MachineLearningServices/workspaces/*/write",
)
AZUREML_DATA_SCIENTIST_NOT_ACTIONS = (
    "Microsoft.MachineLearningServices/workspaces/delete",
    "Microsoft.MachineLearningServices/workspaces/write",
    "Microsoft.MachineLearningServices/workspaces/computes/*/write",
    "Microsoft.MachineLearningServices/workspaces/computes/*/delete",
    "Microsoft.MachineLearningServices/workspaces/computes/listKeys/action",
    "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    "Microsoft.MachineLearningServices/workspaces/hubs/write",
    "Microsoft.MachineLearningServices/workspaces/hubs/delete",
    "Microsoft.MachineLearningServices/workspaces/featurestores/write",
    "Microsoft.MachineLearningServices/workspaces/featurestores/delete",
)
NO_IMAGE_BUILDS_NOT_ACTIONS = (*AZUREML_DATA_SCIENTIST_NOT_ACTIONS, *IMAGE_BUILD_ACTIONS)

# Create workspaces in the zone's resource group and nothing more. From the operations list above:
# workspaces/read and /write, and the status of the asynchronous create. `resourceGroups/read` ("Gets or
# lists resource groups") lets the portal, CLI and SDK find the group; `deployments/*` ("Create and
# manage a deployment") is how the portal and `az ml workspace create` submit the workspace (an ARM
# deployment, which checks the caller's rights on every resource it declares, so it adds none). Both
# appear with those descriptions in the built-in roles of the AI + machine learning page (Cognitive
# Services Contributor, Azure AI Developer). No delete, no computes, no role assignments.
WORKSPACE_CREATOR_ACTIONS = (
    OP_WORKSPACE_READ,
    OP_WORKSPACE_WRITE,
    OP_WORKSPACE_OPERATION_STATUS,
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Resources/deployments/*",
)

# Built-in roles whose actions include the image build: AzureML Data Scientist (above), Contributor
# (b24988ac; how-to-assign-roles: contributors "submit a run", which builds) and Owner (8e3af657, `*`;
# MicrosoftDocs/azure-docs role-based-access-control tutorial output of `az role definition list --name Owner`).
BUILTIN_ROLES_THAT_BUILD = {
    "f6c7c914-8db3-469d-8ca1-694a8f32e121": "AzureML Data Scientist",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
}


def _pattern(action: str) -> re.Pattern[str]:
    """RBAC action strings are case-insensitive and `*` matches any run of characters
    (learn.microsoft.com, role-based-access-control/role-definitions, "Actions")."""
    return re.compile("^" + ".*".join(re.escape(part) for part in action.split("*")) + "$", re.IGNORECASE)


def role_grants(actions: Iterable[str], not_actions: Iterable[str], operation: str) -> bool:
    """Does a role with these `actions`/`notActions` allow `operation`?"""
    return any(_pattern(a).match(operation) for a in actions) and not any(
        _pattern(n).match(operation) for n in not_actions
    )


def effect_parameter() -> dict[str, Any]:
    return {
        "type": "String",
        "allowedValues": ["Audit", "Deny", "Disabled"],
        "defaultValue": "Audit",
        "metadata": {
            "displayName": "Effect",
            "description": "Deny where the environment is locked down, Audit in dev.",
        },
    }


def _id_list(name: str, what: str) -> dict[str, Any]:
    return {"type": "Array", "metadata": {"displayName": name, "description": f"Resource IDs of the approved {what}."}}


def approved_resources_definition(image_builds: str) -> dict[str, Any]:
    """Workspaces may use only the approved storage account, key vault, Application Insights and registry.

    With image builds allowed a workspace must name the approved registry (so Azure ML never creates
    its own, untagged one on the first build); without, it may have none, or the approved one.
    """
    registry = "Microsoft.MachineLearningServices/workspaces/containerRegistry"
    not_approved_registry = {"field": registry, "notIn": "[parameters('approvedContainerRegistryIds')]"}
    registry_condition = (
        not_approved_registry
        if image_builds == "Allowed"
        else {"allOf": [{"field": registry, "exists": "true"}, not_approved_registry]}
    )
    return {
        "displayName": "Azure ML workspaces use only the approved associated resources",
        "description": (
            "Workspaces in the self-serve zone may use only the approved storage account, key vault, Application "
            "Insights and container registry, given by resource ID. The approved resources comply with the documented "
            "workspace-storage rules (not BlobStorage, not premium, "
            "no hierarchical namespace; Azure ML concept-workspace), "
            "so those rules hold for every workspace here, whoever creates it."
            + (" Image builds are allowed, so the approved registry is required." if image_builds == "Allowed" else "")
        ),
        "mode": "Indexed",
        "parameters": {
            "approvedStorageAccountIds": _id_list("Approved storage accounts", "storage accounts"),
            "approvedKeyVaultIds": _id_list("Approved key vaults", "key vaults"),
            "approvedApplicationInsightsIds": _id_list(
                "Approved Application Insights", "Application Insights components"
            ),
            "approvedContainerRegistryIds": _id_list("Approved container registries", "container registries"),
            "effect": effect_parameter(),
        },
        "policyRule": {
            "if": {
                "allOf": [
                    {"field": "type", "equals": WORKSPACE_TYPE},
                    {
                        "anyOf": [
                            {
                                "field": "Microsoft.MachineLearningServices/workspaces/storageAccount",
                                "notIn": "[parameters('approvedStorageAccountIds')]",
                            },
                            {
                                "field": "Microsoft.MachineLearningServices/workspaces/keyVault",
                                "notIn": "[parameters('approvedKeyVaultIds')]",
                            },
                            {
                                "field": "Microsoft.MachineLearningServices/workspaces/applicationInsights",
                                "notIn": "[parameters('approvedApplicationInsightsIds')]",
                            },
                            registry_condition,
                        ]
                    },
                ]
            },
            "then": {"effect": "[parameters('effect')]"},
        },
    }


def required_tags_definition(tags: Sequence[str]) -> dict[str, Any]:
    """Workspaces carry every required tag (the tag names are fixed in the rule: the stack owns it)."""
    return {
        "displayName": "Azure ML workspaces carry the required tags",
        "description": f"Workspaces in the self-serve zone must carry the tags {', '.join(tags)} (cost allocation).",
        "mode": "Indexed",
        "parameters": {"effect": effect_parameter()},
        "policyRule": {
            "if": {
                "allOf": [
                    {"field": "type", "equals": WORKSPACE_TYPE},
                    {"anyOf": [{"field": f"tags['{tag}']", "exists": "false"} for tag in tags]},
                ]
            },
            "then": {"effect": "[parameters('effect')]"},
        },
    }


def builtin_assignments(
    effect: str, public_network_access: str | None, isolation_mode: str | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """(rule kind, built-in definition ID, parameters) a zone assigns for its environment."""
    found = [(COMPUTE_LOCAL_AUTH, BUILTIN_COMPUTE_LOCAL_AUTH_DISABLED, {"effect": effect})]
    if public_network_access == "Disabled":
        found.append((PUBLIC_NETWORK_ACCESS, BUILTIN_PUBLIC_NETWORK_ACCESS_DISABLED, {"effect": effect}))
    if isolation_mode is not None:
        found.append(
            (
                ISOLATION_MODE,
                BUILTIN_MANAGED_NETWORK_ISOLATION_MODE,
                {"isolationMode": isolation_mode, "effect": effect},
            )
        )
    return found


def required_rule_kinds(public_network_access: str | None = None, isolation_mode: str | None = None) -> set[str]:
    """The rule kinds every zone must assign (and more for a locked-down environment)."""
    kinds = {APPROVED_RESOURCES, REQUIRED_TAGS, COMPUTE_LOCAL_AUTH}
    if public_network_access == "Disabled":
        kinds.add(PUBLIC_NETWORK_ACCESS)
    if isolation_mode is not None:
        kinds.add(ISOLATION_MODE)
    return kinds


def policy_definition_name(resource_group_name: str, kind: str) -> str:
    """A stable GUID name for a zone's custom definition (unique in the subscription, which is its scope)."""
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"amlws/selfserve/{resource_group_name.lower()}/policydefinitions/{kind}")
    )
