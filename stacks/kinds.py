"""A stack's Hub and Project workspaces: a Project names its hub by the hub's `project` in the same stack (`hub`)
or by resource ID (`hubResourceId`). Which workspace is which is resolved by project name, so the order of the
entries in `amlws:workspaces` does not matter; the program declares each hub before its projects, and a project's
workspace receives its hub's workspace ID (an Output, so it also waits for the hub).

What else each kind takes is the component's rule (components/kinds.py); the rule that a project's hub must be a
Hub is the pack's too (`amlws_rules.kinds.project_hub_violation`, policy workspace-project-hub-is-a-hub).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence

from amlws_rules.kinds import project_hub_violation

if TYPE_CHECKING:
    from .config import StackConfig, WorkspaceConfig

NAMESPACE = "amlws"


def hub_problems(config: StackConfig) -> list[str]:
    """`hub` / `hubResourceId` of every workspace, checked against the whole stack (any order). Each problem
    starts with its key path, so StackConfigError puts the stack file's line and column before it."""
    kinds = {w.project: (w.kind or "Default") for w in config.workspaces}
    hubs = sorted(p for p, k in kinds.items() if k == "Hub")
    problems: list[tuple[int, str, str]] = []  # (index, key, problem)
    for i, workspace in enumerate(config.workspaces):
        kind = workspace.kind or "Default"
        if workspace.hub is not None and workspace.hub_resource_id is not None:
            problems.append((i, "hub", "give one of hub (a Hub workspace of this stack) or hubResourceId, not both"))
        elif workspace.hub is not None and kind != "Project":
            problems.append((i, "hub", f"only a Project names a hub (kind is {kind}): set kind: Project"))
        elif workspace.hub is not None and workspace.hub not in kinds:
            listed = ", ".join(hubs) if hubs else "none: declare one with kind: Hub"
            problems.append((i, "hub", f"names no workspace of this stack (its Hub workspaces: {listed})"))
        elif workspace.hub is not None:
            problem = project_hub_violation(workspace.hub, kinds[workspace.hub])
            if problem:
                problems.append((i, "hub", f"{problem.replace('hubResourceId', 'hub')}: name a workspace of kind Hub"))
        elif kind == "Project" and workspace.hub_resource_id is None:
            problems.append(
                (
                    i,
                    "kind",
                    "a Project names its hub: hub: <project of a Hub workspace in this stack>, or hubResourceId: "
                    "<resource ID of a Hub workspace>",
                )
            )
    return [
        f"{NAMESPACE}:workspaces[{i}].{key} = {json.dumps(getattr(config.workspaces[i], key))}: {problem}"
        for i, key, problem in problems
    ]


def declaration_order(workspaces: Sequence[WorkspaceConfig]) -> list[WorkspaceConfig]:
    """Each workspace after the hub it names (a checked stack: every `hub` is a Hub, which names none)."""
    return sorted(workspaces, key=lambda w: w.hub is not None)
