"""Associated resources several project workspaces of one environment share, and the Azure ML registry.

The docs allow one key vault, registry and Application Insights to serve several workspaces (and a
storage account, though sharing it mixes projects' data, so only where asked). Each is declared once
here, in its own resource group, and handed to every workspace as `existing_id=<this component's
output>` with `existing_facts`: what this component knows of the resource (a storage account's kind
and SKU, a vault's purge protection), so each workspace is held to its rules without a lookup.

The Azure ML registry shares models, environments and components across workspaces (and regions).
"""

from typing import Any, Literal, Mapping, NamedTuple, Optional, cast, overload

import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml

from amlws_rules import is_guid
from amlws_rules.roles import AZUREML_REGISTRY_USER

from . import defaults
from .schema import check_component_args
from ._common import ComponentInputError, child, inherited, token, unlocked
from .access import assign_role, builtin_role
from .key_vault import WorkspaceKeyVault, WorkspaceKeyVaultArgs, planned_vault, vault_facts
from .locks import check_lock, lock_resource
from .network import endpoint_targets, private_endpoint, validate_private_endpoints
from .monitoring import WorkspaceMonitoring, WorkspaceMonitoringArgs, has_log_analytics, validate_monitoring_args
from .key_vault_plan import VaultPlan, plan_key_vault
from .registry import (
    KNOWN_LATER,
    RegistryPlan,
    WorkspaceContainerRegistry,
    WorkspaceContainerRegistryArgs,
    plan_registry,
    registry_public_network_access,
    validate_registry_args,
)
from .storage_plan import StoragePlan, plan_storage
from .storage import WorkspaceStorage, WorkspaceStorageArgs, planned_storage, storage_facts

from .shared_args import MachineLearningRegistrySettings, SharedWorkspaceResourcesArgs

COMPONENT = "SharedWorkspaceResources"


@overload
def _section(
    args: SharedWorkspaceResourcesArgs, key: Literal["container_registry"]
) -> WorkspaceContainerRegistryArgs: ...
@overload
def _section(args: SharedWorkspaceResourcesArgs, key: Literal["key_vault"]) -> WorkspaceKeyVaultArgs: ...
@overload
def _section(args: SharedWorkspaceResourcesArgs, key: Literal["monitoring"]) -> WorkspaceMonitoringArgs: ...
@overload
def _section(args: SharedWorkspaceResourcesArgs, key: Literal["storage"]) -> WorkspaceStorageArgs: ...
def _section(args: SharedWorkspaceResourcesArgs, key: str) -> Any:
    """A section's Args, with this component's resource group, region, protection, lock and tags inherited.

    `inherited` merges plain mappings; the result holds exactly the keys of the section's own Args type
    (each section is a Workspace*Args, and the inherited keys are fields of every one; monitoring takes no
    `lock`, so it does not inherit the parent's), which the overloads state, so callers get the typed Args
    without a cast."""
    section = inherited(args.get(key), args, protect=args.get("protect", False), tags=args.get("tags"))
    return unlocked(section) if key == "monitoring" else section


class SharedSectionPlans(NamedTuple):
    """What checking the shared sections found: the component declares its children from it, unchecked again."""

    container_registry: RegistryPlan | None = None
    key_vault: VaultPlan | None = None
    storage: StoragePlan | None = None


def validate_shared_args(args: SharedWorkspaceResourcesArgs) -> SharedSectionPlans:
    check_lock(COMPONENT, "lock", args.get("lock"))
    acr = vault = store = None
    if "container_registry" in args:
        acr = plan_registry(_section(args, "container_registry"), COMPONENT)
    if "key_vault" in args:
        vault = plan_key_vault(_section(args, "key_vault"), COMPONENT)
    if "monitoring" in args:
        validate_monitoring_args(_section(args, "monitoring"), COMPONENT)
    if "storage" in args:
        store = plan_storage(_section(args, "storage"), COMPONENT)
    registry = args.get("ml_registry")
    if registry is not None:
        name = registry.get("registry_name", "")
        if not (3 <= len(name) <= 33 and name[0].isalnum() and all(c.isalnum() or c in "-_" for c in name)):
            raise ComponentInputError(
                COMPONENT,
                "ml_registry.registry_name",
                name,
                "3-33 letters, digits, '-' and '_', starting with a letter or digit",
            )
        for group in registry.get("user_group_object_ids", []):
            if not is_guid(group):
                raise ComponentInputError(
                    COMPONENT, "ml_registry.user_group_object_ids", group, "a Microsoft Entra group object ID is a GUID"
                )
    validate_private_endpoints(COMPONENT, args.get("private_endpoints"), endpoint_targets(args), args)
    return SharedSectionPlans(acr, vault, store)


def planned_workspace_sections(args: SharedWorkspaceResourcesArgs) -> dict[str, dict[str, Any]]:
    """What `workspace_sections` will hand each workspace, before anything exists (for a preflight).

    A resource brought by a string ID is handed on as that ID (looked up like any other). One this
    component will create is handed on as a stand-in Output with the facts its settings fix (a vault's
    purge protection, a storage account's kind and SKU), so each workspace is checked on the path the
    run takes.
    """
    sections: dict[str, dict[str, Any]] = {}
    if "container_registry" in args:
        registry = _section(args, "container_registry")
        existing = registry.get("existing_id")
        if isinstance(existing, str):
            sections["container_registry"] = {"existing_id": existing}
        else:
            login_server = validate_registry_args(registry, COMPONENT)
            facts = (
                None
                if login_server is KNOWN_LATER
                else {
                    "login_server": login_server or "<shared container_registry>.azurecr.io",
                    **_access_fact(registry_public_network_access(registry, COMPONENT)),
                }
            )
            sections["container_registry"] = _stand_in("container_registry", existing, facts)
    if "key_vault" in args:
        vault = _section(args, "key_vault")
        existing = vault.get("existing_id")
        sections["key_vault"] = (
            {"existing_id": existing}
            if isinstance(existing, str)
            else _stand_in("key_vault", existing, vault_facts(planned_vault(vault, COMPONENT)))
        )
    if "storage" in args:
        storage = _section(args, "storage")
        existing = storage.get("existing_id")
        sections["storage"] = (
            {"existing_id": existing}
            if isinstance(existing, str)
            else _stand_in("storage", existing, storage_facts(planned_storage(storage, COMPONENT)))
        )
    if "monitoring" in args:
        sections["monitoring"] = _monitoring_section(args.get("monitoring") or {}, {})
    return sections


def _access_fact(public_network_access: str | None) -> dict[str, str]:
    return {"public_network_access": public_network_access} if public_network_access is not None else {}


def _stand_in(key: str, existing: pulumi.Input[str] | None, facts: Any) -> dict[str, Any]:
    """A section this component declares (or brings as an Output), handed on before it exists."""
    return _handed_on(existing or pulumi.Output.from_input(f"<shared {key}>"), facts)


def _handed_on(resource_id: pulumi.Input[str], facts: Any) -> dict[str, Any]:
    return {"existing_id": resource_id, **({"existing_facts": facts} if facts is not None else {})}


def _monitoring_section(
    settings: Mapping[str, Any], declared: Mapping[str, pulumi.Input[Optional[str]]]
) -> dict[str, Any]:
    """Existing IDs as given (string IDs looked up by each workspace, Outputs checked when known), or
    the IDs of what this component declares (`declared`, stand-ins before it exists), vouched for."""
    section: dict[str, Any] = {}
    for key in ("existing_application_insights_id", "existing_log_analytics_workspace_id"):
        given = settings.get(key)
        if isinstance(given, str) and given:
            section[key] = given
        else:
            section[key] = declared.get(key) or given or pulumi.Output.from_input(f"<shared {key}>")
            section["existing_facts"] = {"exist": True}
    return section


class SharedWorkspaceResources(pulumi.ComponentResource):
    """Associated resources shared by the workspaces of one environment, plus an Azure ML registry."""

    container_registry_id: pulumi.Output[Optional[str]]
    """Resource ID of the shared container registry."""
    key_vault_id: pulumi.Output[Optional[str]]
    """Resource ID of the shared key vault."""
    application_insights_id: pulumi.Output[Optional[str]]
    """Resource ID of the shared Application Insights."""
    log_analytics_workspace_id: pulumi.Output[Optional[str]]
    """Resource ID of the shared Log Analytics workspace."""
    storage_account_id: pulumi.Output[Optional[str]]
    """Resource ID of the shared storage account."""
    ml_registry_id: pulumi.Output[Optional[str]]
    """Resource ID of the Azure ML registry."""

    def __init__(self, name: str, args: SharedWorkspaceResourcesArgs, opts: Optional[pulumi.ResourceOptions] = None):
        check_component_args(COMPONENT, name, args, SharedWorkspaceResourcesArgs)
        plans = validate_shared_args(args)  # each section checked once: the children are handed its plan
        super().__init__(token(COMPONENT), name, None, opts)
        none = pulumi.Output.from_input(None)
        self.registry: WorkspaceContainerRegistry | None = None
        self.vault: WorkspaceKeyVault | None = None
        self.monitor: WorkspaceMonitoring | None = None
        self.store: WorkspaceStorage | None = None
        logs_to: pulumi.Input[str] | None = None  # the shared Log Analytics workspace, when the resources log there
        self._monitoring_settings: Mapping[str, Any] = args.get("monitoring") or {}
        if "monitoring" in args:
            self.monitor = WorkspaceMonitoring(
                f"{name}-monitoring", _section(args, "monitoring"), child(self), validated=True
            )
            if args.get("diagnostics", True) and has_log_analytics(args.get("monitoring")):
                # has_log_analytics: this section creates the workspace, so its ID is a string, never None.
                logs_to = cast(pulumi.Output[str], self.monitor.log_analytics_workspace_id)
        if "container_registry" in args:
            registry_args = _section(args, "container_registry")
            if logs_to is not None:
                registry_args["diagnostics_workspace_id"] = logs_to
            self.registry = WorkspaceContainerRegistry(
                f"{name}-registry", registry_args, child(self), plan=plans.container_registry
            )
        if "key_vault" in args:
            vault_args = _section(args, "key_vault")
            if logs_to is not None:
                vault_args["diagnostics_workspace_id"] = logs_to
            self.vault = WorkspaceKeyVault(f"{name}-keyvault", vault_args, child(self), plan=plans.key_vault)
        if "storage" in args:
            storage_args = _section(args, "storage")
            if logs_to is not None:
                storage_args["diagnostics_workspace_id"] = logs_to
            self.store = WorkspaceStorage(f"{name}-storage", storage_args, child(self), plan=plans.storage)
        self.ml_registry_id = none
        registry_settings = args.get("ml_registry")
        if registry_settings is not None:
            self.ml_registry_id = self._ml_registry(name, args, registry_settings)
        endpoints = args.get("private_endpoints")
        if endpoints is not None:
            # The Azure ML registry's endpoint goes in the same subnet as the workspaces'
            # (how-to-registry-network-isolation).
            ids = {
                "container_registry": self.registry.id if self.registry else None,
                "key_vault": self.vault.id if self.vault else None,
                "storage": self.store.id if self.store else None,
                "ml_registry": self.ml_registry_id,
            }
            for section, suffix, group in endpoint_targets(args):
                private_endpoint(
                    self,
                    f"{name}-pe-{suffix}",
                    target_id=ids[section],
                    group=group,
                    settings=endpoints,
                    resource_group_name=args["resource_group_name"],
                    location=args.get("location"),
                    tags=args.get("tags") or {},
                )
        self.container_registry_id = self.registry.id if self.registry else none
        self.key_vault_id = self.vault.id if self.vault else none
        self.application_insights_id = self.monitor.application_insights_id if self.monitor else none
        self.log_analytics_workspace_id = self.monitor.log_analytics_workspace_id if self.monitor else none
        self.storage_account_id = self.store.id if self.store else none
        self.register_outputs(
            {
                "container_registry_id": self.container_registry_id,
                "key_vault_id": self.key_vault_id,
                "application_insights_id": self.application_insights_id,
                "log_analytics_workspace_id": self.log_analytics_workspace_id,
                "storage_account_id": self.storage_account_id,
                "ml_registry_id": self.ml_registry_id,
            }
        )

    def workspace_sections(self) -> dict[str, dict[str, Any]]:
        """The args sections that hand each workspace the shared resources: `existing_id` = the child's
        `id` Output, with `existing_facts` when this component knows them (else each workspace checks
        the resource once its ID is known)."""
        sections: dict[str, dict[str, Any]] = {}
        if self.registry is not None:
            login_server = self.registry.login_server
            facts = {"login_server": login_server, **_access_fact(self.registry.public_network_access)}
            sections["container_registry"] = _handed_on(self.registry.id, facts)
        if self.vault is not None:
            facts = self.vault.facts and {
                **self.vault.facts,
                "vault_name": self.vault.vault_name,
                "resource_group_name": self.vault.resource_group_name,
            }
            sections["key_vault"] = _handed_on(self.vault.id, facts)
        if self.store is not None:
            sections["storage"] = _handed_on(self.store.id, self.store.facts)
        if self.monitor is not None:
            sections["monitoring"] = _monitoring_section(
                self._monitoring_settings,
                {
                    "existing_application_insights_id": self.monitor.application_insights_id,
                    "existing_log_analytics_workspace_id": self.monitor.log_analytics_workspace_id,
                },
            )
        return sections

    def _ml_registry(
        self, name: str, args: SharedWorkspaceResourcesArgs, settings: MachineLearningRegistrySettings
    ) -> pulumi.Output[str]:
        locations = settings.get("locations") or ([args["location"]] if "location" in args else [])
        registry = ml.Registry(
            f"{name}-mlreg",
            registry_name=settings["registry_name"],
            resource_group_name=args["resource_group_name"],
            location=args.get("location"),
            identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
            sku=ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
            public_network_access=settings.get("public_network_access", defaults.ML_REGISTRY_PUBLIC_NETWORK_ACCESS),
            region_details=[
                ml.RegistryRegionArmDetailsArgs(
                    location=loc,
                    acr_details=[
                        ml.AcrDetailsArgs(
                            system_created_acr_account=ml.SystemCreatedAcrAccountArgs(acr_account_sku="Premium")
                        )
                    ],
                    storage_account_details=[
                        ml.StorageAccountDetailsArgs(
                            system_created_storage_account=ml.SystemCreatedStorageAccountArgs(
                                storage_account_type="Standard_LRS",
                                storage_account_hns_enabled=False,
                                allow_blob_public_access=False,
                            )
                        )
                    ],
                )
                for loc in locations
            ],
            tags=args.get("tags"),
            opts=child(self, protect=args.get("protect", False)),
        )
        subscription_id = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self)
        ).subscription_id
        for group in settings.get("user_group_object_ids", []):
            assign_role(
                self,
                f"{name}-mlreg-user-{group[:8]}",
                scope=registry.id,
                role=builtin_role(subscription_id, AZUREML_REGISTRY_USER),
                principal_id=group,
                principal_type="Group",
            )
        lock_resource(self, f"{name}-mlreg", registry.id, args.get("lock"))
        return registry.id
