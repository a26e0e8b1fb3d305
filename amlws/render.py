"""Terminal output of a preview through rich: a tree of components and resources, a violation table, the summary
lines (amlws/summary.py). Imported only when something is drawn: `--quiet` writes plain lines without rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from amlws_rules import get_path, split_token

from .monitor import plain
from .preview import PreviewResult

# The settings worth seeing at a glance, per resource kind (camelCase input paths).
KEY_SETTINGS: dict[str, tuple[str, ...]] = {
    "StorageAccount": ("kind", "sku.name", "isHnsEnabled", "allowSharedKeyAccess", "publicNetworkAccess"),
    "Vault": (
        "properties.enablePurgeProtection",
        "properties.enableRbacAuthorization",
        "properties.publicNetworkAccess",
    ),
    "Registry": ("sku.name", "adminUserEnabled", "publicNetworkAccess"),
    "Component": ("ingestionMode", "disableLocalAuth"),
    "Workspace": ("publicNetworkAccess", "hbiWorkspace", "identity.type", "sku.name", "retentionInDays"),
    "Compute": (
        "properties.computeType",
        "properties.properties.vmSize",
        "properties.properties.vmPriority",
        "properties.properties.scaleSettings.maxNodeCount",
        "properties.properties.idleTimeBeforeShutdown",
    ),
    "ResourceGroup": ("location",),
    "PolicyAssignment": ("parameters.effect.value", "enforcementMode"),
    "PolicyDefinition": ("mode",),
    "RoleDefinition": ("roleName",),
}


def settings_line(kind: str, inputs: dict[str, Any]) -> str:
    shown = []
    for path in KEY_SETTINGS.get(kind, ()):
        value = get_path(inputs, path)
        if value is not None:
            parts = path.split(".")
            label = ".".join(parts[-2:]) if path.endswith(".name") else parts[-2] if parts[-1] == "value" else parts[-1]
            shown.append(f"{label}={value}")
    return ", ".join(shown)


def print_tree(result: PreviewResult, console: Console) -> None:
    root = Tree(f"[bold]{escape(result.project)}/{escape(result.stack)}[/bold]")
    nodes: dict[str, Tree] = {}
    for reg in result.registrations:
        _, _, kind = split_token(reg.type)
        label = f"[cyan]{escape(reg.type)}[/cyan] {escape(reg.name)}"
        details = settings_line(kind, plain(reg.inputs)) if reg.custom else ""
        if details:
            label += f" [dim]({escape(details)})[/dim]"
        if reg.protect:
            label += " [yellow]protected[/yellow]"
        nodes[reg.urn] = nodes.get(reg.parent, root).add(label)
    console.print(root)


def print_violations(violations: list[dict[str, Any]], console: Console) -> None:
    if not violations:
        return
    table = Table(title="Policy violations", show_lines=True)
    for column in ("level", "policy", "resource", "message"):
        table.add_column(column, overflow="fold")
    for v in violations:
        style = "red" if v["level"] == "mandatory" else "yellow"
        resource = v["urn"].rsplit("::", 1)[-1] if v["urn"] else "(stack)"
        table.add_row(
            f"[{style}]{escape(v['level'])}[/{style}]", escape(v["policy"]), escape(resource), escape(v["message"])
        )
    console.print(table)


def print_preview(result: PreviewResult, summary: list[str], console: Console) -> None:
    """The whole preview on a terminal (or a log, 200 columns wide): tree, violations, warnings, summary lines."""
    print_tree(result, console)
    print_violations(result.violations, console)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for line in summary:
        console.print(line, markup=False)
