"""An Azure ML workspace together with everything it needs, as one component: its inputs, and the recipe.

Plan, then declare: `plan_workspace` (workspace_plan.py) checks everything the component will be asked to create
or use (including the lookups of existing resources) and returns a frozen plan, so a bad input fails before the
component or any child is declared; the `declare_*` steps (workspace_parts.py, identity.py, encryption.py,
outbound.py) each read their piece of it.
"""

from typing import Mapping, NotRequired, Optional, TypedDict, cast

import pulumi

from .schema import check_component_args
from ._common import ComponentInputError, token
from .access import WorkspaceAccessSettings
from .compute import ComputeClusterSettings, ComputeInstanceSettings
from .compute_features import ServerlessComputeSettings
from .connections import WorkspaceConnectionSettings
from .datastore import DatastoreSettings, PlannedDatastore
from .declaring import Declaring
from .diagnostics import DiagnosticSettingArgs
from .encryption import DeclaredEncryption, VaultRef, declare_encryption, deployer_crypto_officer
from .environment import EnvironmentSettings
from .identity import (
    IDENTITY_TYPES,
    USER_ASSIGNED_GRANTS,
    USER_ASSIGNED_IDENTITY_TYPE,
    WORKSPACE_IDENTITY_SETTINGS,
    declare_identity,
    primary_identity_principal,
    user_identity,
    validate_workspace_identity,
)
from .key_vault import WorkspaceKeyVaultArgs
from .kinds import FeatureStoreSettings, WorkspaceHubConfigSettings, warn_open_hub
from .locks import LockArgs
from .monitoring import WorkspaceMonitoringArgs
from .network import OutboundRuleSettings, PrivateEndpointSettings
from .outbound import (
    ISOLATION_MODES,
    WORKSPACE_SECTIONS,
    declare_approvals,
    declare_private_endpoints,
    storage_endpoint_reader,
    workspace_public_network_access,
)
from .registry import WorkspaceContainerRegistryArgs
from .role_assignments import RoleAssignmentSettings
from .storage import WorkspaceStorageArgs
from .workspace_parts import (
    MANAGED_NETWORK_LOCKS_DOC,
    declare_access,
    declare_associated,
    declare_computes,
    declare_workspace,
    declare_workspace_connections,
    declare_workspace_datastores,
    declare_workspace_environments,
    declare_workspace_guards,
)
from .workspace_plan import WorkspacePlan, plan_workspace, refuse_immutable_changes, workspace_lock

COMPONENT = "MachineLearningWorkspace"

__all__ = [  # what this module offered before the split, and still does
    "COMPONENT",
    "ComponentInputError",
    "CustomerManagedKeySettings",
    "FeatureStoreSettings",
    "IDENTITY_TYPES",
    "ISOLATION_MODES",
    "MANAGED_NETWORK_LOCKS_DOC",
    "MachineLearningWorkspace",
    "MachineLearningWorkspaceArgs",
    "USER_ASSIGNED_GRANTS",
    "USER_ASSIGNED_IDENTITY_TYPE",
    "WORKSPACE_IDENTITY_SETTINGS",
    "WORKSPACE_SECTIONS",
    "WorkspaceHubConfigSettings",
    "WorkspaceIdentitySettings",
    "WorkspacePlan",
    "plan_workspace",
    "primary_identity_principal",
    "refuse_immutable_changes",
    "storage_endpoint_reader",
    "user_identity",
    "validate_workspace_args",
    "validate_workspace_identity",
    "workspace_lock",
    "workspace_public_network_access",
]


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


def validate_workspace_args(args: MachineLearningWorkspaceArgs) -> list[PlannedDatastore]:
    """Everything this component would refuse, before anything is declared (`plan_workspace`); returns the
    datastores' plan. Kept for callers of the earlier API: a program that declares too should keep the plan."""
    return list(plan_workspace(args.get("workspace_name") or "workspace", args).datastores)


class MachineLearningWorkspace(pulumi.ComponentResource):
    """An Azure Machine Learning workspace with its storage, key vault, monitoring, optional registry and computes."""

    workspace_id: pulumi.Output[str]
    """Resource ID of the workspace."""
    workspace_name: pulumi.Output[str]
    """Name of the workspace."""
    principal_id: pulumi.Output[str]
    """Object ID of the workspace's system-assigned identity (empty for user-assigned only)."""
    storage_account_id: pulumi.Output[Optional[str]]
    """Resource ID of the workspace's storage account (None for a Project: it uses its hub's)."""
    key_vault_id: pulumi.Output[Optional[str]]
    """Resource ID of the workspace's key vault (None for a Project)."""
    application_insights_id: pulumi.Output[Optional[str]]
    """Resource ID of the workspace's Application Insights (None for a Project)."""
    log_analytics_workspace_id: pulumi.Output[Optional[str]]
    """Resource ID of the Log Analytics workspace behind Application Insights."""
    container_registry_id: pulumi.Output[Optional[str]]
    """Resource ID of the workspace's container registry, if it has one."""
    compute_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the computes, by compute name."""
    datastore_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the datastores, by datastore name."""
    environment_version_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the registered environment versions, by environment name."""
    connection_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the workspace connections, by connection name."""
    cmk_identity_principal_id: pulumi.Output[Optional[str]]
    """Principal ID of the user-assigned identity that unwraps the customer-managed key (None without CMK)."""
    primary_identity_principal_id: pulumi.Output[Optional[str]]
    (
        "Principal ID of the primary user-assigned identity (the one Azure ML reaches the workspace's resources with) "
        "when the component creates it or grants it roles; None otherwise."
    )

    def __init__(
        self,
        name: str,
        args: MachineLearningWorkspaceArgs,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        plan: WorkspacePlan | None = None,
        deployer_grants: Mapping[str, pulumi.Resource] | None = None,
    ):
        """`plan`: what `plan_workspace(name, ...)` made of these args (with stand-ins where they now hold
        Outputs), so nothing is checked again. `deployer_grants`: the deploying identity's Key Vault Crypto Officer
        grant per existing vault ID, declared by the vault's owner (the stack program); a missing one is made here."""
        check_component_args(COMPONENT, name, args, MachineLearningWorkspaceArgs)
        plan = plan.wired(name, args) if plan is not None else plan_workspace(name, args)
        super().__init__(token(COMPONENT), name, None, opts)
        at = Declaring.under(self, plan.names)
        parts = declare_associated(plan, self, at.subscription_id)
        identity = declare_identity(plan.identity, at, scopes=parts.identity_scopes())
        encryption = _encryption(plan, at, parts.vault, deployer_grants or {})
        workspace = declare_workspace(plan, self, parts, identity=identity, encryption=encryption)
        warn_open_hub(plan.kind, plan.network.isolation_mode, name, self)
        law_id = parts.monitoring.log_analytics_workspace_id if parts.monitoring else plan.kind.diagnostics_workspace_id
        declare_workspace_guards(plan, self, workspace, law_id, at.subscription_id)
        system = workspace.identity.apply(lambda i: (i.principal_id if i else None) or "")
        principals = identity.with_system(system if plan.identity.includes_system else None)
        approvals = declare_approvals(plan.network, at, parts.datastores, workspace.id, principals)
        declare_access(plan.access, at, workspace_id=workspace.id)
        declare_private_endpoints(plan.network, at, ids=parts.endpoint_ids(workspace.id), reader=principals.approver)
        computes = declare_computes(plan.compute, at, workspace=workspace, after=approvals)
        datastore_ids = declare_workspace_datastores(at, parts.datastores, workspace, principals)
        connection_ids = declare_workspace_connections(plan.connections, at, workspace, principals)
        environment_ids = declare_workspace_environments(plan.environments, at, parts, workspace, computes)
        self.workspace_id, self.workspace_name, self.principal_id = workspace.id, workspace.name, system
        self.primary_identity_principal_id = pulumi.Output.from_input(identity.principal)
        self.cmk_identity_principal_id = pulumi.Output.from_input(encryption.principal_id if encryption else None)
        self.storage_account_id = _optional(parts.storage.id if parts.storage else None)
        self.key_vault_id = _optional(parts.key_vault.id if parts.key_vault else None)
        self.application_insights_id = _optional(parts.monitoring.application_insights_id if parts.monitoring else None)
        self.log_analytics_workspace_id = _optional(law_id)
        self.container_registry_id = pulumi.Output.from_input(parts.registry.id if parts.registry else None)
        self.compute_ids = _by_name({k: c.id for k, c in computes.items()})
        self.datastore_ids, self.environment_version_ids = _by_name(datastore_ids), _by_name(environment_ids)
        self.connection_ids = _by_name(connection_ids)
        self.register_outputs({key: getattr(self, key) for key in OUTPUTS})


def _optional(value: pulumi.Input[Optional[str]] | None) -> pulumi.Output[Optional[str]]:
    return pulumi.Output.from_input(value)


def _encryption(
    plan: WorkspacePlan, at: Declaring, vault: VaultRef | None, deployer_grants: Mapping[str, pulumi.Resource]
) -> DeclaredEncryption | None:
    """The customer-managed key; its key waits for the deployer's grant on an existing vault: the vault owner's
    (`deployer_grants`) or, for a workspace declared alone, one made here, under the workspace (where every earlier
    version made it)."""
    cmk = plan.encryption
    if cmk is None or vault is None:
        return None
    key_after: list[pulumi.Resource] = []
    if cmk.existing_vault_id is not None:
        key_after.append(
            deployer_grants.get(cmk.existing_vault_id)
            or deployer_crypto_officer(
                f"{at.name}-cmk-deployer-crypto-officer",
                cmk.existing_vault_id,
                cmk.deployer_principal_type,
                parent=at.parent,
            )
        )
    return declare_encryption(cmk, at, vault=vault, key_after=key_after)


OUTPUTS = (
    "workspace_id",
    "workspace_name",
    "principal_id",
    "storage_account_id",
    "key_vault_id",
    "application_insights_id",
    "log_analytics_workspace_id",
    "container_registry_id",
    "compute_ids",
    "datastore_ids",
    "environment_version_ids",
    "connection_ids",
    "cmk_identity_principal_id",
    "primary_identity_principal_id",
)


def _by_name(ids: Mapping[str, pulumi.Input[str]]) -> pulumi.Output[dict[str, str]]:
    return cast(pulumi.Output[dict[str, str]], pulumi.Output.all(**ids)) if ids else pulumi.Output.from_input({})
