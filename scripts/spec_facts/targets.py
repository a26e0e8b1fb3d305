"""What scripts/extract_spec_facts.py extracts: the pinned SDK wheels, one `Target` per azure-native resource
type (token, API version, SDK module, PUT path, body model), and the facts the SDKs do not carry (name
patterns, autonaming, uniqueness scopes, what only a deployment shows), each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The wheels, pinned: each holds the module of the API version azure-native 3.29 uses (see Target).
WHEELS = {
    "azure-mgmt-storage": "22.1.0",
    "azure-mgmt-keyvault": "11.0.0",
    "azure-mgmt-loganalytics": "12.0.0",
    "azure-mgmt-applicationinsights": "4.0.0",
    "azure-mgmt-containerregistry": "10.1.0",
    "azure-mgmt-msi": "7.0.0",
    "azure-mgmt-authorization": "4.0.0",
    "azure-mgmt-monitor": "6.0.2",
    "azure-mgmt-consumption": "11.0.0",
    "azure-mgmt-resource": "23.3.0",
    "azure-mgmt-resource-locks": "1.0.0",
    # Azure Policy: no azure-mgmt-resource release holds 2025-01-01 (24.0.0 stops at 2023-04-01; the split-out
    # azure-mgmt-resource-policy 1.0.0 is 2026-06-01): the nearest earlier version is used.
    "azure-mgmt-resource-24": "24.0.0",
    "azure-mgmt-network": "28.1.0",
    "azure-mgmt-privatedns": "1.2.0",
    "azure-ai-ml": "1.35.2",  # vendors Microsoft's generated ARM client of Azure ML 2025-12-01
}


@dataclass(frozen=True)
class Target:
    token: str
    api_version: str
    """The API version azure-native 3.29 uses (its SDK docstring: "Uses Azure REST API version ...")."""
    package: str
    module: str
    """Directory of the SDK module inside the wheel (holds models/ and operations/)."""
    put_path: str
    """The tail of the PUT path; its last `{parameter}` is the resource name."""
    body: str
    """The model class of the PUT body."""
    sdk_api_version: str = ""
    """Set when no release of the SDK holds the exact API version: the one whose facts are used."""


_ML = "azure/ai/ml/_restclient/arm_ml_service"
TARGETS = [
    Target(
        "azure-native:storage:StorageAccount",
        "2024-01-01",
        "azure-mgmt-storage",
        "azure/mgmt/storage/v2024_01_01",
        "/providers/Microsoft.Storage/storageAccounts/{accountName}",
        "StorageAccountCreateParameters",
    ),
    Target(
        "azure-native:storage:BlobContainer",
        "2024-01-01",
        "azure-mgmt-storage",
        "azure/mgmt/storage/v2024_01_01",
        "/blobServices/default/containers/{containerName}",
        "BlobContainer",
    ),
    Target(
        "azure-native:storage:BlobServiceProperties",
        "2024-01-01",
        "azure-mgmt-storage",
        "azure/mgmt/storage/v2024_01_01",
        "/storageAccounts/{accountName}/blobServices/{BlobServicesName}",
        "BlobServiceProperties",
    ),
    Target(
        "azure-native:storage:FileServiceProperties",
        "2024-01-01",
        "azure-mgmt-storage",
        "azure/mgmt/storage/v2024_01_01",
        "/storageAccounts/{accountName}/fileServices/{FileServicesName}",
        "FileServiceProperties",
    ),
    Target(
        "azure-native:keyvault:Vault",
        "2024-11-01",
        "azure-mgmt-keyvault",
        "azure/mgmt/keyvault/v2024_11_01",
        "/providers/Microsoft.KeyVault/vaults/{vaultName}",
        "VaultCreateOrUpdateParameters",
    ),
    Target(
        "azure-native:keyvault:Key",
        "2024-11-01",
        "azure-mgmt-keyvault",
        "azure/mgmt/keyvault/v2024_11_01",
        "/vaults/{vaultName}/keys/{keyName}",
        "KeyCreateParameters",
    ),
    Target(
        "azure-native:operationalinsights:Workspace",
        "2023-09-01",
        "azure-mgmt-loganalytics",
        "azure/mgmt/loganalytics",
        "/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
        "Workspace",
        sdk_api_version="2021-06-01",
    ),
    Target(
        "azure-native:applicationinsights:Component",
        "2020-02-02",
        "azure-mgmt-applicationinsights",
        "azure/mgmt/applicationinsights/v2020_02_02",
        "/providers/Microsoft.Insights/components/{resourceName}",
        "ApplicationInsightsComponent",
    ),
    Target(
        "azure-native:containerregistry:Registry",
        "2023-01-01-preview",
        "azure-mgmt-containerregistry",
        "azure/mgmt/containerregistry/v2023_01_01_preview",
        "/providers/Microsoft.ContainerRegistry/registries/{registryName}",
        "Registry",
    ),
    Target(
        "azure-native:managedidentity:UserAssignedIdentity",
        "2023-01-31",
        "azure-mgmt-msi",
        "azure/mgmt/msi/v2023_01_31",
        "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
        "Identity",
    ),
    Target(
        "azure-native:authorization:RoleAssignment",
        "2022-04-01",
        "azure-mgmt-authorization",
        "azure/mgmt/authorization/v2022_04_01",
        "/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
        "RoleAssignmentCreateParameters",
    ),
    Target(
        "azure-native:authorization:RoleDefinition",
        "2022-05-01-preview",
        "azure-mgmt-authorization",
        "azure/mgmt/authorization/v2022_05_01_preview",
        "/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
        "RoleDefinition",
    ),
    Target(
        "azure-native:authorization:ManagementLockByScope",
        "2020-05-01",
        "azure-mgmt-resource-locks",
        "azure/mgmt/resource/locks",
        "/{scope}/providers/Microsoft.Authorization/locks/{lockName}",
        "ManagementLockObject",
    ),
    Target(
        "azure-native:authorization:PolicyDefinition",
        "2025-01-01",
        "azure-mgmt-resource-24",
        "azure/mgmt/resource/policy/v2023_04_01",
        "/providers/Microsoft.Authorization/policyDefinitions/{policyDefinitionName}",
        "PolicyDefinition",
        sdk_api_version="2023-04-01",
    ),
    Target(
        "azure-native:authorization:PolicyAssignment",
        "2025-01-01",
        "azure-mgmt-resource-24",
        "azure/mgmt/resource/policy/v2023_04_01",
        "/{scope}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}",
        "PolicyAssignment",
        sdk_api_version="2023-04-01",
    ),
    Target(
        "azure-native:monitor:DiagnosticSetting",
        "2021-05-01-preview",
        "azure-mgmt-monitor",
        "azure/mgmt/monitor/v2021_05_01_preview",
        "/providers/Microsoft.Insights/diagnosticSettings/{name}",
        "DiagnosticSettingsResource",
    ),
    Target(
        "azure-native:consumption:Budget",
        "2024-08-01",
        "azure-mgmt-consumption",
        "azure/mgmt/consumption",
        "/providers/Microsoft.Consumption/budgets/{budgetName}",
        "Budget",
    ),
    Target(
        "azure-native:resources:ResourceGroup",
        "2024-03-01",
        "azure-mgmt-resource",
        "azure/mgmt/resource/resources/v2024_07_01",
        "/resourcegroups/{resourceGroupName}",
        "ResourceGroup",
        sdk_api_version="2024-07-01",
    ),
    Target(
        "azure-native:network:PrivateEndpoint",
        "2024-05-01",
        "azure-mgmt-network",
        "azure/mgmt/network",
        "/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}",
        "PrivateEndpoint",
    ),
    Target(
        "azure-native:network:PrivateDnsZoneGroup",
        "2024-05-01",
        "azure-mgmt-network",
        "azure/mgmt/network",
        "/privateDnsZoneGroups/{privateDnsZoneGroupName}",
        "PrivateDnsZoneGroup",
    ),
    Target(
        "azure-native:network:VirtualNetwork",
        "2024-05-01",
        "azure-mgmt-network",
        "azure/mgmt/network",
        "/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}",
        "VirtualNetwork",
    ),
    Target(
        "azure-native:network:Subnet",
        "2024-05-01",
        "azure-mgmt-network",
        "azure/mgmt/network",
        "/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
        "Subnet",
    ),
    Target(
        "azure-native:privatedns:PrivateZone",
        "2024-06-01",
        "azure-mgmt-privatedns",
        "azure/mgmt/privatedns",
        "/providers/Microsoft.Network/privateDnsZones/{privateZoneName}",
        "PrivateZone",
    ),
    Target(
        "azure-native:privatedns:VirtualNetworkLink",
        "2024-06-01",
        "azure-mgmt-privatedns",
        "azure/mgmt/privatedns",
        "/virtualNetworkLinks/{virtualNetworkLinkName}",
        "VirtualNetworkLink",
    ),
    Target(
        "azure-native:machinelearningservices:Workspace",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}",
        "Workspace",
    ),
    Target(
        "azure-native:machinelearningservices:Compute",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/workspaces/{workspaceName}/computes/{computeName}",
        "ComputeResource",
    ),
    Target(
        "azure-native:machinelearningservices:Datastore",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/workspaces/{workspaceName}/datastores/{name}",
        "Datastore",
    ),
    Target(
        "azure-native:machinelearningservices:EnvironmentContainer",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/workspaces/{workspaceName}/environments/{name}",
        "EnvironmentContainer",
    ),
    Target(
        "azure-native:machinelearningservices:EnvironmentVersion",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/workspaces/{workspaceName}/environments/{name}/versions/{version}",
        "EnvironmentVersion",
    ),
    Target(
        "azure-native:machinelearningservices:WorkspaceConnection",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/workspaces/{workspaceName}/connections/{connectionName}",
        "WorkspaceConnectionPropertiesV2BasicResource",
    ),
    Target(
        "azure-native:machinelearningservices:Registry",
        "2025-12-01",
        "azure-ai-ml",
        _ML,
        "/providers/Microsoft.MachineLearningServices/registries/{registryName}",
        "Registry",
    ),
]

# Path parameter facts the SDK does not carry (TypeSpec-generated clients drop them). From the bicep
# types Microsoft generates out of the same REST API specs, one file per API version.
_BICEP_ML = (
    "Azure/bicep-types-az generated/machinelearningservices/microsoft.machinelearningservices/2025-12-01/types.md"
)
NAME_FACTS: dict[str, dict[str, Any]] = {
    "azure-native:machinelearningservices:Workspace": {
        "pattern": r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$",
        "source": _BICEP_ML,
    },
    "azure-native:machinelearningservices:Registry": {
        "pattern": r"^[a-zA-Z0-9][a-zA-Z0-9\-_]{2,32}$",
        "source": _BICEP_ML,
    },
    # workspaceRP.json (stable/2025-12-01), parameter `ConnectionName`.
    "azure-native:machinelearningservices:WorkspaceConnection": {
        "pattern": r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$",
        "source": "Azure/azure-rest-api-specs specification/machinelearningservices/resource-manager/"
        "Microsoft.MachineLearningServices/stable/2025-12-01/workspaceRP.json (parameters.ConnectionName)",
    },
    "azure-native:machinelearningservices:Compute": {
        "pattern": r"^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)[a-zA-Z0-9\-]{2,23}$",
        "source": _BICEP_ML,
    },
}

# How azure-native names a resource that has no name input (provider/pkg/provider/provider.go
# getDefaultName): "random" = logical name + 8 random hex characters, "copy" = the logical name,
# "uuid" = a random UUID. Top-level resources are random, children copy; role assignments and role
# definitions take a GUID name (issue 9, from autonaming_test.go and the provider's metadata).
UUID_NAMED = {"azure-native:authorization:RoleAssignment", "azure-native:authorization:RoleDefinition"}


# Where a name must be unique beyond its resource group: two stacks (or two resources) with the same
# name collide at `pulumi up`. Not in the SDKs; from the documentation named beside each.
_NAME_RULES = "learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules (Scope column)"
UNIQUE_IN: dict[str, tuple[str, str]] = {
    "azure-native:storage:StorageAccount": ("global", _NAME_RULES),
    "azure-native:keyvault:Vault": ("global", _NAME_RULES),
    "azure-native:containerregistry:Registry": ("global", _NAME_RULES),
    "azure-native:authorization:RoleAssignment": (
        "tenant",
        "learn.microsoft.com/azure/role-based-access-control/role-assignments (names are unique in the tenant)",
    ),
}

UNIQUE_WORDS = {"global": "across all of Azure", "tenant": "in the whole Entra tenant"}


# What no offline check of these facts can show, per type (the table's last column). The sources of the
# service rules are in docs/verification.md, "What is verified, and how", and the practice notes.
DEPLOY_ONLY = {
    "applicationinsights:Component": "that the Log Analytics workspace accepts it (region, access mode)",
    "authorization:ManagementLockByScope": (
        "the deployer's Microsoft.Authorization/locks/write; what the lock then blocks"
    ),
    "authorization:PolicyAssignment": "that the definition exists at the scope; parameters the definition accepts",
    "authorization:PolicyDefinition": "that the policy rule and aliases are valid (checked by Azure Policy at PUT)",
    "authorization:RoleAssignment": "that the principal exists and has replicated; roleAssignments/write; no same "
    "assignment under another name (RoleAssignmentExists)",
    "authorization:RoleDefinition": "that the actions exist; assignable scopes the deployer may write",
    "consumption:Budget": "start date rules (first of a month, not past, at most 12 months ahead); the billing scope",
    "containerregistry:Registry": "that the global name is free; Premium where private endpoints are used",
    "keyvault:Key": "the deployer's Key Vault Crypto Officer role in an RBAC vault; the vault's firewall",
    "keyvault:Vault": "that the global name is free (a soft-deleted vault keeps it); the tenant ID",
    "machinelearningservices:Compute": "VM size availability and quota in the region; that the assigned user exists",
    "machinelearningservices:Datastore": "that the account and container exist and the identity is granted on them",
    "machinelearningservices:EnvironmentContainer": "nothing beyond the workspace being reachable",
    "machinelearningservices:EnvironmentVersion": "that the image exists or builds, reachable from the workspace",
    "machinelearningservices:Registry": "region availability; the system-created storage and registry",
    "machinelearningservices:WorkspaceConnection": "that the target accepts the workspace identity (its data role) or "
    "the credential; categories and auth types the service supports beyond the spec's open enums",
    "machinelearningservices:Workspace": "that the linked resources exist and are acceptable (the components and the "
    "policy pack check kind, SKU, HNS, purge protection); managed network provisioning",
    "managedidentity:UserAssignedIdentity": "nothing beyond the resource group",
    "monitor:DiagnosticSetting": "categories the target supports (blob/file services: Transaction, not AllMetrics)",
    "network:PrivateDnsZoneGroup": "that the zones exist and are linked to the VNet",
    "network:PrivateEndpoint": "group IDs valid for the target (blob, vault, amlworkspace, registry); subnet policies",
    "network:Subnet": "that the prefix fits the VNet's address space",
    "network:VirtualNetwork": "address space not overlapping peered networks",
    "operationalinsights:Workspace": "retention limits of the pricing tier",
    "privatedns:PrivateZone": "the privatelink zone name the service expects",
    "privatedns:VirtualNetworkLink": "that the VNet exists",
    "resources:ResourceGroup": "allowed locations and the subscription's Azure Policy",
    "storage:BlobContainer": "nothing beyond the account being reachable by ARM",
    "storage:BlobServiceProperties": "settings the account's kind supports",
    "storage:FileServiceProperties": "settings the account's kind supports",
    "storage:StorageAccount": "that the global name is free; SKU and zone redundancy in the region",
}
