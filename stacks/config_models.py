"""The stack's own models: what only a stack file says (projects, budgets, the shared resource group, the
self-serve zone, the network) around the sections derived from the component Args (config_sections).
The budget lives in config_budget, the network in config_network, the shared resources and the self-serve zone in
config_shared; stacks/config.py offers every model."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel

from amlws_rules import arm, naming
from amlws_rules.tags import tag_set_problems

from amlws.components.workspace import MachineLearningWorkspaceArgs

from .config_base import (
    ArgsSection,
    DUMPED_ON_ITS_OWN,
    args_section,
    COST_TAGS,
    Access,
    IsolationMode,
    StackModel,
    Tags,
    arm_id_check,
    enum_check,
    name_check,
    region,
    tag_problems,
)
from .config_access import AccessConfig, RoleAssignmentConfig
from .config_budget import BudgetConfig
from .config_shared import (
    SelfServeConfig,
    SharedConfig,
)
from .config_network import (
    NetworkConfig,
    OutboundRuleConfig,
    PrivateEndpointsConfig,
)
from .config_sections import (
    ComputeClusterConfig,
    ComputeInstanceConfig,
    ContainerRegistryConfig,
    ServerlessComputeConfig,
    CustomerManagedKeyConfig,
    ConnectionConfig,
    DatastoreConfig,
    DiagnosticSettingConfig,
    EnvironmentConfig,
    FeatureStoreConfig,
    KeyVaultConfig,
    MonitoringConfig,
    StorageConfig,
    WorkspaceHubConfigConfig,
    WorkspaceIdentityConfig,
)


class WorkspaceStackFields(ArgsSection):
    """What only a stack file says about a workspace, before the fields derived from its Args."""

    project: str = Field(pattern=r"^[a-z][a-z0-9-]{1,20}$")
    """The project the workspace serves: 2-21 lowercase letters, digits and hyphens, starting with a letter. It
    names the workspace and its resources and is the `project` cost tag."""
    hub: Optional[str] = Field(
        None, description="a Project's hub: the `project` of a Hub workspace of this stack (stacks/kinds.py)"
    )


class WorkspaceConfig(
    args_section(
        MachineLearningWorkspaceArgs,
        base=WorkspaceStackFields,
        # The stack's region, lock and protection; the grants stay on (the component's default).
        # `name_suffix`: the stack's amlws:nameSuffix names its workspaces and vaults (stacks/names.py).
        # A list under `diagnostics` is the component's `diagnostic_settings` (workspace_args.workspace_body).
        omit=(
            "location",
            "lock",
            "protect_data",
            "grant_workspace_identity_data_roles",
            "name_suffix",
            "diagnostic_settings",
        ),
        types={
            "resource_group_name": Optional[str],  # default rg-<project>-<environment>, created by the stack
            "public_network_access": Access,  # the component decides: off when isolated
            "managed_network_isolation_mode": IsolationMode,
            "managed_network_firewall_sku": Literal["Basic", "Standard"],  # AllowOnlyApprovedOutbound only
            # true/false as before, or the workspace's own settings in the AVM `diagnosticSettings` shape
            "diagnostics": bool | list[DiagnosticSettingConfig],
            "identity_type": Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"],
            # after the keys it may not stand beside (checked below)
            "workspace_identity": WorkspaceIdentityConfig,
            "storage": StorageConfig,
            "key_vault": KeyVaultConfig,
            "monitoring": MonitoringConfig,
            "container_registry": ContainerRegistryConfig,
            "compute_instances": list[ComputeInstanceConfig],
            "compute_clusters": list[ComputeClusterConfig],
            "serverless_compute": ServerlessComputeConfig,
            "access": AccessConfig,
            "customer_managed_key": CustomerManagedKeyConfig,
            "role_assignments": list[RoleAssignmentConfig],
            "private_endpoints": PrivateEndpointsConfig,  # resolved to a subnet ID and the stack's DNS zones
            "managed_network_outbound_rules": dict[str, OutboundRuleConfig],
            "datastores": list[DatastoreConfig],
            "connections": list[ConnectionConfig],
            "environments": list[EnvironmentConfig],
            "image_builds": Literal["Allowed", "Disabled"],  # the component decides: allowed exactly with a registry
            "tags": Tags,  # each name and value within Azure's limits (amlws_rules.tags)
            "kind": Literal["Default", "Hub", "Project", "FeatureStore"],  # left out: Default, and no `kind` is sent
            "hub_resource_id": str,  # a Project's hub by resource ID (a hub outside this stack)
            "diagnostics_workspace_id": str,  # with `hub`, the hub's Log Analytics workspace (stacks/workspace_args.py)
            "feature_store": FeatureStoreConfig,
            "workspace_hub_config": WorkspaceHubConfigConfig,
        },
        # Present even when left out: the stack names the resources of every section it creates.
        defaults={
            "resource_group_name": None,
            "storage": StorageConfig(),
            "key_vault": KeyVaultConfig(),
            "monitoring": MonitoringConfig(),
            "compute_instances": [],
            "compute_clusters": [],
            "tags": {},
            "managed_network_outbound_rules": {},
            "datastores": [],
            "environments": [],
        },
    )
):
    """One project's workspace (the docs recommend a workspace per project)."""

    model_config = DUMPED_ON_ITS_OWN  # workspace_args.workspace_body

    budget: Optional[BudgetConfig] = None
    """A monthly budget with alerts on the project's resource group (stack-only: no component input)."""

    _check_name = name_check(naming.ML_WORKSPACE, "workspace_name")
    _check_auth_mode = enum_check(("AccessKey", "Identity", "UserDelegationSAS"), "system_datastores_auth_mode")
    _check_identities = arm_id_check(
        arm.USER_ASSIGNED_IDENTITY, "user_assigned_identity_ids", "primary_user_assigned_identity"
    )

    @field_validator("workspace_identity")
    @classmethod
    def _identity_alone(cls, value: Any, info: ValidationInfo) -> Any:
        """workspaceIdentity creates the primary identity and sets identity.type: an existing primary identity or an
        explicit type beside it would contradict it (both are declared before it, so they are in `info.data`)."""
        given = [
            to_camel(k) for k in ("primary_user_assigned_identity", "identity_type") if info.data.get(k) is not None
        ]
        if value is not None and given:
            raise ValueError(
                f"not beside {' and '.join(given)}: workspaceIdentity creates the primary identity and sets "
                "identity.type "
                "(UserAssigned, or SystemAssigned,UserAssigned with systemAssigned: true); remove one of them"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _no_cost_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        problems = tag_problems(tags, COST_TAGS)
        if problems:
            raise ValueError("; ".join(problems))
        return tags

    @model_validator(mode="after")
    def _unique_compute_names(self) -> "WorkspaceConfig":
        names = [c.name.lower() for c in [*self.compute_instances, *self.compute_clusters]]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"compute names must be unique in a workspace: {', '.join(duplicates)}")
        return self


class StackConfig(StackModel):
    """Everything under the `amlws:` namespace of a stack file."""

    environment: str = Field(pattern=r"^[a-z][a-z0-9]{1,9}$")
    """The environment: 2-10 lowercase letters and digits, starting with a letter. It names resources and is the
    `environment` cost tag."""
    name_seed: Optional[str] = Field(None, min_length=1, max_length=64)
    """Hashed into the suffix of every globally unique name (empty by default): set it (say, to a subscription
    ID) so that two stacks of one project and environment get different names (docs/guide.md)."""
    name_suffix: Optional[str] = Field(
        None,
        pattern=naming.NAME_SUFFIX_PATTERN,
        description="appended to workspace and key vault names, which a deletion blocks (docs/soft-delete.md)",
    )
    allow_unlisted_location: bool = False
    """Accept a `location` newer than the regions amlws_rules/azure_values.py knows."""
    location_differs_from_provider: bool = False
    """true: `location` differs from the provider's `azure-native:location` on purpose (else refused: most often a
    stack file copied from another region)."""
    deployer_principal_type: Literal["ServicePrincipal", "User"] = "ServicePrincipal"
    """Who runs `pulumi up`: the principal type of the deployer's key grant on a customer-managed key's vault."""
    location: str = Field(min_length=2)
    """The Azure region of every resource of the stack."""
    tags: Tags
    """Tags on every taggable resource; an `owner` tag is required (cost allocation)."""
    protect: bool = False
    """Protect resource groups and data resources from deletion and put a `CanNotDelete` lock on the data
    resources (docs/guide.md, "Isolation and encryption")."""
    shared: Optional[SharedConfig] = None
    """Associated resources every workspace of the stack shares."""
    network: Optional[NetworkConfig] = None
    """The virtual network for private endpoints."""
    self_serve: Optional[SelfServeConfig] = None
    """A self-serve zone where named groups create their own workspaces."""
    workspaces: list[WorkspaceConfig] = Field(min_length=1)
    """The workspaces, one per project."""

    @model_validator(mode="after")
    def _unique_projects(self) -> "StackConfig":
        projects = [w.project for w in self.workspaces]
        duplicates = sorted({p for p in projects if projects.count(p) > 1})
        if duplicates:
            raise ValueError(f"each project may have one workspace per stack: {', '.join(duplicates)}")
        return self

    @field_validator("tags")
    @classmethod
    def _cost_allocation_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        if not any(name.lower() == "owner" and value for name, value in tags.items()):  # tag names: any case
            raise ValueError(
                "an owner tag is required: every resource carries project, environment and owner for cost allocation"
            )
        problems = tag_problems(tags, (*COST_TAGS, "managed-by"))
        if problems:
            raise ValueError("; ".join(problems))
        return tags

    @field_validator("location")
    @classmethod
    def _known_region(cls, value: str, info: ValidationInfo) -> str:
        return value if info.data.get("allow_unlisted_location") else region(value)

    @model_validator(mode="after")
    def _shared_or_own(self) -> "StackConfig":
        """A workspace may not also configure a resource the stack shares: which one would win is a guess."""
        if self.shared is None:
            return self
        problems = []
        for i, workspace in enumerate(self.workspaces):
            for field, key in (
                ("container_registry", "containerRegistry"),
                ("key_vault", "keyVault"),
                ("monitoring", "monitoring"),
                ("storage", "storage"),
            ):
                if getattr(self.shared, field) is not None and field in workspace.model_fields_set:
                    problems.append(
                        f"workspaces[{i}].{key} is set, but the stack shares one (amlws:shared.{key}); "
                        "remove one of them"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _private_endpoints_need_network(self) -> "StackConfig":
        users = [
            (f"workspaces[{i}]", w.private_endpoints) for i, w in enumerate(self.workspaces) if w.private_endpoints
        ]
        if self.shared and self.shared.private_endpoints:
            users.append(("shared", self.shared.private_endpoints))
        if self.network is None and users:
            raise ValueError(
                "private endpoints need amlws:network.virtualNetworkId or amlws:network.virtualNetwork: "
                "their private DNS zones are linked to it"
            )
        created = self.network.virtual_network if self.network else None
        subnets = [s.name for s in created.subnets] if created else None
        problems = [
            f"{where}.privateEndpoints.subnetName {pe.subnet_name!r} is not a subnet of "
            f"amlws:network.virtualNetwork (its subnets[].name: {', '.join(subnets)})"
            for where, pe in users
            if subnets is not None and pe.subnet_name is not None and pe.subnet_name not in subnets
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _tags_as_they_reach_each_resource(self) -> "StackConfig":
        """The stack's tags, the cost tags and a workspace's own tags reach each of its resources together
        (`cost_tags`): Azure's limits hold for that union (amlws_rules.tags), with the storage account's shorter
        names wherever the stack creates one. Each map alone was checked field by field."""
        problems = []
        shared = self.shared.storage if self.shared else None
        if shared is not None or self.self_serve is not None:  # the shared or the zone's storage carries them
            problems += [
                f"tags, as they reach the shared storage: {p}"
                for p in tag_set_problems(cost_tags(self, None), storage_account=True)
            ]
        for i, w in enumerate(self.workspaces):
            own_storage = shared is None and w.storage.existing_id is None
            storage = own_storage or any(d.existing_storage_id is None for d in w.datastores)
            found = tag_set_problems(cost_tags(self, w), storage_account=storage)
            if found:
                problems.append(
                    f"workspaces[{i}].tags with amlws:tags and the cost tags (project, environment, managed-by), "
                    f"as they reach each resource of the workspace: {'; '.join(found)}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def cost_tags(stack: StackConfig, workspace: WorkspaceConfig | None) -> dict[str, str]:
    """Stack tags, then the cost-allocation tags every resource carries, then the workspace's own."""
    if workspace is None:
        return {**stack.tags, "project": "shared", "environment": stack.environment, "managed-by": "pulumi"}
    return {
        **stack.tags,
        "project": workspace.project,
        "environment": stack.environment,
        "managed-by": "pulumi",
        **workspace.tags,
    }
