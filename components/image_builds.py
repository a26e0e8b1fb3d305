"""Custom environment images, allowed or not, per workspace and per self-serve zone.

The docs (concept-workspace): Azure ML creates a container registry on the first image build, without
tags, which fails under tag-enforcing subscriptions; "Use Azure RBAC to prevent customer docker
containers from being built." So: where image builds are allowed the workspace must have a registry
the stack made (tagged); where they are not, data scientists get AzureML Data Scientist's actions
minus the image-build ones (`amlws_rules.selfserve.IMAGE_BUILD_ACTIONS`, with sources).
"""

import pulumi
from pulumi_azure_native import authorization

from amlws_rules import role_definition_name
from amlws_rules import selfserve as rules

from ._common import ComponentInputError, child

SETTINGS = rules.IMAGE_BUILD_SETTINGS


def image_builds_setting(given: str | None, has_registry: bool) -> str:
    """As given; otherwise allowed exactly when there is a registry to build into."""
    return given if given is not None else ("Allowed" if has_registry else "Disabled")


def validate_image_builds(component: str, setting: str, has_registry: bool, registry_key: str) -> None:
    if setting not in SETTINGS:
        raise ComponentInputError(component, "image_builds", setting, "must be Allowed or Disabled")
    if setting == "Allowed" and not has_registry:
        raise ComponentInputError(
            component,
            "image_builds",
            setting,
            f"allowing image builds needs a registry the stack created, with tags ({registry_key}); "
            "otherwise Azure ML creates an untagged one on the first build, which tag-enforcing subscriptions refuse",
        )


def no_image_build_role(
    parent: pulumi.Resource, name: str, *, scope: pulumi.Input[str], role_name: str
) -> authorization.RoleDefinition:
    """AzureML Data Scientist's actions minus the ones that build environment images, assignable at `scope`."""
    return authorization.RoleDefinition(
        name,
        role_definition_id=pulumi.Output.from_input(scope).apply(lambda sc: role_definition_name(sc, role_name)),
        role_name=role_name,
        description="AzureML Data Scientist without building custom environment images "
        "(environments/build/action, environments/write, environments/versions/write).",
        role_type="CustomRole",
        scope=scope,
        assignable_scopes=[scope],
        permissions=[
            authorization.PermissionArgs(
                actions=list(rules.AZUREML_DATA_SCIENTIST_ACTIONS),
                not_actions=list(rules.NO_IMAGE_BUILDS_NOT_ACTIONS),
                data_actions=[],
            )
        ],
        opts=child(parent),
    )
