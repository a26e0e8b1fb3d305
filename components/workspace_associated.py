"""The associated resources of MachineLearningWorkspace (storage, key vault, monitoring, container registry):
each `declare_*` reads its section of the `WorkspacePlan`, declares under `parent` and returns what it made;
`declare_associated` is the step the constructor calls."""

from typing import Any, Mapping, NamedTuple, Sequence, TypeVar, cast

import pulumi

from ._common import child

from .datastore import DatastoreAccount, declare_accounts
from .encryption import VaultRef
from .key_vault import WorkspaceKeyVault, checked_vault_id, vault_name_and_group
from .key_vault_plan import WorkspaceKeyVaultArgs
from .monitoring import WorkspaceMonitoring
from .registry import WorkspaceContainerRegistry, WorkspaceContainerRegistryArgs
from .role_assignments import PlannedRoleAssignment, declare_role_assignments
from .storage import DEFAULT_PUBLIC_NETWORK_ACCESS as STORAGE_PUBLIC_NETWORK_ACCESS
from .storage import WorkspaceStorage
from .storage_plan import WorkspaceStorageArgs
from .workspace_plan import (
    RegistrySection,
    StorageSection,
    VaultSection,
    WorkspacePlan,
)

from ._common import WORKSPACE_COMPONENT as COMPONENT


class Associated(NamedTuple):
    """The workspace's associated resources as declared (created, or brought by ID); a Project has none of its
    own (its hub's serve it), only its datastores' accounts."""

    monitoring: WorkspaceMonitoring | None
    storage: WorkspaceStorage | None
    key_vault: WorkspaceKeyVault | None
    vault: VaultRef | None
    """Where a customer-managed key goes (the vault's ID checked for CMK when it is known only later)."""
    registry: WorkspaceContainerRegistry | None
    datastores: tuple[DatastoreAccount, ...]

    def identity_scopes(self) -> dict[str, pulumi.Input[str]]:
        """The resources a user-assigned primary identity is granted roles on, by section."""
        scopes: dict[str, pulumi.Input[str]] = {}
        if self.storage is not None and self.key_vault is not None and self.monitoring is not None:
            scopes["storage"] = self.storage.id
            scopes["key_vault"] = self.key_vault.id
            scopes["application_insights"] = self.monitoring.application_insights_id
        if self.registry is not None:
            scopes["container_registry"] = self.registry.id
        return scopes

    def endpoint_ids(self, workspace_id: pulumi.Input[str]) -> dict[str, pulumi.Input[str]]:
        """The private endpoints' targets, by section."""
        ids: dict[str, pulumi.Input[str]] = {"workspace": workspace_id}
        if self.storage is not None and self.key_vault is not None:
            ids["storage"] = self.storage.id
            ids["key_vault"] = self.key_vault.id
        if self.registry is not None:
            ids["container_registry"] = self.registry.id
        return ids


class Grants(NamedTuple):
    """AVM `role_assignments` for one resource: declared beside it, children of the workspace component."""

    planned: Sequence[PlannedRoleAssignment]
    subscription_id: pulumi.Input[str]

    def declare(self, parent: pulumi.Resource, name: str, scope: pulumi.Input[str]) -> list[pulumi.Resource]:
        return declare_role_assignments(self.planned, parent, name, scope=scope, subscription_id=self.subscription_id)


SectionArgs = TypeVar("SectionArgs", WorkspaceStorageArgs, WorkspaceKeyVaultArgs, WorkspaceContainerRegistryArgs)


def with_extras(args: SectionArgs, *extras: Mapping[str, Any]) -> SectionArgs:
    """A planned section's Args with the keys the workspace adds (its diagnostics, the deployer's grant): fields
    of the same Args, so the result is that Args (a dict merge loses the TypedDict to the type checker)."""
    merged: dict[str, Any] = dict(args)
    for extra in extras:
        merged.update(extra)
    return cast(SectionArgs, merged)


def declare_storage(
    section: StorageSection, parent: pulumi.Resource, name: str, diag: Mapping[str, Any], grants: Grants | None = None
) -> WorkspaceStorage:
    storage = WorkspaceStorage(f"{name}-storage", with_extras(section.args, diag), child(parent), plan=section.plan)
    if grants is not None:
        grants.declare(parent, f"{name}-storage", storage.id)
    return storage


def declare_key_vault(
    section: VaultSection,
    parent: pulumi.Resource,
    name: str,
    diag: Mapping[str, Any],
    *,
    deployer_grant: Mapping[str, Any],
    for_cmk: bool,
    grants: Grants | None = None,
) -> tuple[WorkspaceKeyVault, VaultRef]:
    """The vault, and where a customer-managed key goes: a vault known only later must pass the CMK rules
    before the key and the workspace use it (`checked_vault_id`)."""
    vault = WorkspaceKeyVault(
        f"{name}-keyvault", with_extras(section.args, diag, deployer_grant), child(parent), plan=section.plan
    )
    if grants is not None:
        grants.declare(parent, f"{name}-keyvault", vault.id)
    if for_cmk and section.facts.known_later:
        vault_id = checked_vault_id(vault.id, COMPONENT, for_cmk=True)
        vault_name, vault_group = vault_name_and_group(vault_id)
        return vault, VaultRef(vault_id, vault_name, vault_group)
    return vault, VaultRef(vault.id, vault.vault_name, vault.resource_group_name)


def declare_registry(
    section: RegistrySection | None,
    parent: pulumi.Resource,
    name: str,
    diag: Mapping[str, Any],
    grants: Grants | None = None,
) -> WorkspaceContainerRegistry | None:
    if section is None:
        return None
    registry = WorkspaceContainerRegistry(
        f"{name}-registry", with_extras(section.args, diag), child(parent), plan=section.plan
    )
    if grants is not None:
        grants.declare(parent, f"{name}-registry", registry.id)
    return registry


def declare_associated(
    plan: WorkspacePlan, parent: pulumi.Resource, subscription_id: pulumi.Input[str] | None = None
) -> Associated:
    """Monitoring, storage, key vault, registry and the datastores' accounts, each with its `role_assignments`
    (in `subscription_id`, the deploying client's): nothing here depends on the workspace, so the workspace (and
    a managed network's outbound rules) can point at them."""
    name, names = plan.names.name, plan.names
    monitoring = storage = vault = vault_ref = registry = None
    roles = plan.role_assignments

    def grants(planned: Sequence[PlannedRoleAssignment]) -> Grants | None:
        return Grants(planned, subscription_id) if planned and subscription_id is not None else None

    if plan.monitoring is not None and plan.storage is not None and plan.key_vault is not None:  # not a Project
        monitoring = WorkspaceMonitoring(f"{name}-monitoring", plan.monitoring, child(parent), validated=True)
        monitoring_grants = grants(roles.monitoring)
        if monitoring_grants is not None:
            monitoring_grants.declare(parent, f"{name}-monitoring", monitoring.application_insights_id)
        diag = {"diagnostics_workspace_id": monitoring.log_analytics_workspace_id} if plan.diagnostics else {}
        storage = declare_storage(plan.storage, parent, name, diag, grants(roles.storage))
        # Keys created through ARM need the deployer's data-plane role on the vault (Azure/bicep#6539).
        cmk = plan.encryption
        grant = (
            {"grant_deployer_crypto_officer": True, "deployer_principal_type": cmk.deployer_principal_type}
            if cmk
            else {}
        )
        vault, vault_ref = declare_key_vault(
            plan.key_vault, parent, name, diag, deployer_grant=grant, for_cmk=bool(cmk), grants=grants(roles.key_vault)
        )
        registry = declare_registry(plan.registry, parent, name, diag, grants(roles.container_registry))
    accounts = declare_accounts(
        parent,
        name,
        list(plan.datastores),
        resource_group_name=names.resource_group_name,
        location=names.location,
        tags=names.tags,
        protect=names.protect,
        public_network_access=(
            plan.storage.args.get("public_network_access", STORAGE_PUBLIC_NETWORK_ACCESS)
            if plan.storage
            else STORAGE_PUBLIC_NETWORK_ACCESS
        ),
        lock=plan.lock.data,
    )
    return Associated(monitoring, storage, vault, vault_ref, registry, tuple(accounts))
