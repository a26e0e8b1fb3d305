"""`amlws ml-config PROJECT`: the Azure ML SDKs' `config.json` from a deployed stack's outputs.

The stack exports, per workspace, `mlConfig` with exactly the keys `MLClient.from_config()` and
`Workspace.from_config()` read: `subscription_id`, `resource_group`, `workspace_name`
(learn.microsoft.com/python/api/azureml-core/azureml.core.workspace(class), `from_config`;
azure.github.io/azureml-cheatsheets, "Workspace": the `config.json` shape). The input is what
`pulumi stack output --json` prints, from a file or standard input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from .preview import PreviewError

KEYS = ("subscription_id", "resource_group", "workspace_name")


def read_stack_outputs(source: str, stdin: TextIO | None = None) -> dict[str, Any]:
    """Parse `pulumi stack output --json` from `source` (a path, or `-` for standard input)."""
    label = "standard input" if source == "-" else source
    if source == "-":
        stream = stdin or sys.stdin
        if stream.isatty():
            raise PreviewError("ml-config: pipe `pulumi stack output --json` in, or give --from FILE")
        text = stream.read()
    else:
        try:
            text = Path(source).read_text()
        except OSError as err:
            raise PreviewError(f"ml-config: cannot read {source}: {err.strerror or err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PreviewError(
            f"ml-config: {label} is not JSON ({err.msg} at line {err.lineno}); expected `pulumi stack output --json`"
        ) from None
    if not isinstance(data, dict):
        raise PreviewError(
            f"ml-config: {label} holds a JSON {type(data).__name__}; "
            "expected the object `pulumi stack output --json` prints"
        )
    return data


def ml_config(outputs: dict[str, Any], project: str, label: str = "the stack outputs") -> dict[str, str]:
    """The three config.json values for `project`, or a PreviewError saying what is missing."""
    workspaces = sorted(k for k, v in outputs.items() if isinstance(v, dict) and "mlConfig" in v)
    if project not in outputs:
        known = ", ".join(workspaces) or "none"
        raise PreviewError(f"ml-config: no workspace {project!r} in {label} (workspaces: {known})")
    entry = outputs[project]
    config = entry.get("mlConfig") if isinstance(entry, dict) else None
    if not isinstance(config, dict):
        raise PreviewError(
            f"ml-config: output {project!r} has no mlConfig; deploy the stack with this version first (`pulumi up`)"
        )
    values: dict[str, str] = {}
    for key in KEYS:
        value = config.get(key)
        if value == "[secret]":
            raise PreviewError(
                f"ml-config: {project}.mlConfig.{key} is hidden as "
                "[secret]; run `pulumi stack output --json --show-secrets`"
            )
        if not isinstance(value, str) or not value:
            raise PreviewError(f"ml-config: {project}.mlConfig.{key} = {value!r}: expected a non-empty string")
        values[key] = value
    return values


def config_json(values: dict[str, str]) -> str:
    return json.dumps({key: values[key] for key in KEYS}, indent=2) + "\n"
