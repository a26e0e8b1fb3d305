"""The inputs of MachineLearningWorkspace: its Args TypedDicts, a docstring per field (read by the schema, the
generated reference in docs/ and the provider).

Moved out of workspace.py (which re-imports every name here, so `from amlws.components.workspace import
MachineLearningWorkspaceArgs` keeps working).
"""

from typing import NotRequired, TypedDict

import pulumi

from .access import WorkspaceAccessSettings
from .compute import ComputeClusterSettings, ComputeInstanceSettings
from .compute_features import ServerlessComputeSettings
from .connections import WorkspaceConnectionSettings
from .datastore import DatastoreSettings
from .diagnostics import DiagnosticSettingArgs
from .environment import EnvironmentSettings
from .key_vault import WorkspaceKeyVaultArgs
from .kinds import FeatureStoreSettings, WorkspaceHubConfigSettings
from .locks import LockArgs
from .monitoring import WorkspaceMonitoringArgs
from .network import OutboundRuleSettings, PrivateEndpointSettings
from .registry import WorkspaceContainerRegistryArgs
from .role_assignments import RoleAssignmentSettings
from .storage import WorkspaceStorageArgs


class CustomerManagedKeySettings(TypedDict):
    """Encryption with a customer-managed key kept in the workspace's key vault (settable only at creation)."""

    key_name: str
    """Name of the RSA key created in the workspace's key vault (which must have purge protection)."""
    key_size: NotRequired[int]
    """RSA key size: 2048, 3072 (default) or 4096."""
    identity_name: NotRequired[str]
    """`resourceName` of the user-assigned identity that unwraps the key; by default `id-<name>-cmk`."""
    user_assigned_identity_resource_id: NotRequired[str]
    (
        "AVM `userAssignedIdentityResourceId`: an existing user-assigned identity that unwraps the key instead of one "
        "the component creates (`encryption.identity.userAssignedIdentity`, added to `identity.userAssignedIdentities`"
        "). It needs Key Vault Crypto Service Encryption User (e147488a-f6f5-4113-8e2d-b22465e65bf6) on the vault: "
        "granted here when the component or the stack creates the vault, by the vault's owner otherwise."
    )
    deployer_principal_type: NotRequired[str]
    (
        "Who runs `pulumi up` (granted Key Vault Crypto Officer to create the key): `ServicePrincipal` (default) or "
        "`User`."
    )


class WorkspaceIdentitySettings(TypedDict):
    """A user-assigned identity the component creates for the workspace and makes its `primaryUserAssignedIdentity`."""

    identity_name: NotRequired[str]
    ("`resourceName` of the identity; by default `id-<name>-mlw`. A separate identity from the customer-managed key's.")
    system_assigned: NotRequired[bool]
    (
        "Keep a system-assigned identity beside it (AVM `managedIdentities.systemAssigned`); default false: "
        "`identity.type` is `UserAssigned`."
    )


class MachineLearningWorkspaceArgs(TypedDict):
    """Inputs of MachineLearningWorkspace."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the workspace and of every associated resource it creates."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region; the resource group's by default."""
    workspace_name: NotRequired[str]
    (
        "`workspaceName` (3-33 letters, digits, hyphens, underscores, starting with a letter or digit); by default "
        "`mlw-<name>`."
    )
    name_suffix: NotRequired[str]
    (
        "Appended to the names the component picks for what a deletion blocks: `mlw-<name>-<suffix>` and the created "
        "key vault's name (a deleted workspace stays soft-deleted 14 days and blocks its name; docs/soft-delete.md). "
        "Lowercase letters and digits, at most 6; names you give are kept."
    )
    friendly_name: NotRequired[str]
    """`friendlyName` shown in the studio."""
    description: NotRequired[str]
    """`description` of the workspace."""
    kind: NotRequired[str]
    (
        "`kind`: `Default` (an Azure Machine Learning workspace; not sent unless set), `Hub` (an AI Foundry hub whose "
        "projects share its storage, key vault, monitoring, registry, network and key), `Project` (a hub's project: "
        "needs `hub_resource_id` and takes none of what its hub decides) or `FeatureStore` (needs `feature_store`)."
    )
    hub_resource_id: NotRequired[pulumi.Input[str]]
    """`hubResourceId`: the resource ID of a Project's Hub workspace (required for a Project, refused otherwise)."""
    feature_store: NotRequired[FeatureStoreSettings]
    """`featureStoreSettings` of a FeatureStore (required for one, refused on any other kind)."""
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    (
        "A Project's destination for its resource logs: the resource ID of a Log Analytics workspace (its hub's). "
        "Other kinds send them to their own monitoring's."
    )
    workspace_hub_config: NotRequired[WorkspaceHubConfigSettings]
    """`workspaceHubConfig` of a Hub: extra storage accounts and the resource group of projects made in the portal."""
    storage: NotRequired[WorkspaceStorageArgs]
    (
        "The workspace's storage account (created by default, or `existing_id`). Premium, BlobStorage and HNS accounts "
        "are refused."
    )
    key_vault: NotRequired[WorkspaceKeyVaultArgs]
    """The workspace's key vault (created by default, or `existing_id`)."""
    monitoring: NotRequired[WorkspaceMonitoringArgs]
    """Log Analytics and workspace-based Application Insights (created by default, or existing IDs)."""
    container_registry: NotRequired[WorkspaceContainerRegistryArgs]
    """A container registry to create (or `existing_id`); omit for a workspace without one."""
    identity_type: NotRequired[str]
    """`identity.type`: `SystemAssigned` (default), `UserAssigned` or `SystemAssigned,UserAssigned`."""
    user_assigned_identity_ids: NotRequired[list[str]]
    """`identity.userAssignedIdentities`: resource IDs of user-assigned identities."""
    primary_user_assigned_identity: NotRequired[str]
    """`primaryUserAssignedIdentity`: the identity the workspace uses to reach its resources."""
    workspace_identity: NotRequired[WorkspaceIdentitySettings]
    (
        "A user-assigned identity created for the workspace as its `primaryUserAssignedIdentity`, granted the "
        "documented roles before the workspace exists (instead of `primary_user_assigned_identity` and "
        "`identity_type`)."
    )
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Disabled` (default; reached through private endpoints) or `Enabled`."""
    managed_network_isolation_mode: NotRequired[str]
    """`managedNetwork.isolationMode`: `AllowOnlyApprovedOutbound` (default), `AllowInternetOutbound` or `Disabled`."""
    managed_network_firewall_sku: NotRequired[str]
    (
        "`managedNetwork.firewallSku`: `Standard` (Azure's default) or `Basic`, the Azure Firewall Azure ML deploys "
        "for FQDN rules; only with `AllowOnlyApprovedOutbound`."
    )
    provision_network_now: NotRequired[bool]
    (
        "`provisionNetworkNow`: provision the managed network while creating the workspace, not with the first "
        "compute (preview in the docs); needs a managed network."
    )
    system_datastores_auth_mode: NotRequired[str]
    (
        "`systemDatastoresAuthMode`: `Identity`, `AccessKey` or `UserDelegationSAS`; by default `accessKey` when the "
        "created storage allows shared keys, else `identity`. `AccessKey` is refused on storage without shared keys."
    )
    hbi_workspace: NotRequired[bool]
    """`hbiWorkspace`: high business impact data; settable only at creation."""
    compute_instances: NotRequired[list[ComputeInstanceSettings]]
    """Compute instances to create in the workspace."""
    compute_clusters: NotRequired[list[ComputeClusterSettings]]
    """Compute clusters to create in the workspace."""
    serverless_compute: NotRequired[ServerlessComputeSettings]
    ("`serverlessComputeSettings`: the subnet serverless compute jobs run in, and whether their nodes get public IPs.")
    tags: NotRequired[dict[str, str]]
    """Tags for the workspace and every resource it creates."""
    lock: NotRequired[LockArgs]
    (
        'AVM `lock`: a management lock (e.g. `{"kind": "CanNotDelete"}`) on the workspace and the data resources it '
        "creates (storage, key vault, registry, datastore accounts). With a managed network "
        "(`managed_network_isolation_mode` not `Disabled`) the workspace itself gets none, only the data resources "
        "(how-to-managed-network, Limitations: no scope locks on Azure Machine Learning resources); the component says "
        "so in an info message."
    )
    protect_data: NotRequired[bool]
    """Protect the resources that hold data (workspace, storage, key vault, registry, monitoring) from deletion."""
    customer_managed_key: NotRequired[CustomerManagedKeySettings]
    (
        "`encryption`: a customer-managed key, reached through a user-assigned identity the component creates. "
        "Settable only at creation."
    )
    access: NotRequired[WorkspaceAccessSettings]
    """Microsoft Entra groups (object IDs) per role on the workspace, and custom roles."""
    role_assignments: NotRequired[list[RoleAssignmentSettings]]
    (
        "AVM `roleAssignments` on the workspace: any principal (user, group, service principal, managed identity) in "
        "any role, by built-in name, GUID or role definition ID; a duplicate of `access` or of the component's own "
        "grants is refused."
    )
    grant_workspace_identity_data_roles: NotRequired[bool]
    (
        "Give a primary user-assigned identity the roles the docs list on the storage, key vault, registry, App "
        "Insights and workspace (default true). A system-assigned identity gets its roles from Azure ML itself."
    )
    diagnostics: NotRequired[bool]
    (
        "Send the workspace's (and its created storage's and vault's) logs and metrics to the Log Analytics workspace; "
        "default true when there is one. With `diagnostic_settings` it governs the created storage, vault and "
        "registry only."
    )
    diagnostic_settings: NotRequired[list[DiagnosticSettingArgs]]
    (
        "AVM `diagnosticSettings` of the workspace itself (at most 5): Log Analytics, storage, event hub or partner "
        "destinations, instead of its one setting to the Log Analytics workspace. The storage, vault and registry it "
        "creates keep theirs (their categories differ)."
    )
    private_endpoints: NotRequired[PrivateEndpointSettings]
    (
        "Private endpoints for the workspace and the storage, key vault and registry it creates, in the stack's own "
        "subnet; with storage `public_network_access` `Disabled`, the workspace identity gets Reader on the storage's "
        "blob and file endpoints (how-to-managed-network)."
    )
    managed_network_outbound_rules: NotRequired[dict[str, OutboundRuleSettings]]
    (
        "`managedNetwork.outboundRules` by rule name; datastore accounts get a private endpoint rule automatically "
        "under `AllowOnlyApprovedOutbound`."
    )
    datastores: NotRequired[list[DatastoreSettings]]
    """Datastores on additional storage (premium and HNS accounts belong here), identity-based."""
    connections: NotRequired[list[WorkspaceConnectionSettings]]
    (
        "Connections to Azure OpenAI, AI Services and AI Search: keyless by default (`auth_type` `AAD`; the identity "
        "the workspace reaches data with gets the documented data role on `resource_id`), or `ApiKey` with a secret."
    )
    environments: NotRequired[list[EnvironmentSettings]]
    (
        "Custom environments registered as environment versions: images built here and pushed (`docker_context`, a "
        "registry the deployer can reach), or built by Azure ML (`build_context_uri`)."
    )
    image_build_compute: NotRequired[str]
    (
        "`imageBuildCompute`: the compute cluster or instance of this workspace that builds environment images; "
        "required for Azure ML builds into a registry behind a network."
    )
    image_builds: NotRequired[str]
    (
        "May data scientists build custom environment images: `Allowed` (needs `container_registry`, so Azure ML never "
        "creates an untagged one) or `Disabled` (their role is AzureML Data Scientist minus the image-build actions). "
        "Default: `Allowed` exactly when the workspace has a registry."
    )
