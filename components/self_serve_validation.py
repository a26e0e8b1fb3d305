"""What a SelfServeZone accepts, checked before anything is declared, and the shared resources it derives
from its args (components/self_serve.py declares them)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pulumi

from amlws_rules import is_guid
from amlws_rules import arm
from amlws_rules import selfserve as rules

from ._common import ComponentInputError, check_arm_id
from .image_builds import image_builds_setting, validate_image_builds
from .shared import validate_shared_args
from .shared_args import SharedWorkspaceResourcesArgs

if TYPE_CHECKING:
    from .self_serve import SelfServeZoneArgs

COMPONENT = "SelfServeZone"
ISOLATION_MODES = ("Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound")
DEFAULT_REQUIRED_TAGS = ["project", "environment", "owner"]
_TAG_NAME = re.compile(r"^[^<>%&\\?/'\[\]]{1,512}$")

SECTIONS = {  # resources section -> (approved key, what a workspace calls it)
    "storage": ("storage_account_id", "storage account"),
    "key_vault": ("key_vault_id", "key vault"),
    "monitoring": ("application_insights_id", "Application Insights"),
    "container_registry": ("container_registry_id", "container registry"),
}
APPROVED_TYPES = {  # resources section -> the type of its approved ID
    "storage": arm.STORAGE_ACCOUNT,
    "key_vault": arm.KEY_VAULT,
    "monitoring": arm.APPLICATION_INSIGHTS,
    "container_registry": arm.CONTAINER_REGISTRY,
}


def has_registry(args: SelfServeZoneArgs) -> bool:
    return "container_registry" in (args.get("resources") or {}) or "container_registry_id" in (
        args.get("approved") or {}
    )


def zone_image_builds(args: SelfServeZoneArgs) -> str:
    """As given; otherwise allowed exactly when the zone has a registry to build into."""
    return image_builds_setting(args.get("image_builds"), has_registry(args))


def zone_resources_args(
    args: SelfServeZoneArgs, resource_group_name: pulumi.Input[str]
) -> SharedWorkspaceResourcesArgs:
    """The SharedWorkspaceResources the zone creates: its `resources` sections, with the zone's region, tags,
    protection and lock."""
    shared: SharedWorkspaceResourcesArgs = {
        "resource_group_name": resource_group_name,
        "tags": args.get("tags") or {},
        "protect": args.get("protect", False),
    }
    if "location" in args:
        shared["location"] = args["location"]
    lock = args.get("lock")
    if lock is not None:
        shared["lock"] = lock
    created = args.get("resources") or {}
    if "storage" in created:
        shared["storage"] = created["storage"]
    if "key_vault" in created:
        shared["key_vault"] = created["key_vault"]
    if "monitoring" in created:
        shared["monitoring"] = created["monitoring"]
    if "container_registry" in created:
        shared["container_registry"] = created["container_registry"]
    return shared


def validate_zone_args(args: SelfServeZoneArgs) -> None:
    """Everything the zone would refuse, before anything is declared."""
    rg = args.get("resource_group_name")
    if not isinstance(rg, str) or not rg:
        raise ComponentInputError(COMPONENT, "resource_group_name", rg, "required")
    groups = args.get("creator_group_object_ids") or []
    if not groups:
        raise ComponentInputError(
            COMPONENT, "creator_group_object_ids", groups, "name at least one Microsoft Entra group"
        )
    for group in groups:
        if not is_guid(group):
            raise ComponentInputError(
                COMPONENT, "creator_group_object_ids", group, "a Microsoft Entra group object ID is a GUID"
            )
    effect = args.get("effect", "Deny")
    if effect not in rules.EFFECTS:
        raise ComponentInputError(COMPONENT, "effect", effect, "must be Deny (locked down) or Audit (dev)")
    access = args.get("public_network_access")
    if access not in (None, "Enabled", "Disabled"):
        raise ComponentInputError(COMPONENT, "public_network_access", access, "must be Enabled or Disabled")
    mode = args.get("managed_network_isolation_mode")
    if mode is not None and mode not in ISOLATION_MODES:
        raise ComponentInputError(
            COMPONENT, "managed_network_isolation_mode", mode, f"must be one of {', '.join(ISOLATION_MODES)}"
        )
    for tag in args.get("required_tags", DEFAULT_REQUIRED_TAGS):
        if not isinstance(tag, str) or not _TAG_NAME.match(tag):
            raise ComponentInputError(
                COMPONENT, "required_tags", tag, "tag names are 1-512 characters without < > % & \\ ? / ' [ ]"
            )
    validate_image_builds(
        COMPONENT,
        zone_image_builds(args),
        has_registry(args),
        "resources.container_registry or approved.container_registry_id",
    )
    created, approved = args.get("resources") or {}, args.get("approved") or {}
    for setting, given, known in (
        ("resources", created, SECTIONS),
        ("approved", approved, [k for k, _ in SECTIONS.values()]),
    ):
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ComponentInputError(COMPONENT, setting, unknown, f"unknown keys; use {', '.join(known)}")
    for section, (key, what) in SECTIONS.items():
        check_arm_id(COMPONENT, f"approved.{key}", approved.get(key), APPROVED_TYPES[section])
        if section in created and key in approved:
            raise ComponentInputError(
                COMPONENT,
                f"approved.{key}",
                approved[key],
                f"the zone also creates a {what} (resources.{section}); keep one",
            )
        if section != "container_registry" and section not in created and key not in approved:
            raise ComponentInputError(
                COMPONENT,
                f"resources.{section}",
                None,
                f"a workspace needs a {what}: create one in the zone or approve one by ID",
            )
    if created:
        validate_shared_args(zone_resources_args(args, f"{rg}-resources"))
