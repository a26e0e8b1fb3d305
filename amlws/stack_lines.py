"""Where in the stack file a resource's settings come from, so code scanning can annotate that line.

The stack YAML is composed (not just loaded) to keep each node's line. A violation's resource is
traced to the config entry that declared it: its workspace (`amlws:workspaces[i]`, found through the
MachineLearningWorkspace component named after the project), `amlws:shared` or `amlws:selfServe`; then the section its
sub-component or type reads (`keyVault`, `computeClusters[j]`, ...); then, inside that section, a
key the violation's message names (`enablePurgeProtection is not true`). Each step falls back to
the one before, and to line 1 when the resource came from no config entry. A resource of a component
that a user's Python program declared points at that program's line instead (`program_site`).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import yaml

from amlws_rules import split_token

Path_ = tuple[Any, ...]

# Sub-component (or resource type) -> the config section that configures it.
SECTION_OF_COMPONENT = {
    "WorkspaceKeyVault": "keyVault",
    "WorkspaceMonitoring": "monitoring",
    "WorkspaceStorage": "storage",
    "WorkspaceContainerRegistry": "containerRegistry",
}
SECTION_OF_TYPE = {
    "consumption:Budget": "budget",
    "authorization:RoleAssignment": "access",
    "authorization:RoleDefinition": "access",
    "machinelearningservices:Registry": "mlRegistry",
}
LIST_SECTIONS = ("computeInstances", "computeClusters", "datastores", "environments")


def node_positions(text: str) -> dict[Path_, tuple[int, int]]:
    """Every mapping key and sequence item of a YAML document -> its 1-based (line, column)."""
    positions: dict[Path_, tuple[int, int]] = {}

    def walk(node: yaml.Node, path: Path_) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                positions[child] = (key.start_mark.line + 1, key.start_mark.column + 1)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                positions[(*path, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                walk(item, (*path, index))

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return positions
    if root is not None:
        walk(root, ())
    return positions


def node_lines(text: str) -> dict[Path_, int]:
    """Every mapping key and sequence item of a YAML document -> its 1-based line."""
    return {path: line for path, (line, _) in node_positions(text).items()}


PROJECT_DIR: ContextVar[Path | None] = ContextVar("amlws_project_dir", default=None)
"""The project directory of the program being previewed (`amlws preview --cwd`); None: the working directory, where
the Pulumi CLI runs a program."""


def config_position(stack_file: str, namespace: str, key_path: Path_) -> str | None:
    """`Pulumi.dev.yaml:37:11` for (`workspaces`, 0, `computeClusters`, 0, `maxNodeCount`) of namespace `amlws`:
    where the stack file wrote that setting, or its closest written ancestor (a missing key's section). None
    when the stack file can't be read or holds none of it (the value came from elsewhere, e.g. `--config`)."""
    path = Path(stack_file)
    if not path.is_absolute():
        path = (PROJECT_DIR.get() or Path.cwd()) / path
    try:
        positions = node_positions(path.read_text())
    except (OSError, UnicodeDecodeError):
        return None
    head, *rest = key_path
    for top in (f"{namespace}:{head}", str(head)):
        for length in range(len(rest), -1, -1):
            found = positions.get(("config", top, *rest[:length]))
            if found is not None:
                return f"{stack_file}:{found[0]}:{found[1]}"
    return None


class StackLines:
    """One stack file: its nodes' lines and values, and the resources of its preview."""

    def __init__(self, stack_file: Path, registrations: list[Any]):
        try:
            text = stack_file.read_text()
        except OSError:
            text = ""
        self.lines = node_lines(text)
        try:
            self.config = (yaml.safe_load(text) or {}).get("config") or {}
        except (yaml.YAMLError, AttributeError):
            self.config = {}
        self.by_urn = {r.urn: r for r in registrations}

    def _ancestors(self, urn: str) -> list[Any]:
        chain, seen = [], set()
        reg = self.by_urn.get(urn)
        while reg is not None and reg.urn not in seen:
            seen.add(reg.urn)
            chain.append(reg)
            reg = self.by_urn.get(reg.parent)
        return chain

    def _base(self, chain: list[Any]) -> Path_ | None:
        """The config entry the resource was declared for: a workspace or the shared resources."""
        workspaces = self.config.get("amlws:workspaces") or []
        projects = [w.get("project") if isinstance(w, dict) else None for w in workspaces]
        kinds = [split_token(reg.type)[2] for reg in chain]
        if "SelfServeZone" in kinds:  # the zone's own resources come from amlws:selfServe(.resources)
            zone = ("config", "amlws:selfServe")
            return (
                (*zone, "resources")
                if "SharedWorkspaceResources" in kinds and (*zone, "resources") in self.lines
                else zone
            )
        for reg in chain:
            kind = split_token(reg.type)[2]
            if kind == "MachineLearningWorkspace" and reg.name in projects:
                return ("config", "amlws:workspaces", projects.index(reg.name))
            if kind == "SharedWorkspaceResources":
                return ("config", "amlws:shared")
        name = chain[0].name if chain else ""
        for index, project in enumerate(projects):
            if project and (name.startswith(f"{project}-") or f"-{project}-" in name):
                return ("config", "amlws:workspaces", index)
        return None

    def _section(self, base: Path_, chain: list[Any]) -> Path_:
        for reg in chain:
            section = SECTION_OF_COMPONENT.get(split_token(reg.type)[2])
            if section and (*base, section) in self.lines:
                return (*base, section)
        reg = chain[0]
        module, _, kind = split_token(reg.type)
        section = SECTION_OF_TYPE.get(f"{module}:{kind}")
        if section and (*base, section) in self.lines:
            return (*base, section)
        entry = self._value(base)
        for key in LIST_SECTIONS:
            items = entry.get(key) if isinstance(entry, dict) else None
            for index, item in enumerate(items or []):
                item_name = item.get("name") if isinstance(item, dict) else None
                if item_name and (reg.name == item_name or reg.name.endswith(f"-{item_name}")):
                    return (*base, key, index)
        return base

    def _value(self, path: Path_) -> Any:
        value: Any = {"config": self.config}
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def program_site(self, urn: str) -> tuple[str, int] | None:
        """The user's program file and line that declared the resource's outermost component, when a
        program (not the stack file) declared it: code scanning annotates that line."""
        for reg in reversed(self._ancestors(urn)):
            site = getattr(reg, "declared_at", None)
            if site is not None:
                return site
        return None

    def line_for(self, urn: str, message: str) -> int:
        """The line that set what `message` complains about, or the closest enclosing entry's line."""
        chain = self._ancestors(urn)
        base = self._base(chain) if chain else None
        if base is None:
            return 1
        section = self._section(base, chain)
        detail = message.partition("\n")[2] or message
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", detail))
        named = [
            p for p in self.lines if len(p) == len(section) + 1 and p[: len(section)] == section and p[-1] in words
        ]
        if named:  # the section's own key the message names (not a nested section's key of the same name)
            return self.lines[named[0]]
        return self.lines.get(section, self.lines.get(base, 1))
