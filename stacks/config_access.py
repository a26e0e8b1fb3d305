"""The stack sections of access control: role assignments (AVM `roleAssignments`, on the workspace and on
each resource it creates), custom roles and the Microsoft Entra groups per workspace role (derived from the
component Args, like every section; stacks/config.py offers them).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from amlws.components.access import CustomRoleSettings, WorkspaceAccessSettings
from amlws.components.role_assignments import PRINCIPAL_TYPES, RoleAssignmentSettings
from amlws_rules import is_guid
from amlws_rules.roles import resolve_role

from .config_base import args_section, guids, optional_guids


def _role(cls: Any, value: str) -> str:
    """A built-in role name (did you mean), a GUID or a role definition ID: `resolve_role`, the components' reader."""
    resolve_role(value, "00000000-0000-0000-0000-000000000000")  # the subscription is the deployer's, later
    return value


def _principal(cls: Any, value: str) -> str:
    if not is_guid(value):
        raise ValueError(
            "the principal's object ID is a GUID (of a user, group, service principal or managed identity)"
        )
    return value


class RoleAssignmentConfig(
    args_section(
        RoleAssignmentSettings,
        types={
            "principal_id": str,
            "principal_type": Literal[PRINCIPAL_TYPES],  # type: ignore[valid-type]  # the components' tuple
            "condition_version": Literal["2.0"],
        },
    )
):
    """AVM `roleAssignments` entry (the component checks duplicates and where they may go)."""

    _check_role = field_validator("role_definition_id_or_name")(classmethod(_role))
    _check_principal = field_validator("principal_id")(classmethod(_principal))


ROLE_ASSIGNMENTS = {"role_assignments": list[RoleAssignmentConfig]}


class CustomRoleConfig(
    args_section(
        CustomRoleSettings,
        types={
            "role_name": Annotated[str, Field(min_length=1, max_length=128)],
            "actions": list[str],
            "not_actions": list[str],
            "data_actions": list[str],
        },
        # A role may grant only data actions: `actions` may be left out in a stack file.
        defaults={"actions": [], "not_actions": [], "data_actions": []},
    )
):
    _check_groups = field_validator("group_object_ids")(classmethod(lambda cls, v: guids(v)))

    @model_validator(mode="after")
    def _some_action(self) -> "CustomRoleConfig":
        if not self.actions and not self.data_actions:
            raise ValueError("a role needs at least one action or data action: list actions or dataActions")
        return self


class AccessConfig(
    args_section(
        WorkspaceAccessSettings,
        types={"custom_roles": list[CustomRoleConfig]},
        defaults={"custom_roles": []},
    )
):
    """Microsoft Entra groups (object IDs) per workspace role."""

    _check_groups = field_validator("data_scientists", "compute_operators", "readers", "admins")(
        classmethod(lambda cls, v: optional_guids(v))
    )
