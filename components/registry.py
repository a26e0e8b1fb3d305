"""The workspace's container registry, created by us so it carries the stack's tags.

The docs warn that the registry Azure ML creates on its own first image build has no tags, and
fails under subscriptions that require tags. Creating it here avoids that, with the admin user and
anonymous pull off; identities pull with AcrPull instead.
"""

from typing import Mapping, NamedTuple, NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import containerregistry

from amlws_rules.naming import CONTAINER_REGISTRY, compact_name

from . import defaults
from .schema import check_component_args
from ._common import ComponentInputError, check_name, child, default_seed, keep_earlier_name, required, token
from .role_assignments import RoleAssignmentSettings, declare_own_role_assignments, own_role_assignments
from .lookups import Lookups, check_when_known, lookup_existing
from .diagnostics import send_diagnostics
from .locks import LockArgs, check_lock, lock_resource

REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries"
SKUS = ("Basic", "Standard", "Premium")
KNOWN_LATER = "<known later>"  # the login server of an Output registry with no facts: looked up once its ID is known


class ExistingRegistryFacts(TypedDict):
    """What the caller already knows of the registry behind an `existing_id` Output (it declared the registry)."""

    login_server: pulumi.Input[str]
    """`loginServer` of the registry (`<name>.azurecr.io`), where environment images are pushed."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess` of the registry: `Disabled` means the deploying machine cannot push to it."""


class WorkspaceContainerRegistryArgs(TypedDict):
    """Inputs of WorkspaceContainerRegistry: either `existing_id`, or the settings of a new registry."""

    resource_group_name: NotRequired[pulumi.Input[str]]
    """Resource group of the new registry (required unless `existing_id` is set)."""
    location: NotRequired[pulumi.Input[str]]
    """Azure region of the new registry."""
    registry_name: NotRequired[str]
    (
        "`registryName`, unique in all of Azure (5-50 letters and digits); by default `cr<name><suffix>`, a stable hash"
        " suffix."
    )
    existing_id: NotRequired[pulumi.Input[str]]
    (
        "Resource ID of an existing registry to use instead of creating one: looked up before anything is declared, or,"
        " for an Output (a StackReference, a shared registry), once its value is known and before the workspace is "
        "created; with `existing_facts` no lookup is made."
    )
    existing_facts: NotRequired[ExistingRegistryFacts]
    ("Facts of the `existing_id` registry the caller vouches for (it declared the registry): used instead of a lookup.")
    sku_name: NotRequired[str]
    """`Basic` (default), `Standard` or `Premium`. Only Premium can turn public network access off."""
    public_network_access: NotRequired[str]
    """`publicNetworkAccess`: `Enabled` (default) or `Disabled` (Premium only)."""
    tags: NotRequired[dict[str, str]]
    """Tags for the new registry; required, since the point of creating it ourselves is that it is tagged."""
    protect: NotRequired[bool]
    """Protect the registry from deletion (it holds the workspace's images)."""
    zone_redundancy: NotRequired[str]
    (
        "`zoneRedundancy`: `Enabled` (default for Premium; Azure Policy 9d2b0a20, Checkov CKV_AZURE_233) or `Disabled`."
        " Settable only at creation."
    )
    diagnostics_workspace_id: NotRequired[pulumi.Input[str]]
    (
        "Log Analytics workspace that receives the registry's audit logs (logins, repository events) and metrics; none "
        "when omitted."
    )
    lock: NotRequired[LockArgs]
    """AVM `lock`: a management lock on the new registry (e.g. `{"kind": "CanNotDelete"}`); none when omitted."""
    role_assignments: NotRequired[list[RoleAssignmentSettings]]
    """AVM `roleAssignments` on the created registry (not with `existing_id`)."""


# Untagged manifests are deleted after this many days (PSRule Azure.ACR.Retention; Premium only).
RETENTION_DAYS = 7


def _policies(premium: bool, public_network_access: str) -> containerregistry.PoliciesArgs:
    """Registry policies: ARM-audience Entra tokens refused (42781ec6; the image push asks for an
    ACR-audience token, see environment.registry_password); on Premium, exports disabled when the
    registry is private (524b0254 needs both) and a retention policy for untagged manifests."""
    private = public_network_access == "Disabled"
    return containerregistry.PoliciesArgs(
        azure_ad_authentication_as_arm_policy=containerregistry.AzureADAuthenticationAsArmPolicyArgs(status="disabled"),
        export_policy=containerregistry.ExportPolicyArgs(status="disabled") if premium and private else None,
        retention_policy=containerregistry.RetentionPolicyArgs(status="enabled", days=RETENTION_DAYS)
        if premium
        else None,
    )


def _get_registry(name: str, resource_group_name: str) -> dict[str, str]:
    result = containerregistry.get_registry(registry_name=name, resource_group_name=resource_group_name)
    return {
        "login_server": result.login_server or f"{name.lower()}.azurecr.io",
        "public_network_access": str(result.public_network_access or "Enabled"),
    }


def _lookup_registry(existing: str, component: str, lookups: Lookups | None) -> dict[str, str]:
    return lookup_existing(component, "container_registry.existing_id", existing, REGISTRY_TYPE, _get_registry, lookups)


def registry_public_network_access(
    args: WorkspaceContainerRegistryArgs, component: str, lookups: Lookups | None = None
) -> str | None:
    """`publicNetworkAccess` of the registry these args create or bring (looked up, or from
    `existing_facts`); None when not known before the run (an Output ID without facts)."""
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return _lookup_registry(existing, component, lookups)["public_network_access"]
    if existing is not None:
        return (args.get("existing_facts") or {}).get("public_network_access")
    return args.get("public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS)


def validate_registry_args(
    args: WorkspaceContainerRegistryArgs, component: str = "WorkspaceContainerRegistry", lookups: Lookups | None = None
) -> pulumi.Input[str] | None:
    """Everything Azure would refuse (and an untagged registry), before any resource is declared.
    Returns the login server of an existing or shared registry; None for a registry to create."""
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return _lookup_registry(existing, component, lookups)["login_server"]
    if existing is not None and not isinstance(existing, str):
        facts = args.get("existing_facts")
        return facts["login_server"] if facts else KNOWN_LATER
    sku = args.get("sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME)
    access = args.get("public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS)
    if "resource_group_name" not in args:
        raise ComponentInputError(component, "resource_group_name", None, "required unless existing_id is set")
    check_name(component, "container_registry.registry_name", CONTAINER_REGISTRY, args.get("registry_name"))
    if sku not in SKUS:
        raise ComponentInputError(component, "container_registry.sku_name", sku, f"must be one of {', '.join(SKUS)}")
    if access == "Disabled" and sku != "Premium":
        raise ComponentInputError(
            component,
            "container_registry.public_network_access",
            access,
            f"only a Premium registry can disable public network access (sku_name is {sku})",
        )
    if args.get("zone_redundancy", "Disabled") == "Enabled" and sku != "Premium":
        raise ComponentInputError(
            component,
            "container_registry.zone_redundancy",
            "Enabled",
            f"zone redundancy needs a Premium registry (sku_name is {sku})",
        )
    check_lock(component, "container_registry.lock", args.get("lock"))
    if not args.get("tags"):
        raise ComponentInputError(
            component,
            "container_registry.tags",
            args.get("tags"),
            "a registry we create must carry tags: the one Azure ML would create itself has none, "
            "and fails under tag-enforcing subscriptions",
        )


class RegistryPlan(NamedTuple):
    """The validated registry section: what the lookup of a string `existing_id` found (None otherwise).
    Everything else the component needs is read from its args, which may carry Outputs the plan never saw."""

    looked_up: Mapping[str, str] | None

    def facts(self, args: WorkspaceContainerRegistryArgs) -> tuple[pulumi.Input[str] | None, str | None]:
        """(login server, public network access) of the registry the validated `args` lead to, as
        `validate_registry_args` and `registry_public_network_access` answer, without asking again."""
        existing = args.get("existing_id")
        if isinstance(existing, str) and existing and self.looked_up is not None:
            return self.looked_up["login_server"], self.looked_up["public_network_access"]
        if existing is not None and not isinstance(existing, str):
            facts = args.get("existing_facts")
            return (facts["login_server"] if facts else KNOWN_LATER), (facts or {}).get("public_network_access")
        return None, args.get("public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS)


def plan_registry(args: WorkspaceContainerRegistryArgs, component: str, lookups: Lookups | None = None) -> RegistryPlan:
    """Validate the section once (looking up a string `existing_id`); the component declares from the result."""
    validate_registry_args(args, component, lookups)
    existing = args.get("existing_id")
    if isinstance(existing, str) and existing:
        return RegistryPlan(_lookup_registry(existing, component, lookups))
    return RegistryPlan(None)


def checked_registry(value: pulumi.Input[str], component: str) -> pulumi.Output[containerregistry.GetRegistryResult]:
    """A registry known only later: its lookup once the ID is known (a missing one fails the run)."""
    return check_when_known(
        component,
        "container_registry.existing_id",
        value,
        REGISTRY_TYPE,
        lambda name, rg: containerregistry.get_registry_output(registry_name=name, resource_group_name=rg),
        lambda resource_id, found: found,
    )


class WorkspaceContainerRegistry(pulumi.ComponentResource):
    """An Azure Container Registry for the images Azure ML builds for custom environments."""

    id: pulumi.Output[str]
    """Resource ID of the registry (created or existing)."""
    login_server: pulumi.Output[str]
    """`<name>.azurecr.io`."""
    public_network_access: str | None
    """`publicNetworkAccess` of the registry (None when only known once an Output ID is looked up)."""

    def __init__(
        self,
        name: str,
        args: WorkspaceContainerRegistryArgs,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        plan: "RegistryPlan | None" = None,
    ):
        # `plan`: the section as checked already with its parent's Args (MachineLearningWorkspace's plan,
        # SharedWorkspaceResources' section plans), so it is not checked again.
        if plan is None:
            check_component_args("WorkspaceContainerRegistry", name, args, WorkspaceContainerRegistryArgs)
            lookups = Lookups()
            login_server = validate_registry_args(args, lookups=lookups)
            self.public_network_access = registry_public_network_access(args, "WorkspaceContainerRegistry", lookups)
        else:
            login_server, self.public_network_access = plan.facts(args)
        roles = own_role_assignments("WorkspaceContainerRegistry", args, "existing_id")
        super().__init__(token("WorkspaceContainerRegistry"), name, None, opts)
        existing = args.get("existing_id")
        if existing is not None and login_server is KNOWN_LATER:
            found = checked_registry(existing, "WorkspaceContainerRegistry")
            self.id = pulumi.Output.all(existing, found).apply(lambda pair: pair[0])
            self.login_server = found.apply(lambda r: r.login_server or "")
        elif existing is not None and login_server is not None:
            self.id = pulumi.Output.from_input(existing)
            self.login_server = pulumi.Output.from_input(login_server)
        else:
            premium = args.get("sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME) == "Premium"
            registry = containerregistry.Registry(
                f"{name}-acr",
                registry_name=args.get("registry_name")
                or compact_name(CONTAINER_REGISTRY, "cr", [name], default_seed(name)),
                resource_group_name=required(args, "resource_group_name", "WorkspaceContainerRegistry"),
                location=args.get("location"),
                sku=containerregistry.SkuArgs(name=args.get("sku_name", defaults.CONTAINER_REGISTRY_SKU_NAME)),
                admin_user_enabled=False,
                anonymous_pull_enabled=False,
                public_network_access=args.get(
                    "public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS
                ),
                network_rule_bypass_options="AzureServices",
                zone_redundancy=args.get("zone_redundancy", "Enabled" if premium else "Disabled"),
                policies=_policies(
                    premium, args.get("public_network_access", defaults.CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS)
                ),
                tags=args.get("tags"),
                opts=child(
                    self,
                    protect=args.get("protect", False),
                    ignore_changes=keep_earlier_name(args.get("registry_name"), "registryName"),
                ),
            )
            self.id = registry.id
            self.login_server = registry.login_server
            diagnostics_workspace_id = args.get("diagnostics_workspace_id")
            if diagnostics_workspace_id is not None:
                send_diagnostics(self, f"{name}-acr-diag", registry.id, diagnostics_workspace_id)
            lock_resource(self, f"{name}-acr", registry.id, args.get("lock"))
        declare_own_role_assignments(roles, self, name, self.id)
        self.register_outputs({"id": self.id, "login_server": self.login_server})
