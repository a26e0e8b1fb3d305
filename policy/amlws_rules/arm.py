"""Azure Resource Manager IDs, parsed once so every error can name the part that is wrong.

One parser for every ARM ID a user writes (an existing storage account, a subnet, an identity, a private DNS
zone, an outbound rule's target, a resource group): the stack config, the components and the pack all call
`parse_arm_id` with the type the ID must be, so `stmlbuildctxprod`, an ID with text before `/subscriptions/`,
or the ID of a vault where a storage account belongs are refused with the same message everywhere.

The grammar is ARM's (learn.microsoft.com, azure-resource-manager/management/resource-name-rules and the
`{resourceId}` of the REST API): `/subscriptions/<subscription GUID>/resourceGroups/<name>/providers/
<namespace>/<type>/<name>[/<child type>/<child name>...]`. Types and names compare without regard to case,
as ARM compares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUBSCRIPTION_TYPE = "Microsoft.Resources/subscriptions"
RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups"
EXAMPLE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"

# The types of the IDs a user writes (stack config keys and component args), named once.
STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts"
KEY_VAULT = "Microsoft.KeyVault/vaults"
APPLICATION_INSIGHTS = "Microsoft.Insights/components"
LOG_ANALYTICS_WORKSPACE = "Microsoft.OperationalInsights/workspaces"
CONTAINER_REGISTRY = "Microsoft.ContainerRegistry/registries"
VIRTUAL_NETWORK = "Microsoft.Network/virtualNetworks"
SUBNET = "Microsoft.Network/virtualNetworks/subnets"
PRIVATE_DNS_ZONE = "Microsoft.Network/privateDnsZones"
USER_ASSIGNED_IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities"
ML_WORKSPACE = "Microsoft.MachineLearningServices/workspaces"

_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_ARM_ID = re.compile(
    rf"^/subscriptions/(?P<sub>{_GUID})"
    r"(?:/resourceGroups/(?P<rg>[^/]+)"
    r"(?:/providers/(?P<ns>[^/]+)(?P<pairs>(?:/[^/]+/[^/]+)+))?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArmId:
    subscription_id: str
    resource_group_name: str | None
    provider: str
    resource_type: str
    """The type below the namespace, child types joined by `/` (`virtualNetworks/subnets`)."""
    name: str
    """The last name (a subnet's own name, not its network's)."""
    parent_names: tuple[str, ...] = ()
    """Names of the parents of a child resource, outermost first (a subnet's virtual network)."""

    @property
    def group(self) -> str:
        """The resource group of a resource's ID (an ID parsed as a resource type always has one)."""
        if self.resource_group_name is None:
            raise ValueError(f"{self.full_type} {self.name} is not in a resource group")
        return self.resource_group_name

    @property
    def full_type(self) -> str:
        return f"{self.provider}/{self.resource_type}" if self.provider else self.resource_type


def example_arm_id(arm_type: str | None) -> str:
    """An example ID of `arm_type`, for error messages."""
    sub = f"/subscriptions/{EXAMPLE_SUBSCRIPTION}"
    if arm_type is None:
        return f"{sub}/resourceGroups/<resource group>/providers/<namespace>/<type>/<name>"
    if arm_type.lower() == SUBSCRIPTION_TYPE.lower():
        return sub
    if arm_type.lower() == RESOURCE_GROUP_TYPE.lower():
        return f"{sub}/resourceGroups/<name>"
    namespace, *types = arm_type.split("/")
    path = "".join(f"/{t}/<{'name' if i == len(types) - 1 else t[:-1] + ' name'}>" for i, t in enumerate(types))
    return f"{sub}/resourceGroups/<resource group>/providers/{namespace}{path}"


def _what(arm_type: str | None) -> str:
    return f"an ARM ID of a {arm_type}" if arm_type else "an ARM resource ID"


def _parse(value: str) -> ArmId | None:
    match = _ARM_ID.match(value)
    if not match:
        return None
    if match["rg"] is None:
        return ArmId(match["sub"], None, "Microsoft.Resources", "subscriptions", match["sub"])
    if match["ns"] is None:
        return ArmId(match["sub"], match["rg"], "Microsoft.Resources", "resourceGroups", match["rg"])
    parts = match["pairs"].strip("/").split("/")
    types, names = parts[0::2], parts[1::2]
    return ArmId(match["sub"], match["rg"], match["ns"], "/".join(types), names[-1], tuple(names[:-1]))


def _hint(value: str) -> str:
    """Why a string that looks almost like an ID is not one."""
    if value != value.strip():
        return " (it has leading or trailing whitespace)"
    at = value.lower().find("/subscriptions/")
    if at > 0:
        return f" (it has {value[:at]!r} before /subscriptions/)"
    if at < 0:
        return " (it does not start with /subscriptions/)"
    if not re.match(rf"^/subscriptions/{_GUID}(/|$)", value):
        return " (the subscription ID is not a GUID)"
    if value.endswith("/"):
        return " (it ends with /)"
    return ""


def parse_arm_id(value: object, expected_type: str | None = None) -> ArmId:
    """Parse an ARM ID, which must be of `expected_type` when given.

    `expected_type` is `<namespace>/<type>[/<child type>...]` (e.g. `Microsoft.Network/virtualNetworks/subnets`),
    or `Microsoft.Resources/resourceGroups` / `Microsoft.Resources/subscriptions`; without it any resource in a
    resource group is accepted (an outbound rule's target may be of any type). Raises ValueError naming the value,
    what was expected and an example.
    """
    want = f"{_what(expected_type)}, e.g. {example_arm_id(expected_type)}"
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not {want}")
    arm = _parse(value)
    if arm is None:
        raise ValueError(f"{value!r} is not {want}{_hint(value)}")
    scoped = arm.full_type.lower() not in (SUBSCRIPTION_TYPE.lower(), RESOURCE_GROUP_TYPE.lower())
    if expected_type is None and not scoped:
        kind = "subscription" if arm.resource_type == "subscriptions" else "resource group"
        raise ValueError(f"{value!r} is the ID of a {kind}, not {want}")
    if expected_type is not None and arm.full_type.lower() != expected_type.lower():
        raise ValueError(f"{value!r} is an ARM ID of a {arm.full_type}, not {want}")
    return arm


def arm_id_problem(value: object, expected_type: str | None = None) -> str | None:
    """The message of `parse_arm_id`'s ValueError, or None for a good ID (for validators that collect problems)."""
    try:
        parse_arm_id(value, expected_type)
    except ValueError as err:
        return str(err)
    return None
