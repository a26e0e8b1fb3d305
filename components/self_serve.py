"""A self-serve zone: what an IT admin deploys once per environment so data scientists can create
their own workspaces, governed by Azure itself (the docs: "Enable self-serve: Precreate and secure
associated resources as an IT admin, and use user roles to let data scientists create workspaces").

The zone declares a resource group for the self-serve workspaces; the precreated associated resources
(created here with SharedWorkspaceResources, or approved by ID, e.g. those of `amlws:shared`); a custom
role that can create workspaces in the group and nothing more, and the data scientists' role inside
them; and Azure Policy definitions and assignments at the group, so the rules hold for a workspace made
in the portal, the CLI or the SDK as much as for one made by Pulumi. Effects are `Deny` where the
environment is locked down and `Audit` in dev. The rules themselves are data in
`amlws_rules.selfserve`, shared with the policy pack and the tests.
"""

from typing import Any, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import authorization, resources

from amlws_rules import role_definition_name
from amlws_rules import selfserve as rules
from amlws_rules.roles import AZUREML_DATA_SCIENTIST

from .schema import check_component_args
from ._common import child, token
from .locks import LockArgs
from .access import assign_role, builtin_role
from .image_builds import no_image_build_role
from .key_vault import WorkspaceKeyVaultArgs
from .monitoring import WorkspaceMonitoringArgs
from .registry import WorkspaceContainerRegistryArgs
from .shared import SharedWorkspaceResources
from .storage import WorkspaceStorageArgs
from .self_serve_validation import (
    COMPONENT,
    DEFAULT_REQUIRED_TAGS,
    SECTIONS,
    validate_zone_args,
    zone_image_builds,
    zone_resources_args,
)


class ApprovedResources(TypedDict):
    """Resource IDs of associated resources created elsewhere (e.g. by `SharedWorkspaceResources`) that the
    zone approves."""

    storage_account_id: NotRequired[pulumi.Input[str]]
    """The approved storage account (it must comply with the documented workspace-storage rules)."""
    key_vault_id: NotRequired[pulumi.Input[str]]
    """The approved key vault."""
    application_insights_id: NotRequired[pulumi.Input[str]]
    """The approved Application Insights component."""
    container_registry_id: NotRequired[pulumi.Input[str]]
    """The approved container registry (required when image builds are allowed)."""


class ZoneResources(TypedDict):
    """Associated resources the zone creates itself, with SharedWorkspaceResources' secure defaults."""

    storage: NotRequired[WorkspaceStorageArgs]
    """The zone's storage account (the documented storage rules are enforced when it is planned)."""
    key_vault: NotRequired[WorkspaceKeyVaultArgs]
    """The zone's key vault."""
    monitoring: NotRequired[WorkspaceMonitoringArgs]
    """The zone's Log Analytics workspace and Application Insights."""
    container_registry: NotRequired[WorkspaceContainerRegistryArgs]
    """The zone's container registry, tagged, so Azure ML never creates an untagged one."""


class SelfServeZoneArgs(TypedDict):
    """Inputs of SelfServeZone."""

    resource_group_name: str
    """Name of the resource group the zone creates for self-serve workspaces (the policy and role scope)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the zone's resource groups and resources."""
    creator_group_object_ids: list[str]
    """Microsoft Entra groups whose members may create workspaces in the zone (and work in them)."""
    effect: NotRequired[str]
    """Effect of every policy assignment: `Deny` (default, locked-down environments) or `Audit` (dev)."""
    public_network_access: NotRequired[str]
    """`Disabled` to require workspaces without public network access (built-in 438c38d2); omit to leave it open."""
    managed_network_isolation_mode: NotRequired[str]
    """The managed network isolation mode workspaces must use (built-in 6ddb1705); omit to leave it free."""
    required_tags: NotRequired[list[str]]
    """Tag names every workspace must carry; default `project`, `environment`, `owner`."""
    image_builds: NotRequired[str]
    (
        "`Allowed` or `Disabled`: may data scientists build custom environment images? "
        "Default `Allowed` when the zone approves a registry."
    )
    resources: NotRequired[ZoneResources]
    """Associated resources the zone creates, in its own resource group `<resource_group_name>-resources`."""
    approved: NotRequired[ApprovedResources]
    """Associated resources created elsewhere that the zone approves by ID."""
    tags: NotRequired[dict[str, str]]
    """Tags for everything the zone creates."""
    protect: NotRequired[bool]
    """Protect the zone's data-holding resources from deletion."""
    lock: NotRequired[LockArgs]
    ('AVM `lock`: a management lock (e.g. `{"kind": "CanNotDelete"}`) on the data-holding resources the zone creates.')


def _param(value: Any) -> authorization.ParameterValuesValueArgs:
    return authorization.ParameterValuesValueArgs(value=value)


class SelfServeZone(pulumi.ComponentResource):
    """A resource group where data scientists create their own workspaces, governed by Azure Policy and RBAC."""

    resource_group_id: pulumi.Output[str]
    """Resource ID of the self-serve resource group (the scope of the roles and policy assignments)."""
    resource_group_name: pulumi.Output[str]
    """Name of the self-serve resource group."""
    storage_account_id: pulumi.Output[str]
    """The approved storage account a workspace passes as `storageAccount`."""
    key_vault_id: pulumi.Output[str]
    """The approved key vault a workspace passes as `keyVault`."""
    application_insights_id: pulumi.Output[str]
    """The approved Application Insights a workspace passes as `applicationInsights`."""
    container_registry_id: pulumi.Output[Optional[str]]
    """The approved container registry a workspace passes as `containerRegistry` (None when there is none)."""
    policy_assignment_ids: pulumi.Output[dict[str, str]]
    """Resource IDs of the zone's policy assignments, by rule."""
    creator_role_definition_id: pulumi.Output[str]
    """Resource ID of the custom role that may create workspaces in the zone."""
    data_scientist_role_definition_id: pulumi.Output[str]
    """Resource ID of the data scientists' role in the zone's workspaces."""

    def __init__(self, name: str, args: SelfServeZoneArgs, opts: Optional[pulumi.ResourceOptions] = None):
        check_component_args(COMPONENT, name, args, SelfServeZoneArgs)
        validate_zone_args(args)
        super().__init__(token(COMPONENT), name, None, opts)
        tags = args.get("tags") or {}
        rg_name = args["resource_group_name"]
        effect = args.get("effect", "Deny")
        builds = zone_image_builds(args)
        subscription_id = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self)
        ).subscription_id

        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=rg_name,
            location=args.get("location"),
            tags=tags,
            opts=child(self, protect=args.get("protect", False)),
        )
        approved: dict[str, Any] = dict(args.get("approved") or {})
        if args.get("resources"):
            store = resources.ResourceGroup(
                f"{name}-resources-rg",
                resource_group_name=f"{rg_name}-resources",
                location=args.get("location"),
                tags=tags,
                opts=child(self, protect=args.get("protect", False)),
            )
            made = SharedWorkspaceResources(f"{name}-resources", zone_resources_args(args, store.name), child(self))
            created = args.get("resources") or {}
            outputs = {
                "storage": made.storage_account_id,
                "key_vault": made.key_vault_id,
                "monitoring": made.application_insights_id,
                "container_registry": made.container_registry_id,
            }
            for section in created:
                approved[SECTIONS[section][0]] = outputs[section]

        self.policy_assignment_ids = self._policies(name, args, group, approved, effect, builds)
        self.creator_role_definition_id, self.data_scientist_role_definition_id = self._roles(
            name, args, group, subscription_id, builds
        )

        self.resource_group_id = group.id
        self.resource_group_name = group.name
        self.storage_account_id = pulumi.Output.from_input(approved["storage_account_id"])
        self.key_vault_id = pulumi.Output.from_input(approved["key_vault_id"])
        self.application_insights_id = pulumi.Output.from_input(approved["application_insights_id"])
        self.container_registry_id = pulumi.Output.from_input(approved.get("container_registry_id"))
        self.register_outputs(
            {
                "resource_group_id": self.resource_group_id,
                "resource_group_name": self.resource_group_name,
                "storage_account_id": self.storage_account_id,
                "key_vault_id": self.key_vault_id,
                "application_insights_id": self.application_insights_id,
                "container_registry_id": self.container_registry_id,
                "policy_assignment_ids": self.policy_assignment_ids,
                "creator_role_definition_id": self.creator_role_definition_id,
                "data_scientist_role_definition_id": self.data_scientist_role_definition_id,
            }
        )

    def _policies(
        self,
        name: str,
        args: SelfServeZoneArgs,
        group: resources.ResourceGroup,
        approved: dict[str, Any],
        effect: str,
        builds: str,
    ) -> pulumi.Output[dict[str, str]]:
        """Custom definitions (subscription scope) and every assignment at the zone's resource group."""
        rg_name = args["resource_group_name"]
        tags = args.get("required_tags", DEFAULT_REQUIRED_TAGS)
        ids = lambda key: [approved[key]] if approved.get(key) is not None else []  # noqa: E731
        custom = {
            rules.APPROVED_RESOURCES: (
                rules.approved_resources_definition(builds),
                {
                    "approvedStorageAccountIds": ids("storage_account_id"),
                    "approvedKeyVaultIds": ids("key_vault_id"),
                    "approvedApplicationInsightsIds": ids("application_insights_id"),
                    "approvedContainerRegistryIds": ids("container_registry_id"),
                    "effect": effect,
                },
            ),
            rules.REQUIRED_TAGS: (rules.required_tags_definition(tags), {"effect": effect}),
        }
        assigned: dict[str, pulumi.Output[str]] = {}
        for kind, (body, values) in custom.items():
            definition = authorization.PolicyDefinition(
                f"{name}-{kind}",
                policy_definition_name=rules.policy_definition_name(rg_name, kind),
                policy_type="Custom",
                mode=body["mode"],
                display_name=f"{body['displayName']} ({rg_name})",
                description=body["description"],
                metadata={"category": "Machine Learning", "amlwsRule": kind},
                parameters=body["parameters"],
                policy_rule=body["policyRule"],
                opts=child(self),
            )
            assigned[kind] = self._assign(name, kind, group, definition.id, values, body["description"]).id
        builtins = rules.builtin_assignments(
            effect, args.get("public_network_access"), args.get("managed_network_isolation_mode")
        )
        for kind, definition_id, values in builtins:
            assigned[kind] = self._assign(
                name, kind, group, definition_id, values, f"Built-in {definition_id.rsplit('/', 1)[-1]}"
            ).id
        return pulumi.Output.all(**assigned)

    def _assign(
        self,
        name: str,
        kind: str,
        group: resources.ResourceGroup,
        definition_id: pulumi.Input[str],
        values: dict[str, Any],
        description: str,
    ) -> authorization.PolicyAssignment:
        return authorization.PolicyAssignment(
            f"{name}-{kind}",
            policy_assignment_name=f"amlws-{kind}",
            scope=group.id,
            policy_definition_id=definition_id,
            display_name=f"amlws self-serve: {kind}",
            description=description,
            enforcement_mode="Default",
            metadata={"amlwsRule": kind},
            parameters={key: _param(value) for key, value in values.items()},
            non_compliance_messages=[
                authorization.NonComplianceMessageArgs(
                    message=(
                        f"Self-serve zone rule '{kind}': see the README section 'For the data "
                        "scientist: create a workspace in the zone' for the IDs to pass."
                    )
                )
            ],
            opts=child(self),
        )

    def _roles(
        self,
        name: str,
        args: SelfServeZoneArgs,
        group: resources.ResourceGroup,
        subscription_id: pulumi.Output[str],
        builds: str,
    ) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """The creator role and the data scientists' role, both assigned to each group at the zone's resource group."""
        rg_name = args["resource_group_name"]
        creator_name = f"amlws {rg_name} workspace creator"
        creator = authorization.RoleDefinition(
            f"{name}-creator-role",
            role_definition_id=group.id.apply(lambda scope: role_definition_name(scope, creator_name)),
            role_name=creator_name,
            description="Create Azure ML workspaces in the self-serve resource group, and nothing more.",
            role_type="CustomRole",
            scope=group.id,
            assignable_scopes=[group.id],
            permissions=[
                authorization.PermissionArgs(
                    actions=list(rules.WORKSPACE_CREATOR_ACTIONS), not_actions=[], data_actions=[]
                )
            ],
            opts=child(self),
        )
        scientist: pulumi.Output[str]
        if builds == "Allowed":
            scientist = builtin_role(subscription_id, AZUREML_DATA_SCIENTIST)
        else:
            scientist = no_image_build_role(
                self,
                f"{name}-data-scientist-role",
                scope=group.id,
                role_name=f"amlws {rg_name} data scientist (no image builds)",
            ).id
        for group_id in args["creator_group_object_ids"]:
            assign_role(
                self,
                f"{name}-creator-{group_id[:8]}",
                scope=group.id,
                role=creator.id,
                principal_id=group_id,
                principal_type="Group",
            )
            assign_role(
                self,
                f"{name}-data-scientist-{group_id[:8]}",
                scope=group.id,
                role=scientist,
                principal_id=group_id,
                principal_type="Group",
            )
        return creator.id, scientist
