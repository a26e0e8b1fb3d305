"""The `declare_*` steps of MachineLearningWorkspace other than its associated resources (workspace_associated.py),
identity, encryption and network: each reads its piece of the `WorkspacePlan`, declares under `parent` and returns
what it made."""

from typing import Any, Mapping, Sequence

import pulumi
from pulumi_azure_native import machinelearningservices as ml

from ._common import child, keep_earlier_name
from .access import grant_groups
from .compute import (
    compute_cluster_identity,
    compute_cluster_properties,
    compute_instance_identity,
    compute_instance_properties,
)
from .compute_features import idle_shutdown_identity_note, serverless_compute_settings

from .connections import ConnectionsPlan, declare_connections
from .datastore import DatastoreAccount, declare_datastores
from .diagnostics import declare_diagnostic_settings, send_diagnostics
from .encryption import DeclaredEncryption
from .declaring import Declaring
from .identity import DeclaredIdentity, WorkspacePrincipals
from .environment import declare_environments
from .image_builds import no_image_build_role
from .locks import lock_resource
from .outbound import managed_network
from .workspace_plan import (
    AccessPlan,
    ComputePlan,
    EnvironmentPlan,
    WorkspacePlan,
)
from .workspace_associated import Associated, Grants

from ._common import WORKSPACE_COMPONENT as COMPONENT

MANAGED_NETWORK_LOCKS_DOC = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations"


def declare_computes(
    plan: ComputePlan, at: Declaring, *, workspace: ml.Workspace, after: Sequence[pulumi.Resource]
) -> dict[str, ml.Compute]:
    """Compute instances, then clusters, by compute name; they wait for `after` (the managed network's
    approvals: the first compute provisions it)."""
    computes: dict[str, ml.Compute] = {}
    for ci in plan.instances:
        computes[ci["name"]] = ml.Compute(
            f"{at.name}-{ci['name']}",
            compute_name=ci["name"],
            resource_group_name=at.rg,
            workspace_name=workspace.name,
            location=at.location,
            identity=compute_instance_identity(ci),
            properties=compute_instance_properties(ci, at.tenant_id),
            tags=at.tags,
            opts=child(at.parent, depends_on=list(after)),
        )
        note = idle_shutdown_identity_note(ci)
        if note:
            pulumi.log.warn(note, resource=computes[ci["name"]])
    for cc in plan.clusters:
        computes[cc["name"]] = ml.Compute(
            f"{at.name}-{cc['name']}",
            compute_name=cc["name"],
            resource_group_name=at.rg,
            workspace_name=workspace.name,
            location=at.location,
            identity=compute_cluster_identity(cc),
            properties=compute_cluster_properties(cc),
            tags=at.tags,
            opts=child(at.parent, depends_on=list(after)),
        )
    return computes


def declare_access(plan: AccessPlan, at: Declaring, *, workspace_id: pulumi.Input[str]) -> list[pulumi.Resource]:
    """Group role assignments on the workspace (AzureML Data Scientist replaced by the role without image
    builds when they are turned off)."""
    if plan.settings is None:
        return []
    scientist_role = None
    if plan.data_scientist_role_name is not None:
        scientist_role = no_image_build_role(
            at.parent, f"{at.name}-data-scientist-role", scope=workspace_id, role_name=plan.data_scientist_role_name
        ).id
    return grant_groups(
        at.parent,
        f"{at.name}-access",
        scope=workspace_id,
        subscription_id=at.subscription_id,
        access=plan.settings,
        data_scientist_role=scientist_role,
    )


def declare_workspace(
    plan: WorkspacePlan,
    parent: pulumi.Resource,
    parts: Associated,
    *,
    identity: DeclaredIdentity,
    encryption: DeclaredEncryption | None,
) -> ml.Workspace:
    """The workspace itself, after the grants its identities need at creation. `identity.userAssignedIdentities`:
    the created primary identity first, then the ones the user brings, then the customer-managed key's. A Project
    sends `hubResourceId` and none of what its hub decides for it (associated resources, network, encryption,
    system datastores: kinds.py)."""
    names, network, kind = plan.names, plan.network, plan.kind
    project = kind.is_project
    user_identities: list[pulumi.Input[str]] = list(plan.identity.user_assigned_identity_ids)
    if identity.created_id is not None:
        user_identities.insert(0, identity.created_id)
    brought = {i.lower() for i in plan.identity.user_assigned_identity_ids if isinstance(i, str)}
    key_identity = plan.encryption.existing_identity if plan.encryption else None
    if encryption is not None and (key_identity is None or key_identity.id.lower() not in brought):
        user_identities.append(encryption.identity_id)  # AVM: the union of both lists
    return ml.Workspace(
        f"{names.name}-mlw",
        workspace_name=names.workspace_name,
        resource_group_name=names.resource_group_name,
        location=names.location,
        friendly_name=plan.friendly_name,
        description=plan.description,
        sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
        identity=ml.ManagedServiceIdentityArgs(
            type=plan.identity.type, user_assigned_identities=user_identities or None
        ),
        primary_user_assigned_identity=identity.primary,
        kind=kind.sent_kind,
        hub_resource_id=kind.hub_resource_id,
        feature_store_settings=kind.feature_store_settings(),
        workspace_hub_config=kind.workspace_hub_config(),
        storage_account=parts.storage.id if parts.storage else None,
        key_vault=parts.vault.id if parts.vault else None,
        application_insights=parts.monitoring.application_insights_id if parts.monitoring else None,
        container_registry=parts.registry.id if parts.registry else None,
        image_build_compute=plan.environments.image_build_compute,
        public_network_access=None if project else network.public_network_access,
        hbi_workspace=plan.hbi_workspace,
        encryption=encryption.encryption if encryption is not None else None,
        managed_network=None if project else managed_network(network, parts.datastores),
        provision_network_now=network.provision_network_now,
        serverless_compute_settings=serverless_compute_settings(plan.compute.serverless),
        system_datastores_auth_mode=None if plan.storage is None else plan.storage.auth_mode,
        v1_legacy_mode=False,
        tags=names.tags,
        opts=child(
            parent,
            protect=names.protect,
            depends_on=[*(encryption.grants if encryption else ()), *identity.grants],
            ignore_changes=keep_earlier_name(names.given_workspace_name, "workspaceName"),
        ),
    )


def declare_workspace_guards(
    plan: WorkspacePlan,
    parent: pulumi.Resource,
    workspace: ml.Workspace,
    law_id: Any,
    subscription_id: pulumi.Input[str] | None = None,
) -> None:
    """The workspace's diagnostic setting, its `role_assignments` and its lock (none with a managed network, which
    the info message says)."""
    name = plan.names.name
    if plan.role_assignments.workspace and subscription_id is not None:
        Grants(plan.role_assignments.workspace, subscription_id).declare(parent, f"{name}-mlw", workspace.id)
    if plan.diagnostic_settings:
        declare_diagnostic_settings(parent, f"{name}-mlw-diag", workspace.id, plan.diagnostic_settings)
    elif plan.diagnostics:
        send_diagnostics(parent, f"{name}-mlw-diag", workspace.id, law_id)
    if plan.lock.workspace is not plan.lock.data:
        pulumi.log.info(
            f"{COMPONENT} {name}: lock {plan.lock.data!r} applies to the data resources only, not to the workspace: "
            f"with a managed network (isolationMode {plan.network.isolation_mode}) the Azure Machine Learning "
            f"resources must carry no scope locks, which might block the network's internal operations "
            f"({MANAGED_NETWORK_LOCKS_DOC})",
            resource=parent,
        )
    lock_resource(parent, f"{name}-mlw", workspace.id, plan.lock.workspace)


def declare_workspace_datastores(
    at: Declaring, accounts: Sequence[DatastoreAccount], workspace: ml.Workspace, principals: WorkspacePrincipals
) -> dict[str, pulumi.Output[str]]:
    """Identity-based datastores on the declared accounts, reached with `principals.data_access`."""
    principal, auth = principals.data_access
    return declare_datastores(
        at.parent,
        at.name,
        list(accounts),
        workspace=workspace,
        resource_group_name=at.rg,
        subscription_id=at.subscription_id,
        principal_id=principal,
        auth_identity=auth,
    )


def declare_workspace_connections(
    plan: ConnectionsPlan, at: Declaring, workspace: ml.Workspace, principals: WorkspacePrincipals
) -> dict[str, pulumi.Output[str]]:
    """Connections, keyless ones granted to the identity the workspace reaches data with (as its datastores)."""
    return declare_connections(
        plan,
        at.parent,
        name=at.name,
        workspace_name=workspace.name,
        resource_group_name=at.rg,
        subscription_id=at.subscription_id,
        principal_id=principals.data_access[0],
    ).ids


def declare_workspace_environments(
    plan: EnvironmentPlan,
    at: Declaring,
    parts: Associated,
    workspace: ml.Workspace,
    computes: Mapping[str, pulumi.Resource],
) -> dict[str, pulumi.Output[str]]:
    """Environment versions, pushed to the workspace's registry (none without one); Azure ML builds wait for the
    compute that builds them."""
    if parts.registry is None:
        return {}
    return declare_environments(
        at.parent,
        at.name,
        list(plan.environments),
        login_server=parts.registry.login_server,
        workspace=workspace,
        resource_group_name=at.rg,
        base_dir=plan.base_dir,
        build_compute=[computes[c] for c in [plan.image_build_compute] if c is not None and c in computes],
    )
