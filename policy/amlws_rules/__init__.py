"""The documented Azure Machine Learning workspace rules, as plain functions.

This package has no dependencies on purpose: it is imported by the components (installed with the
`pulumi-azureml-workspace` distribution) and by the CrossGuard policy pack (from the pack's own
directory, so the pack still works when the Pulumi CLI installs it into its own virtualenv from
`policy/requirements.txt`, and when it is published on its own).
"""

from .compute import (
    IDLE_SHUTDOWN_MAX,
    IDLE_SHUTDOWN_MIN,
    cluster_scale_violations,
    idle_shutdown_violation,
    parse_duration,
)
from .storage import (
    StorageFinding,
    workspace_storage_findings,
    workspace_storage_violations,
)
from .tokens import is_any_type, is_type, split_token, with_aliases
from .arm import ArmId, parse_arm_id
from .props import get_path
from .roles import GROUP_ROLES, assignment_name, is_guid, role_definition_id, role_definition_name, role_guid
from .datastore import DATASTORE_TYPES, datastore_violations
from .encryption import cmk_vault_violations
from .budget import budget_violations

__all__ = [
    "DATASTORE_TYPES",
    "GROUP_ROLES",
    "assignment_name",
    "budget_violations",
    "cmk_vault_violations",
    "datastore_violations",
    "is_guid",
    "role_definition_id",
    "role_definition_name",
    "role_guid",
    "ArmId",
    "IDLE_SHUTDOWN_MAX",
    "IDLE_SHUTDOWN_MIN",
    "StorageFinding",
    "cluster_scale_violations",
    "get_path",
    "idle_shutdown_violation",
    "is_any_type",
    "is_type",
    "parse_arm_id",
    "parse_duration",
    "split_token",
    "with_aliases",
    "workspace_storage_findings",
    "workspace_storage_violations",
]
