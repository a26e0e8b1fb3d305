"""Azure Resource Manager IDs, parsed once so every error can name the part that is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ARM_ID = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)"
    r"/providers/(?P<ns>[^/]+)/(?P<type>[^/]+)/(?P<name>[^/]+)(?P<rest>(?:/[^/]+/[^/]+)*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArmId:
    subscription_id: str
    resource_group_name: str
    provider: str
    resource_type: str
    name: str

    @property
    def full_type(self) -> str:
        return f"{self.provider}/{self.resource_type}"


def parse_arm_id(value: str, expected_type: str | None = None) -> ArmId:
    """Parse `/subscriptions/<sub>/resourceGroups/<rg>/providers/<ns>/<type>/<name>`.

    `expected_type` (e.g. `Microsoft.Storage/storageAccounts`) is compared case-insensitively,
    as ARM does. Raises ValueError with the value and what was expected.
    """
    match = _ARM_ID.match(value or "")
    if not match or match.group("rest"):
        want = expected_type or "<namespace>/<type>"
        raise ValueError(
            f"{value!r} is not a resource ID of the form "
            f"/subscriptions/<id>/resourceGroups/<name>/providers/{want}/<name>"
        )
    arm = ArmId(match["sub"], match["rg"], match["ns"], match["type"], match["name"])
    if expected_type and arm.full_type.lower() != expected_type.lower():
        raise ValueError(f"{value!r} is a {arm.full_type} ID; expected a {expected_type} ID")
    return arm
