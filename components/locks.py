"""Management locks, in the shape of Azure Verified Modules' `lock` interface (`lock: {kind, name}`).

Why: Pulumi's `protect` stops only Pulumi; a `CanNotDelete` lock also stops the portal, the CLI and
other tools (learn.microsoft.com, azure-resource-manager/management/lock-resources). The policy pack's
`data-resources-delete-lock` checks that protected data resources carry one.
"""

from typing import NotRequired, TypedDict

import pulumi
from pulumi_azure_native import authorization

from ._common import ComponentInputError, child

LOCK_KINDS = ("CanNotDelete", "ReadOnly", "None")


class LockArgs(TypedDict):
    """AVM's `lock` interface: a management lock on the resource a component creates."""

    kind: str
    (
        "`CanNotDelete` (delete refused; the usual choice for data), "
        "`ReadOnly` (also refuses changes) or `None` (no lock)."
    )
    name: NotRequired[str]
    """`lockName`; `lock-<resource logical name>` by default."""


def check_lock(component: str, setting: str, lock: LockArgs | None) -> None:
    """Refuse a lock Azure would refuse, before anything is declared."""
    if lock is None:
        return
    if not isinstance(lock, dict) or lock.get("kind") not in LOCK_KINDS:
        raise ComponentInputError(component, setting, lock, f"kind must be one of {', '.join(LOCK_KINDS)}")


def lock_resource(
    parent: pulumi.Resource, name: str, scope: pulumi.Input[str], lock: LockArgs | None
) -> authorization.ManagementLockByScope | None:
    """Declare the lock on `scope` (a resource ID) as a child of the component; nothing for kind None."""
    if not lock or lock.get("kind") == "None":
        return None
    return authorization.ManagementLockByScope(
        f"{name}-lock",
        lock_name=lock.get("name") or f"lock-{name}",
        level=lock["kind"],
        scope=scope,
        notes="Declared by amlws: this resource holds data; remove the lock before deleting it.",
        opts=child(parent),
    )
