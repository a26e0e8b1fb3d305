"""How the stack program reports a component's refusal: as a config error naming the stack key (camelCase),
and the plain-text connection keys it refuses.
"""

from __future__ import annotations

import json
import re

from pulumi.runtime.config import is_config_secret
from pydantic.alias_generators import to_camel

from amlws.components import (
    ComponentInputError,
)

from .config import (
    WorkspaceConfig,
)


def config_key(text: str) -> str:
    """Component settings as the stack file spells them: `storage.existing_id` -> `storage.existingId`
    (snake_case words only; never inside an ID, a path or a quoted value)."""
    return re.sub(r"(?<![/\w'\"-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![/\w'\"-])", lambda m: to_camel(m.group()), text)


# A component setting fed by a stack key of another name: the workspace's `diagnostics` list is its
# `diagnostic_settings`.
STACK_SETTINGS = {"diagnostic_settings": "diagnostics"}


def _stack_setting(setting: str) -> str:
    for component_key, stack_key in STACK_SETTINGS.items():
        if setting == component_key or setting.startswith((f"{component_key}[", f"{component_key}.")):
            return stack_key + setting[len(component_key) :]
    return setting


def config_problem(prefix: str, err: ComponentInputError, context: str | None = None) -> str:
    """A component's refusal, reported like a config error: stack key (camelCase), value, what is wrong."""
    where = f" ({context}, checked by {err.component})" if context else f" (checked by {err.component})"
    key = config_key(_stack_setting(err.setting))
    key = f"{prefix}.{key}" if not key.startswith("(") else f"{prefix} {key}"
    return f"{key} = {json.dumps(err.value, default=str, ensure_ascii=False)}: {config_key(err.problem)}{where}"


def plain_connection_keys(index: int, workspace: WorkspaceConfig) -> list[str]:
    """A connection's key written in plain text would sit unencrypted in the stack file: refuse it (the engine
    marks the whole `amlws:workspaces` key secret when any value inside it is a `secure:` one)."""
    if is_config_secret("amlws:workspaces"):
        return []
    return [
        f"amlws:workspaces[{index}].connections[{j}].secret = [not shown]: a key belongs in a secure value: "
        f"pulumi config set --secret --path 'workspaces[{index}].connections[{j}].secret' <key>"
        for j, conn in enumerate(workspace.connections or [])
        if conn.secret is not None
    ]
