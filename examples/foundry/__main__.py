"""The stack program of this package, run on this folder's stack file (`Pulumi.dev.yaml`): a Hub, its two
Projects and a FeatureStore, all written as `amlws:workspaces` entries (docs/workspace-kinds.md)."""

from amlws.stacks.program import main

main()
