"""A team's own Pulumi program: two workspaces sharing a registry and a key vault, built from the
amlws components (installed with `pip install` of this repository), no stack config of ours needed."""

import pulumi
from pulumi_azure_native import resources

from amlws.components import MachineLearningWorkspace, SharedWorkspaceResources

TAGS = {"project": "vision", "environment": "dev", "owner": "vision-team"}


def main() -> None:
    group = resources.ResourceGroup("vision", location="northeurope", tags=TAGS)
    shared = SharedWorkspaceResources(
        "vision-shared",
        {
            "resource_group_name": group.name,
            "container_registry": {"sku_name": "Standard"},
            "key_vault": {"enable_purge_protection": True},
            "tags": TAGS,
        },
    )
    registry, vault = shared.registry, shared.vault
    assert registry is not None and vault is not None  # the shared component above declares both
    for name in ("vision-train", "vision-eval"):
        workspace = MachineLearningWorkspace(
            name,
            {
                "resource_group_name": group.name,
                "container_registry": {"existing_id": registry.id},
                "key_vault": {"existing_id": vault.id},
                "access": {"data_scientists": ["9d3b2a1c-0f4e-4d5c-8b7a-6e5f4d3c2b1a"]},
                "compute_clusters": [
                    {"name": "gpu", "vm_size": "Standard_NC6s_v3", "max_node_count": 2, "vm_priority": "LowPriority"}
                ],
                "tags": TAGS,
            },
        )
        pulumi.export(f"{name}-id", workspace.workspace_id)
        pulumi.export(f"{name}-principal", workspace.principal_id)


main()
