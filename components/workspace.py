"""An Azure ML workspace together with everything it needs, as one component.

Everything the component will be asked to create or use is validated first (including the lookup of
an existing storage account), so a bad input fails before the component or any child is declared.
"""

from pathlib import Path
from typing import Any, Mapping, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization, keyvault, managedidentity
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import cmk_vault_violations
from amlws_rules import roles as role_ids
from amlws_rules.naming import ML_WORKSPACE, USER_ASSIGNED_IDENTITY, hyphenated_name

from ._common import ComponentInputError, check_name, child, inherited, keep_earlier_name, token
from ._lookup import cached, lookup_existing, probe
from .access import WorkspaceAccessSettings, assign_role, builtin_role, grant_groups, validate_access
from .datastore import DatastoreSettings, PlannedDatastore, declare_accounts, declare_datastores, validate_datastores
from .diagnostics import send_diagnostics
from .environment import EnvironmentSettings, declare_environments, validate_environments, validate_image_build_compute
from .image_builds import image_builds_setting, no_image_build_role, validate_image_builds
from .locks import LockArgs, check_lock, lock_resource
from .network import (
    OutboundRuleSettings,
    PrivateEndpointSettings,
    endpoint_targets,
    grant_endpoint_approval,
    outbound_rule_args,
    private_endpoint,
    validate_outbound_rules,
    validate_private_endpoints,
)
from .compute import (
    ComputeClusterSettings,
    ComputeInstanceSettings,
    compute_cluster_identity,
    compute_cluster_properties,
    compute_instance_identity,
    compute_instance_properties,
    validate_compute_settings,
)
from .compute_features import idle_shutdown_identity_note
from .key_vault import (
    WorkspaceKeyVault,
    WorkspaceKeyVaultArgs,
    check_deployer_principal_type,
    checked_vault_id,
    planned_vault,
    vault_name_and_group,
)
from .monitoring import WorkspaceMonitoring, WorkspaceMonitoringArgs, has_log_analytics, validate_monitoring_args
from .registry import (
    WorkspaceContainerRegistry,
    WorkspaceContainerRegistryArgs,
    registry_public_network_access,
    validate_registry_args,
)
from .storage import WorkspaceStorage, WorkspaceStorageArgs, validate_storage_args

COMPONENT = "MachineLearningWorkspace"
IDENTITY_TYPES = ("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned")
ISOLATION_MODES = ("Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound")
MANAGED_NETWORK_LOCKS_DOC = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations"


class CustomerManagedKeySettings(TypedDict):
    """Encryption with a customer-managed key kept in the workspace's key vault (settable only at creation)."""

    key_name: str
    """Name of the RSA key created in the workspace's key vault (which must have purge protection)."""
    key_size: NotRequired[int]
    """RSA key size: 2048, 3072 (default) or 4096."""
    identity_name: NotRequired[str]
    """`resourceName` of the user-assigned identity that unwraps the key; by default `id-<name>-cmk`."""
    deployer_principal_type: NotRequired[str]
    """Who runs `pulumi up` (granted Key Vault Crypto Officer to create the key): `ServicePrincipal` (default) or `User`."""


class WorkspaceIdentitySettings(TypedDict):
    """A user-assigned identity the component creates for the workspace and makes its `primaryUserAssignedIdentity`."""

    identity_name: NotRequired[str]
    """`resourceName` of the identity; by default `id-<name>-mlw`. A separate identity from the customer-managed key's."""
    system_assigned: NotRequired[bool]
    """Keep a system-assigned identity beside it (AVM `managedIdentities.systemAssigned`); default false: `identity.type` is `UserAssigned`."""


class MachineLearningWorkspaceArgs(TypedDict):
    """Inputs of MachineLearningWorkspace."""

    resource_group_name: pulumi.Input[str]
    """Resource group of the workspace and of every associated resource it creates."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region; the resource group's by default."""
    workspace_name: NotRequired[str]
    """`workspaceName` (3-33 letters, digits, hyphens, underscores, starting with a letter or digit); by default `mlw-<name>`."""
    friendly_name: NotRequired[str]
    """`friendlyName` shown in the studio."""
    description: NotRequired[str]
    """`description` of the workspace."""
    storage: NotRequired[WorkspaceStorageArgs]
    """The workspace's storage account (created by default, or `existing_id`). Premium, BlobStorage and HNS accounts are refused."""
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
    """A user-assigned identity created for the workspace as its `primaryUserAssignedIdentity`, granted the documented roles before the workspace exists (instead of `primary_user_assigned_identity` and `identity_type`)."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Enabled` or `Disabled`; by default `Disabled` when the workspace is isolated (managed network or private endpoints), else `Enabled`."""
    managed_network_isolation_mode: NotRequired[str]
    """`managedNetwork.isolationMode`: `Disabled` (default), `AllowInternetOutbound` or `AllowOnlyApprovedOutbound`."""
    hbi_workspace: NotRequired[bool]
    """`hbiWorkspace`: high business impact data; settable only at creation."""
    compute_instances: NotRequired[list[ComputeInstanceSettings]]
    """Compute instances to create in the workspace."""
    compute_clusters: NotRequired[list[ComputeClusterSettings]]
    """Compute clusters to create in the workspace."""
    tags: NotRequired[dict[str, str]]
    """Tags for the workspace and every resource it creates."""
    lock: NotRequired[LockArgs]
    """AVM `lock`: a management lock (e.g. `{"kind": "CanNotDelete"}`) on the workspace and the data resources it creates (storage, key vault, registry, datastore accounts). With a managed network (`managed_network_isolation_mode` not `Disabled`) the workspace itself gets none, only the data resources (how-to-managed-network, Limitations: no scope locks on Azure Machine Learning resources); the component says so in an info message."""
    protect_data: NotRequired[bool]
    """Protect the resources that hold data (workspace, storage, key vault, registry, monitoring) from deletion."""
    customer_managed_key: NotRequired[CustomerManagedKeySettings]
    """`encryption`: a customer-managed key, reached through a user-assigned identity the component creates. Settable only at creation."""
    access: NotRequired[WorkspaceAccessSettings]
    """Microsoft Entra groups (object IDs) per role on the workspace, and custom roles."""
    grant_workspace_identity_data_roles: NotRequired[bool]
    """Give a primary user-assigned identity the roles the docs list on the storage, key vault, registry, App Insights and workspace (default true). A system-assigned identity gets its roles from Azure ML itself."""
    diagnostics: NotRequired[bool]
    """Send the workspace's (and its created storage's and vault's) logs and metrics to the Log Analytics workspace; default true when there is one."""
    private_endpoints: NotRequired[PrivateEndpointSettings]
    """Private endpoints for the workspace and the storage, key vault and registry it creates, in the stack's own subnet; with storage `public_network_access` `Disabled`, the workspace identity gets Reader on the storage's blob and file endpoints (how-to-managed-network)."""
    managed_network_outbound_rules: NotRequired[dict[str, OutboundRuleSettings]]
    """`managedNetwork.outboundRules` by rule name; datastore accounts get a private endpoint rule automatically under `AllowOnlyApprovedOutbound`."""
    datastores: NotRequired[list[DatastoreSettings]]
    """Datastores on additional storage (premium and HNS accounts belong here), identity-based."""
    environments: NotRequired[list[EnvironmentSettings]]
    """Custom environments registered as environment versions: images built here and pushed (`docker_context`, a registry the deployer can reach), or built by Azure ML (`build_context_uri`)."""
    image_build_compute: NotRequired[str]
    """`imageBuildCompute`: the compute cluster or instance of this workspace that builds environment images; required for Azure ML builds into a registry behind a network."""
    image_builds: NotRequired[str]
    """May data scientists build custom environment images: `Allowed` (needs `container_registry`, so Azure ML never creates an untagged one) or `Disabled` (their role is AzureML Data Scientist minus the image-build actions). Default: `Allowed` exactly when the workspace has a registry."""


def _nested(
    section: Mapping[str, Any] | None, args: MachineLearningWorkspaceArgs, tags: dict[str, str]
) -> dict[str, Any]:
    """A child's args inherit the resource group, region, tags and protection of the workspace."""
    return inherited(section, args, protect=args.get("protect_data", False), tags=tags)


def workspace_public_network_access(args: MachineLearningWorkspaceArgs) -> str:
    """As given; otherwise off when the workspace is isolated (a managed network or private endpoints)."""
    isolated = args.get("managed_network_isolation_mode", "Disabled") != "Disabled" or "private_endpoints" in args
    return args.get("public_network_access", "Disabled" if isolated else "Enabled")


def _identity_includes_system(args: MachineLearningWorkspaceArgs) -> bool:
    created = args.get("workspace_identity")
    if created is not None:
        return bool(created.get("system_assigned", False))
    return "SystemAssigned" in args.get("identity_type", "SystemAssigned")


USER_ASSIGNED_IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"

# The roles a workspace's user-assigned identity needs, per associated resource
# (how-to-identity-based-service-authentication, "User-assigned managed identity"; MicrosoftDocs/azure-docs
# articles/machine-learning/how-to-identity-based-service-authentication.md): Azure ML creates them only for
# its system-assigned identity ("Role assignment creation: Managed by Microsoft"), so a second copy for that
# one fails with 409 RoleAssignmentExists (MicrosoftDocs/azure-docs#80040) and is never declared.
USER_ASSIGNED_GRANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "storage": (
        ("storage-contributor", role_ids.CONTRIBUTOR),
        ("storage-blob-data", role_ids.STORAGE_BLOB_DATA_CONTRIBUTOR),
    ),
    "key_vault": (("keyvault-contributor", role_ids.CONTRIBUTOR), ("keyvault-admin", role_ids.KEY_VAULT_ADMINISTRATOR)),
    "container_registry": (("acr-contributor", role_ids.CONTRIBUTOR),),
    "application_insights": (("appi-contributor", role_ids.CONTRIBUTOR),),
}


def primary_identity_principal(args: MachineLearningWorkspaceArgs) -> str | None:
    """Principal ID of an existing primary user-assigned identity the component grants roles to (looked up,
    once), or None when Azure ML manages the grants (a system-assigned identity), they are turned off, or the
    component creates the identity (`workspace_identity`: its principal is known once it exists)."""
    primary = args.get("primary_user_assigned_identity")
    if not primary or not args.get("grant_workspace_identity_data_roles", True):
        return None
    found = lookup_existing(
        COMPONENT,
        "primary_user_assigned_identity",
        primary,
        USER_ASSIGNED_IDENTITY_TYPE,
        lambda n, rg: managedidentity.get_user_assigned_identity(resource_name=n, resource_group_name=rg).principal_id,
    )
    return found


WORKSPACE_IDENTITY_SETTINGS = ("identity_name", "system_assigned")


def validate_workspace_identity(args: MachineLearningWorkspaceArgs) -> None:
    """`workspace_identity`: the component creates the primary identity and derives `identity.type`, so an
    existing primary identity or an explicit type beside it is refused, and so is turning off its grants
    (nothing else can grant a new identity its roles before the workspace is created)."""
    settings = args.get("workspace_identity")
    if settings is None:
        return
    if not isinstance(settings, dict):
        raise ComponentInputError(
            COMPONENT,
            "workspace_identity",
            settings,
            f"a mapping with {' and/or '.join(WORKSPACE_IDENTITY_SETTINGS)} ({{}} for the defaults)",
        )
    unknown = sorted(set(settings) - set(WORKSPACE_IDENTITY_SETTINGS))
    if unknown:
        raise ComponentInputError(
            COMPONENT, "workspace_identity", unknown, f"unknown settings; use {', '.join(WORKSPACE_IDENTITY_SETTINGS)}"
        )
    for other in ("primary_user_assigned_identity", "identity_type"):
        if other in args:
            raise ComponentInputError(
                COMPONENT,
                other,
                args.get(other),  # type: ignore[misc]
                "not beside workspace_identity, which creates the primary identity and derives identity.type from "
                "workspace_identity.system_assigned: remove one of them",
            )
    system = settings.get("system_assigned", False)
    if not isinstance(system, bool):
        raise ComponentInputError(COMPONENT, "workspace_identity.system_assigned", system, "must be true or false")
    given = settings.get("identity_name")
    check_name(COMPONENT, "workspace_identity.identity_name", USER_ASSIGNED_IDENTITY, given)
    cmk_name = (args.get("customer_managed_key") or {}).get("identity_name")
    if isinstance(given, str) and isinstance(cmk_name, str) and given.lower() == cmk_name.lower():
        raise ComponentInputError(
            COMPONENT,
            "workspace_identity.identity_name",
            given,
            "is also customer_managed_key.identity_name; the workspace identity (Contributor on its resources) and the "
            "key's identity (Key Vault Crypto Service Encryption User only) are separate identities: give them different names",
        )
    if args.get("grant_workspace_identity_data_roles", True) is not True:
        raise ComponentInputError(
            COMPONENT,
            "grant_workspace_identity_data_roles",
            args.get("grant_workspace_identity_data_roles"),
            "must stay on with workspace_identity: the identity is created here, so nothing else can grant it the roles "
            "Azure ML needs on the storage, key vault, registry and Application Insights before the workspace is created",
        )


def refuse_immutable_changes(args: MachineLearningWorkspaceArgs, resource_group_name: str, workspace_name: str) -> None:
    """Refuse a change to what Azure sets only at creation (HBI, customer-managed key).

    The deployed workspace is read (`getWorkspace`) and compared with the request. Changing either
    would need a new workspace, and replacing one loses its runs, models and data; so instead of a
    silent replacement the change is refused, naming the setting. A workspace that does not exist
    yet (Azure answers "not found") has nothing to compare.
    """
    current = probe(
        f"workspace|{resource_group_name}|{workspace_name}",
        lambda: ml.get_workspace(resource_group_name=resource_group_name, workspace_name=workspace_name),
    )
    if current is None:
        return
    deployed_hbi = bool(current.hbi_workspace)
    wanted_hbi = bool(args.get("hbi_workspace", False))
    if deployed_hbi != wanted_hbi:
        raise ComponentInputError(
            COMPONENT,
            "hbi_workspace",
            wanted_hbi,
            f"the deployed workspace {workspace_name} has hbiWorkspace={deployed_hbi}; Azure sets it only at creation. "
            "Changing it would replace the workspace and lose its data: keep the deployed value, or create a new workspace",
        )
    encryption = current.encryption
    deployed_cmk = encryption is not None and str(encryption.status).lower() == "enabled"
    wanted_cmk = "customer_managed_key" in args
    if deployed_cmk != wanted_cmk:
        raise ComponentInputError(
            COMPONENT,
            "customer_managed_key",
            args.get("customer_managed_key"),
            f"the deployed workspace {workspace_name} {'uses' if deployed_cmk else 'does not use'} a customer-managed key; "
            "Azure sets encryption only at creation. Changing it would replace the workspace and lose its data: "
            "keep the deployed setting, or create a new workspace",
        )


WORKSPACE_SECTIONS = ("storage", "key_vault")  # created by default: a workspace always has them


def storage_endpoint_reader(
    args: MachineLearningWorkspaceArgs, identity: pulumi.Input[str] | None
) -> pulumi.Input[str] | None:
    """The principal that gets Reader on the storage account's private endpoints in the stack's own network (the
    client virtual network), or None when the docs ask for none.

    MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md, "Azure Machine Learning
    studio": "If the workspace associated Azure storage account has public network access disabled, ensure the
    private endpoint created in the client virtual network is granted the Reader role to your workspace managed
    identity. This applies to both blog [sic: blob] and file storage private endpoints. The role isn't required for the
    private endpoint created by the managed virtual network." So: only with `private_endpoints` (the client
    network's endpoints, which this component creates for storage it creates), only when that storage has
    `publicNetworkAccess` `Disabled` (any letter case, as ARM reads it), and for the identity Azure ML uses (the
    primary user-assigned identity the component grants roles to, else the system-assigned one).
    """
    storage = args.get("storage") or {}
    if "private_endpoints" not in args or storage.get("existing_id") or identity is None:
        return None
    access = storage.get("public_network_access", "Enabled")
    return identity if isinstance(access, str) and access.lower() == "disabled" else None


def workspace_lock(args: MachineLearningWorkspaceArgs) -> LockArgs | None:
    """The AVM `lock` for the workspace itself: none when the workspace has a managed network.

    how-to-managed-network, "Limitations": "Make sure there are no scope locks on the Azure Machine Learning
    resources and resource group. Internal operations related to managed virtual network might be blocked."
    (MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md, commit d675e2ff). The data
    resources (storage, key vault, registry, datastore accounts) keep their own locks: they are not Azure
    Machine Learning resources, and each lock is scoped to its resource, not to the resource group.
    """
    lock = args.get("lock")
    if lock and lock.get("kind") != "None" and args.get("managed_network_isolation_mode", "Disabled") != "Disabled":
        return None
    return lock


def user_identity(
    parent: pulumi.Resource,
    logical: str,
    given_name: str | None,
    name_parts: list[str],
    *,
    rg: pulumi.Input[str],
    location: pulumi.Input[str] | None,
    tags: Mapping[str, str],
    protect: bool,
) -> managedidentity.UserAssignedIdentity:
    """A user-assigned identity the component creates (the workspace's own, the customer-managed key's): the
    given name, or `id-<parts>` by the naming rules; see `keep_earlier_name` for why a chosen name is ignored
    on update (a replaced identity breaks the workspace that uses it)."""
    return managedidentity.UserAssignedIdentity(
        logical,
        resource_name_=given_name or hyphenated_name(USER_ASSIGNED_IDENTITY, "id", name_parts),
        resource_group_name=rg,
        location=location,
        tags=tags,
        opts=child(parent, protect=protect, ignore_changes=keep_earlier_name(given_name, "resourceName")),
    )


def validate_workspace_args(args: MachineLearningWorkspaceArgs) -> list[PlannedDatastore]:
    """Everything this component would refuse, before anything is declared. Returns the datastores'
    plan (their accounts looked up), which the component declares from."""
    check_lock(COMPONENT, "lock", args.get("lock"))
    identity = args.get("identity_type", "SystemAssigned")
    if identity not in IDENTITY_TYPES:
        raise ComponentInputError(COMPONENT, "identity_type", identity, f"must be one of {', '.join(IDENTITY_TYPES)}")
    if "UserAssigned" in identity and not args.get("user_assigned_identity_ids"):
        raise ComponentInputError(
            COMPONENT, "user_assigned_identity_ids", None, f"required when identity_type is {identity}"
        )
    if identity == "UserAssigned" and not args.get("primary_user_assigned_identity"):
        raise ComponentInputError(
            COMPONENT, "primary_user_assigned_identity", None, "required when identity_type is UserAssigned"
        )
    access = workspace_public_network_access(args)
    if access not in ("Enabled", "Disabled"):
        raise ComponentInputError(COMPONENT, "public_network_access", access, "must be Enabled or Disabled")
    isolation = args.get("managed_network_isolation_mode", "Disabled")
    if isolation not in ISOLATION_MODES:
        raise ComponentInputError(
            COMPONENT, "managed_network_isolation_mode", isolation, f"must be one of {', '.join(ISOLATION_MODES)}"
        )
    check_name(COMPONENT, "workspace_name", ML_WORKSPACE, args.get("workspace_name"))
    tags = args.get("tags") or {}
    validate_storage_args(_nested(args.get("storage"), args, tags), COMPONENT)  # type: ignore[arg-type]
    vault = planned_vault(_nested(args.get("key_vault"), args, tags), COMPONENT)  # type: ignore[arg-type]
    validate_monitoring_args(_nested(args.get("monitoring"), args, tags), COMPONENT)  # type: ignore[arg-type]
    registry_access = None
    if "container_registry" in args:
        registry_args = _nested(args.get("container_registry"), args, tags)
        validate_registry_args(registry_args, COMPONENT)  # type: ignore[arg-type]
        registry_access = registry_public_network_access(registry_args, COMPONENT)  # type: ignore[arg-type]
    validate_compute_settings(COMPONENT, args.get("compute_instances", []), args.get("compute_clusters", []))
    cmk = args.get("customer_managed_key")
    if cmk is not None:
        if not cmk.get("key_name"):
            raise ComponentInputError(COMPONENT, "customer_managed_key.key_name", cmk.get("key_name"), "required")
        check_name(COMPONENT, "customer_managed_key.identity_name", USER_ASSIGNED_IDENTITY, cmk.get("identity_name"))
        check_deployer_principal_type(
            COMPONENT, "customer_managed_key.deployer_principal_type", cmk.get("deployer_principal_type")
        )
        if cmk.get("key_size", 3072) not in (2048, 3072, 4096):
            raise ComponentInputError(
                COMPONENT, "customer_managed_key.key_size", cmk.get("key_size"), "must be 2048, 3072 or 4096"
            )
        problems = cmk_vault_violations(
            enable_purge_protection=vault.enable_purge_protection, enable_soft_delete=vault.enable_soft_delete
        )
        if problems and not vault.known_later:  # else checked once the vault's ID is known (`checked_vault_id`)
            raise ComponentInputError(COMPONENT, "key_vault", vault.label, "; ".join(problems))
    validate_access(COMPONENT, args.get("access"))
    validate_workspace_identity(args)
    primary_identity_principal(args)
    has_registry = "container_registry" in args
    validate_image_builds(
        COMPONENT,
        image_builds_setting(args.get("image_builds"), has_registry),
        has_registry,
        "container_registry: created, shared or existing_id",
    )
    if args.get("diagnostics") is True and not has_log_analytics(args.get("monitoring")):
        raise ComponentInputError(
            COMPONENT,
            "diagnostics",
            True,
            "needs a Log Analytics workspace: set monitoring.existing_log_analytics_workspace_id",
        )
    validate_private_endpoints(
        COMPONENT,
        args.get("private_endpoints"),
        endpoint_targets(args, WORKSPACE_SECTIONS),
        args,
        extra_groups=["amlworkspace"],
    )
    validate_outbound_rules(COMPONENT, args.get("managed_network_outbound_rules") or {}, isolation)
    planned_datastores = validate_datastores(COMPONENT, args.get("datastores", []))
    environments = args.get("environments", [])
    private_registry = registry_access == "Disabled"
    validate_environments(COMPONENT, environments, "container_registry" in args, Path.cwd(), private_registry)
    computes = [c["name"] for c in [*args.get("compute_clusters", []), *args.get("compute_instances", [])]]
    validate_image_build_compute(COMPONENT, args.get("image_build_compute"), computes, environments, private_registry)
    rg, ws_name = args.get("resource_group_name"), args.get("workspace_name")
    if isinstance(rg, str) and isinstance(ws_name, str):
        refuse_immutable_changes(args, rg, ws_name)
    return planned_datastores


class MachineLearningWorkspace(pulumi.ComponentResource):
    """An Azure Machine Learning workspace with its storage, key vault, monitoring, optional registry and computes."""

    workspace_id: pulumi.Output[str]
    """Resource ID of the workspace."""
    workspace_name: pulumi.Output[str]
    """Name of the workspace."""
    principal_id: pulumi.Output[str]
    """Object ID of the workspace's system-assigned identity (empty for user-assigned only)."""
    storage_account_id: pulumi.Output[str]
    """Resource ID of the workspace's storage account."""
    key_vault_id: pulumi.Output[str]
    """Resource ID of the workspace's key vault."""
    application_insights_id: pulumi.Output[str]
    """Resource ID of the workspace's Application Insights."""
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
    cmk_identity_principal_id: pulumi.Output[Optional[str]]
    """Principal ID of the user-assigned identity that unwraps the customer-managed key (None without CMK)."""
    primary_identity_principal_id: pulumi.Output[Optional[str]]
    """Principal ID of the primary user-assigned identity (the one Azure ML reaches the workspace's resources with) when the component creates it or grants it roles; None otherwise."""

    def __init__(self, name: str, args: MachineLearningWorkspaceArgs, opts: Optional[pulumi.ResourceOptions] = None):
        planned_datastores = validate_workspace_args(args)
        super().__init__(token(COMPONENT), name, None, opts)
        tags = args.get("tags") or {}
        protect = args.get("protect_data", False)
        rg = args["resource_group_name"]
        location = args.get("location")
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        subscription_id, tenant_id = client.subscription_id, client.tenant_id

        monitor = WorkspaceMonitoring(f"{name}-monitoring", _nested(args.get("monitoring"), args, tags), child(self))  # type: ignore[arg-type]
        law_id = monitor.log_analytics_workspace_id
        diagnostics = args.get("diagnostics", True) and has_log_analytics(args.get("monitoring"))
        diag = {"diagnostics_workspace_id": law_id} if diagnostics else {}
        store = WorkspaceStorage(f"{name}-storage", {**_nested(args.get("storage"), args, tags), **diag}, child(self))  # type: ignore[arg-type]
        # Keys created through ARM need the deployer's data-plane role on the vault (Azure/bicep#6539).
        cmk_settings = args.get("customer_managed_key")
        deployer_type = (cmk_settings or {}).get("deployer_principal_type", "ServicePrincipal")
        deployer_grant = (
            {"grant_deployer_crypto_officer": True, "deployer_principal_type": deployer_type} if cmk_settings else {}
        )
        vault = WorkspaceKeyVault(
            f"{name}-keyvault", {**_nested(args.get("key_vault"), args, tags), **diag, **deployer_grant}, child(self)
        )  # type: ignore[arg-type]
        vault_id, vault_name, vault_group = vault.id, vault.vault_name, vault.resource_group_name
        if (
            "customer_managed_key" in args
            and planned_vault(_nested(args.get("key_vault"), args, tags), COMPONENT).known_later
        ):  # type: ignore[arg-type]
            # A vault known only later must pass the CMK rules before the key and the workspace use it.
            vault_id = checked_vault_id(vault.id, COMPONENT, for_cmk=True)
            vault_name, vault_group = vault_name_and_group(vault_id)
        registry = (
            WorkspaceContainerRegistry(
                f"{name}-registry", {**_nested(args.get("container_registry"), args, tags), **diag}, child(self)
            )  # type: ignore[arg-type]
            if "container_registry" in args
            else None
        )
        declare_accounts(
            self,
            name,
            planned_datastores,
            resource_group_name=rg,
            location=location,
            tags=tags,
            protect=protect,
            public_network_access=(args.get("storage") or {}).get("public_network_access", "Enabled"),
            lock=args.get("lock"),
        )

        identity_principal: pulumi.Input[str] | None = primary_identity_principal(args)
        primary_identity: pulumi.Input[str] | None = args.get("primary_user_assigned_identity")
        created_identity = args.get("workspace_identity")
        if created_identity is not None:
            # A workspace identity of its own, not the customer-managed key's: the docs allow either ("can be the same
            # or different as the workspace primary user assigned managed identity", how-to-identity-based-service-
            # authentication), and a separate one keeps the key's identity at Key Vault Crypto Service Encryption User
            # (least privilege; AVM's workspace module also takes the two apart: managedIdentities and customerManagedKey).
            workspace_identity = user_identity(
                self,
                f"{name}-mlw-id",
                created_identity.get("identity_name"),
                [name, "mlw"],
                rg=rg,
                location=location,
                tags=tags,
                protect=protect,
            )
            identity_principal, primary_identity = workspace_identity.principal_id, workspace_identity.id
        self.primary_identity_principal_id = pulumi.Output.from_input(identity_principal)
        identity_grants: list[pulumi.Resource] = []
        if identity_principal is not None:  # before the workspace: Azure ML reaches its resources with it at creation
            scopes = {
                "storage": store.id,
                "key_vault": vault.id,
                "application_insights": monitor.application_insights_id,
            }
            if registry is not None:
                scopes["container_registry"] = registry.id
            for section, scope in scopes.items():
                for suffix, guid in USER_ASSIGNED_GRANTS[section]:
                    identity_grants.append(
                        assign_role(
                            self,
                            f"{name}-identity-{suffix}",
                            scope=scope,
                            role=builtin_role(subscription_id, guid),
                            principal_id=identity_principal,
                            principal_type="ServicePrincipal",
                        )
                    )

        identity_type = args.get("identity_type", "SystemAssigned")
        user_identities: list[pulumi.Input[str]] = list(args.get("user_assigned_identity_ids") or [])
        if created_identity is not None:
            # AVM: primaryUserAssignedIdentity "may not be used if 'systemAssignedIdentity' is enabled"; PSRule
            # Azure.ML.UserManagedIdentity wants identity.type UserAssigned. A system-assigned one only on request.
            identity_type = "SystemAssigned,UserAssigned" if _identity_includes_system(args) else "UserAssigned"
            user_identities.insert(0, primary_identity)  # type: ignore[arg-type]
        encryption = None
        cmk_grant: list[pulumi.Resource] = []
        self.cmk_identity_principal_id = pulumi.Output.from_input(None)
        cmk = args.get("customer_managed_key")
        if cmk is not None:
            cmk_identity = user_identity(
                self,
                f"{name}-cmk-id",
                cmk.get("identity_name"),
                [name, "cmk"],
                rg=rg,
                location=location,
                tags=tags,
                protect=protect,
            )
            cmk_grant.append(
                assign_role(
                    self,
                    f"{name}-cmk-crypto",
                    scope=vault_id,
                    role=builtin_role(subscription_id, role_ids.KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER),
                    principal_id=cmk_identity.principal_id,
                    principal_type="ServicePrincipal",
                )
            )
            key_after: list[pulumi.Resource] = []
            existing_vault = (args.get("key_vault") or {}).get("existing_id")
            if isinstance(
                existing_vault, str
            ):  # a vault the stack does not create: the first workspace using it grants the deployer
                key_after.append(
                    cached(
                        f"deployer-crypto-officer|{existing_vault}",
                        lambda: assign_role(
                            self,
                            f"{name}-cmk-deployer-crypto-officer",
                            scope=existing_vault,
                            role=builtin_role(subscription_id, role_ids.KEY_VAULT_CRYPTO_OFFICER),
                            principal_id=client.object_id,
                            principal_type=deployer_type,
                        ),
                    )
                )
            key = keyvault.Key(
                f"{name}-cmk",
                key_name=cmk["key_name"],
                vault_name=vault_name,
                resource_group_name=vault_group,
                properties=keyvault.KeyPropertiesArgs(
                    kty="RSA",
                    key_size=cmk.get("key_size", 3072),
                    key_ops=["wrapKey", "unwrapKey", "encrypt", "decrypt"],
                ),
                tags=tags,
                opts=child(self, protect=protect, depends_on=key_after),
            )
            if "UserAssigned" not in identity_type:
                identity_type = f"{identity_type},UserAssigned"
            user_identities.append(cmk_identity.id)
            encryption = ml.EncryptionPropertyArgs(
                status="Enabled",
                identity=ml.IdentityForCmkArgs(user_assigned_identity=cmk_identity.id),
                key_vault_properties=ml.KeyVaultPropertiesArgs(
                    key_identifier=key.key_uri_with_version,
                    key_vault_arm_id=vault_id,
                    identity_client_id=cmk_identity.client_id,
                ),
            )
            self.cmk_identity_principal_id = cmk_identity.principal_id

        isolation = args.get("managed_network_isolation_mode")
        rules: dict[
            str, "ml.FqdnOutboundRuleArgs | ml.PrivateEndpointOutboundRuleArgs | ml.ServiceTagOutboundRuleArgs"
        ] = {k: outbound_rule_args(v) for k, v in (args.get("managed_network_outbound_rules") or {}).items()}
        if isolation == "AllowOnlyApprovedOutbound":
            for ds in planned_datastores:
                rules.setdefault(
                    f"datastore-{ds.settings['name'].lower()}",
                    outbound_rule_args(
                        {
                            "type": "PrivateEndpoint",
                            "service_resource_id": ds.account_id,
                            "subresource_target": ds.subresource,
                        }
                    ),
                )
        storage_args = args.get("storage") or {}
        shared_key = storage_args.get("allow_shared_key_access", False) and not storage_args.get("existing_id")
        workspace = ml.Workspace(
            f"{name}-mlw",
            workspace_name=args.get("workspace_name") or hyphenated_name(ML_WORKSPACE, "mlw", [name]),
            resource_group_name=rg,
            location=location,
            friendly_name=args.get("friendly_name"),
            description=args.get("description"),
            sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
            identity=ml.ManagedServiceIdentityArgs(
                type=identity_type,
                user_assigned_identities=user_identities or None,
            ),
            primary_user_assigned_identity=primary_identity,
            storage_account=store.id,
            key_vault=vault_id,
            application_insights=monitor.application_insights_id,
            container_registry=registry.id if registry else None,
            image_build_compute=args.get("image_build_compute"),
            public_network_access=workspace_public_network_access(args),
            hbi_workspace=args.get("hbi_workspace", False),
            encryption=encryption,
            managed_network=ml.ManagedNetworkSettingsArgs(isolation_mode=isolation, outbound_rules=rules or None)
            if isolation is not None
            else None,
            system_datastores_auth_mode="accessKey" if shared_key else "identity",
            v1_legacy_mode=False,
            tags=tags,
            opts=child(
                self,
                protect=protect,
                depends_on=[*cmk_grant, *identity_grants],
                ignore_changes=keep_earlier_name(args.get("workspace_name"), "workspaceName"),
            ),
        )
        if diagnostics:
            send_diagnostics(self, f"{name}-mlw-diag", workspace.id, law_id)  # type: ignore[arg-type]
        lock = workspace_lock(args)
        if lock is not args.get("lock"):
            pulumi.log.info(
                f"{COMPONENT} {name}: lock {args.get('lock')!r} applies to the data resources only, not to the workspace: with a "
                f"managed network (isolationMode {args.get('managed_network_isolation_mode')}) the Azure Machine Learning resources "
                f"must carry no scope locks, which might block the network's internal operations ({MANAGED_NETWORK_LOCKS_DOC})",
                resource=self,
            )
        lock_resource(self, f"{name}-mlw", workspace.id, lock)

        principal: pulumi.Output[str] | None = None
        if _identity_includes_system(args):
            principal = workspace.identity.apply(lambda i: (i.principal_id if i else None) or "")
        approvals: list[pulumi.Resource] = []
        if identity_principal is not None:
            # The computes below wait for it too: the first compute provisions the managed network, whose private
            # endpoint to the workspace itself this identity approves ("the required permissions are automatically
            # covered by the role assignments granted during workspace creation", how-to-managed-network, "Approval of
            # private endpoints"; for a user-assigned identity those are the grants here, and Contributor's actions `*`
            # include every action of Azure AI Enterprise Network Connection Approver: MicrosoftDocs/azure-docs
            # articles/role-based-access-control/built-in-roles/privileged.md and .../ai-machine-learning.md).
            approvals.append(
                assign_role(
                    self,
                    f"{name}-identity-workspace-contributor",
                    scope=workspace.id,
                    role=builtin_role(subscription_id, role_ids.CONTRIBUTOR),
                    principal_id=identity_principal,
                    principal_type="ServicePrincipal",
                )
            )
        approver = identity_principal if identity_principal is not None else principal  # the identity Azure ML uses
        if approver is not None:
            # Each datastore account is the target of a private endpoint rule (above, approved-outbound only), as
            # is each owned target of a rule marked `approve`; the computes below make Azure ML provision the
            # managed network, so they wait for the approvals.
            targets = [
                (f"datastore-{ds.settings['name'].lower().replace('_', '-')}", ds.account_id)
                for ds in planned_datastores
                if isolation == "AllowOnlyApprovedOutbound"
            ]
            # validate_outbound_rules requires service_resource_id on every PrivateEndpoint rule.
            targets += [
                (f"rule-{rule_name.lower()}", rule["service_resource_id"])
                for rule_name, rule in (args.get("managed_network_outbound_rules") or {}).items()
                if rule.get("type") == "PrivateEndpoint"
                and rule.get("approve")
                and isolation is not None
                and "service_resource_id" in rule
            ]
            approvals += grant_endpoint_approval(
                self, name, targets, subscription_id=subscription_id, principal_id=approver
            )
        access = args.get("access")
        if access:
            scientist_role = None
            if (
                access.get("data_scientists")
                and image_builds_setting(args.get("image_builds"), registry is not None) == "Disabled"
            ):
                role_name = f"amlws {args.get('workspace_name') or name} data scientist (no image builds)"
                scientist_role = no_image_build_role(
                    self, f"{name}-data-scientist-role", scope=workspace.id, role_name=role_name
                ).id
            grant_groups(
                self,
                f"{name}-access",
                scope=workspace.id,
                subscription_id=subscription_id,
                access=access,
                data_scientist_role=scientist_role,
            )

        endpoints = args.get("private_endpoints")
        if endpoints is not None:
            ids: dict[str, pulumi.Input[str]] = {"storage": store.id, "key_vault": vault.id}
            if registry is not None:
                ids["container_registry"] = registry.id
            targets = [("workspace", workspace.id, "mlw", "amlworkspace")]
            targets += [
                (section, ids[section], suffix, group)
                for section, suffix, group in endpoint_targets(args, WORKSPACE_SECTIONS)
            ]
            reader = storage_endpoint_reader(args, approver)
            for section, target, suffix, group in targets:
                endpoint = private_endpoint(
                    self,
                    f"{name}-pe-{suffix}",
                    target_id=target,
                    group=group,
                    settings=endpoints,
                    resource_group_name=rg,
                    location=location,
                    tags=tags,
                )
                if section == "storage" and reader is not None:
                    # Reader on the endpoint itself (the blob and the file endpoint) for the workspace identity, as
                    # `storage_endpoint_reader` quotes. It waits for the endpoint (its scope) and the identity (its
                    # principal); nothing in `pulumi up` needs it, the studio does once people use the workspace.
                    assign_role(
                        self,
                        f"{name}-pe-{suffix}-reader",
                        scope=endpoint.id,
                        role=builtin_role(subscription_id, role_ids.READER),
                        principal_id=reader,
                        principal_type="ServicePrincipal",
                    )

        compute_ids: dict[str, pulumi.Output[str]] = {}
        computes: dict[str, pulumi.Resource] = {}
        for ci in args.get("compute_instances", []):
            compute = ml.Compute(
                f"{name}-{ci['name']}",
                compute_name=ci["name"],
                resource_group_name=rg,
                workspace_name=workspace.name,
                location=location,
                identity=compute_instance_identity(ci),
                properties=compute_instance_properties(ci, tenant_id),
                tags=tags,
                opts=child(self, depends_on=approvals),
            )
            compute_ids[ci["name"]], computes[ci["name"]] = compute.id, compute
            note = idle_shutdown_identity_note(ci)
            if note:
                pulumi.log.warn(note, resource=compute)
        for cc in args.get("compute_clusters", []):
            compute = ml.Compute(
                f"{name}-{cc['name']}",
                compute_name=cc["name"],
                resource_group_name=rg,
                workspace_name=workspace.name,
                location=location,
                identity=compute_cluster_identity(cc),
                properties=compute_cluster_properties(cc),
                tags=tags,
                opts=child(self, depends_on=approvals),
            )
            compute_ids[cc["name"]], computes[cc["name"]] = compute.id, compute

        # Datastores are reached with the system-assigned identity when there is one, else with the primary
        # user-assigned identity (serviceDataAccessAuthIdentity WorkspaceUserAssignedIdentity).
        data_principal, data_auth = (
            (principal, "WorkspaceSystemAssignedIdentity")
            if principal is not None
            else (identity_principal, "WorkspaceUserAssignedIdentity")
        )
        datastore_ids = declare_datastores(
            self,
            name,
            planned_datastores,
            workspace=workspace,
            resource_group_name=rg,
            subscription_id=subscription_id,
            principal_id=data_principal,
            auth_identity=data_auth,
        )
        environment_ids = (
            declare_environments(
                self,
                name,
                args.get("environments", []),
                login_server=registry.login_server,
                workspace=workspace,
                resource_group_name=rg,
                base_dir=Path.cwd(),
                build_compute=[computes[c] for c in [args.get("image_build_compute")] if c in computes],
            )
            if registry is not None
            else {}
        )

        self.workspace_id = workspace.id
        self.workspace_name = workspace.name
        self.principal_id = workspace.identity.apply(lambda i: (i.principal_id if i else None) or "")
        self.storage_account_id = store.id
        self.key_vault_id = vault.id
        self.application_insights_id = monitor.application_insights_id
        self.log_analytics_workspace_id = law_id
        self.container_registry_id = registry.id if registry else pulumi.Output.from_input(None)
        self.compute_ids = pulumi.Output.all(**compute_ids) if compute_ids else pulumi.Output.from_input({})
        self.datastore_ids = pulumi.Output.all(**datastore_ids) if datastore_ids else pulumi.Output.from_input({})
        self.environment_version_ids = (
            pulumi.Output.all(**environment_ids) if environment_ids else pulumi.Output.from_input({})
        )
        self.register_outputs(
            {
                "workspace_id": self.workspace_id,
                "workspace_name": self.workspace_name,
                "principal_id": self.principal_id,
                "storage_account_id": self.storage_account_id,
                "key_vault_id": self.key_vault_id,
                "application_insights_id": self.application_insights_id,
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "container_registry_id": self.container_registry_id,
                "compute_ids": self.compute_ids,
                "datastore_ids": self.datastore_ids,
                "environment_version_ids": self.environment_version_ids,
                "cmk_identity_principal_id": self.cmk_identity_principal_id,
                "primary_identity_principal_id": self.primary_identity_principal_id,
            }
        )
