"""An Azure ML workspace together with everything it needs, as one component: the recipe (its inputs, the Args
TypedDicts, are in workspace_args.py and re-exported here).

Plan, then declare: `plan_workspace` (workspace_plan.py) checks everything the component will be asked to create
or use (including the lookups of existing resources) and returns a frozen plan, so a bad input fails before the
component or any child is declared; the `declare_*` steps (workspace_parts.py, identity.py, encryption.py,
outbound.py) each read their piece of it.
"""

from typing import Mapping, Optional, cast

import pulumi

from .schema import check_component_args
from ._common import ComponentInputError, token
from .datastore import PlannedDatastore
from .declaring import Declaring
from .encryption import DeclaredEncryption, VaultRef, declare_encryption, deployer_crypto_officer
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
from .kinds import FeatureStoreSettings, WorkspaceHubConfigSettings, warn_open_hub
from .outbound import (
    ISOLATION_MODES,
    WORKSPACE_SECTIONS,
    declare_approvals,
    declare_private_endpoints,
    storage_endpoint_reader,
    workspace_public_network_access,
)
from .workspace_args import CustomerManagedKeySettings, MachineLearningWorkspaceArgs, WorkspaceIdentitySettings
from .workspace_associated import declare_associated
from .workspace_parts import (
    MANAGED_NETWORK_LOCKS_DOC,
    declare_access,
    declare_computes,
    declare_workspace,
    declare_workspace_connections,
    declare_workspace_datastores,
    declare_workspace_environments,
    declare_workspace_guards,
)
from .workspace_plan import WorkspacePlan, plan_workspace, refuse_immutable_changes, workspace_lock

from ._common import WORKSPACE_COMPONENT as COMPONENT

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
