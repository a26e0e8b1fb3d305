"""The workspace's container registry, created by us so it carries the stack's tags.

The docs warn that the registry Azure ML creates on its own first image build has no tags, and
fails under subscriptions that require tags. Creating it here avoids that, with the admin user and
anonymous pull off; identities pull with AcrPull instead.
"""


from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import containerregistry

from amlws_rules.naming import CONTAINER_REGISTRY, compact_name

from ._common import ComponentInputError, check_name, child, default_seed, keep_earlier_name, required, token
from ._lookup import lookup_existing, remember, require_known

REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries"
SKUS = ("Basic", "Standard", "Premium")


class WorkspaceContainerRegistryArgs(TypedDict):
    """Inputs of WorkspaceContainerRegistry: either `existing_id`, or the settings of a new registry."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the new registry (required unless `existing_id` is set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the new registry."""
    registry_name: NotRequired[str]
    """`registryName`, unique in all of Azure (5-50 letters and digits); by default `cr<name><suffix>`, a stable hash suffix."""
    existing_id: NotRequired[pulumi.Input[str]]
    """Resource ID of an existing registry to use instead of creating one (looked up), or the `id` of a WorkspaceContainerRegistry declared in the same program (a shared registry)."""
    sku_name: NotRequired[str]
    """`Basic` (default), `Standard` or `Premium`. Only Premium can turn public network access off."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Enabled` (default) or `Disabled` (Premium only)."""
    tags: NotRequired[dict[str, str]]
    """Tags for the new registry; required, since the point of creating it ourselves is that it is tagged."""
    protect: NotRequired[bool]
    """Protect the registry from deletion (it holds the workspace's images)."""


def _get_registry(name: str, resource_group_name: str) -> pulumi.Input[str]:
    result = containerregistry.get_registry(registry_name=name, resource_group_name=resource_group_name)
    return result.login_server or f"{name.lower()}.azurecr.io"


def validate_registry_args(args: WorkspaceContainerRegistryArgs, component: str = "WorkspaceContainerRegistry") -> pulumi.Input[str] | None:
    """Everything Azure would refuse (and an untagged registry), before any resource is declared.
    Returns the login server of an existing or shared registry; None for a registry to create."""
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return lookup_existing(component, "container_registry.existing_id", existing, REGISTRY_TYPE, _get_registry)
    if existing is not None and not isinstance(existing, str):
        return require_known(component, "container_registry.existing_id", existing, "WorkspaceContainerRegistry")["login_server"]
    sku = args.get("sku_name", "Basic")
    access = args.get("public_network_access", "Enabled")
    if "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing_id is set")
    check_name(component, "container_registry.registry_name", CONTAINER_REGISTRY, args.get("registry_name"))
    if sku not in SKUS:
        raise ComponentInputError(component, "container_registry.sku_name", sku, f"must be one of {', '.join(SKUS)}")
    if access == "Disabled" and sku != "Premium":
        raise ComponentInputError(
            component, "container_registry.public_network_access", access,
            f"only a Premium registry can disable public network access (sku_name is {sku})",
        )
    if not args.get("tags"):
        raise ComponentInputError(
            component, "container_registry.tags", args.get("tags"),
            "a registry we create must carry tags: the one Azure ML would create itself has none, "
            "and fails under tag-enforcing subscriptions",
        )


def vouch_for_registry(output: object, login_server: pulumi.Input[str]) -> None:
    """Let workspaces accept `output` as `container_registry.existing_id`."""
    remember(output, login_server=login_server)


class WorkspaceContainerRegistry(pulumi.ComponentResource):
    """An Azure Container Registry for the images Azure ML builds for custom environments."""

    id: pulumi.Output[str]
    """Resource ID of the registry (created or existing)."""
    login_server: pulumi.Output[str]
    """`<name>.azurecr.io`."""

    def __init__(self, name: str, args: WorkspaceContainerRegistryArgs, opts: Optional[pulumi.ResourceOptions] = None):
        login_server = validate_registry_args(args)
        super().__init__(token("WorkspaceContainerRegistry"), name, None, opts)
        existing = args.get("existing_id")
        if existing is not None and login_server is not None:
            self.id = pulumi.Output.from_input(existing)
            self.login_server = pulumi.Output.from_input(login_server)
            vouch_for_registry(self.id, self.login_server)  # so a shared, existing registry can be handed on
        else:
            registry = containerregistry.Registry(
                f"{name}-acr",
                registry_name=args.get("registry_name") or compact_name(CONTAINER_REGISTRY, "cr", [name], default_seed(name)),
                resource_group_name=required(args, "resource_group_name", "WorkspaceContainerRegistry"),
                location=args.get("location"),
                sku=containerregistry.SkuArgs(name=args.get("sku_name", "Basic")),
                admin_user_enabled=False,
                anonymous_pull_enabled=False,
                public_network_access=args.get("public_network_access", "Enabled"),
                network_rule_bypass_options="AzureServices",
                tags=args.get("tags"),
                opts=child(self, protect=args.get("protect", False), ignore_changes=keep_earlier_name(args.get("registry_name"), "registryName")),
            )
            self.id = registry.id
            self.login_server = registry.login_server
            vouch_for_registry(self.id, registry.login_server)
        self.register_outputs({"id": self.id, "login_server": self.login_server})
