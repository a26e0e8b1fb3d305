"""Where a workspace's children are declared: under the component, named from its name, in its resource group,
region and tags, with its protection; the deploying client's subscription and tenant read once."""

from typing import NamedTuple, TYPE_CHECKING

import pulumi
from pulumi_azure_native import authorization

if TYPE_CHECKING:
    from .workspace_plan import WorkspaceNames


class Declaring(NamedTuple):
    parent: pulumi.Resource
    name: str
    subscription_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    rg: pulumi.Input[str]
    location: pulumi.Input[str] | None
    tags: dict[str, str]
    protect: bool

    @classmethod
    def under(cls, parent: pulumi.Resource, names: "WorkspaceNames") -> "Declaring":
        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=parent))
        return cls(
            parent,
            names.name,
            client.subscription_id,
            client.tenant_id,
            names.resource_group_name,
            names.location,
            names.tags,
            names.protect,
        )
