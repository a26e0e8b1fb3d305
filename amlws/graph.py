"""`amlws graph`: a stack's components, resources and the references between them.

Two renderings of one graph: Mermaid (renders in pull requests and READMEs) and SVG (`graph_svg`:
panels in columns, sized for a README). Containment (a component's children) is drawn as nesting in
both; references are the engine's property dependencies (the workspace's `storageAccount` points at
the storage account), labelled with the property. `collapse` draws each top-level component as one
node, with the references of everything inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .preview import PreviewResult


@dataclass(frozen=True)
class Node:
    urn: str
    type: str
    name: str
    component: bool
    protect: bool

    @property
    def short_type(self) -> str:
        """`azure-native:storage:StorageAccount` -> `storage:StorageAccount`; `amlws:index:X` -> `X`."""
        package, _, rest = self.type.partition(":")
        module, _, kind = rest.rpartition(":")
        module = module.split("/")[0]
        if package == "amlws":
            return kind
        return f"{module}:{kind}" if module and module != "index" else f"{package}:{kind}"


@dataclass
class StackGraph:
    stack: str
    nodes: dict[str, Node] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, property)

    def children(self, urn: str | None) -> list[Node]:
        return sorted(
            (self.nodes[u] for u, p in self.parent.items() if p == urn),
            key=lambda n: (not n.component, n.short_type, n.name),
        )


def build_graph(result: PreviewResult) -> StackGraph:
    graph = StackGraph(result.stack)
    for reg in result.registrations:
        graph.nodes[reg.urn] = Node(reg.urn, reg.type, reg.name, not reg.custom, reg.protect)
    for reg in result.registrations:
        graph.parent[reg.urn] = reg.parent if reg.parent in graph.nodes else None
    seen: set[tuple[str, str]] = set()
    for reg in result.registrations:
        for prop, targets in sorted(reg.property_dependencies.items()):
            for target in sorted(targets):
                if target in graph.nodes and target != reg.parent and (reg.urn, target) not in seen:
                    seen.add((reg.urn, target))
                    graph.references.append((reg.urn, target, prop))
    return graph


def _ids(graph: StackGraph) -> dict[str, str]:
    ordered = sorted(graph.nodes, key=lambda u: (graph.nodes[u].short_type, graph.nodes[u].name))
    return {urn: f"n{i}" for i, urn in enumerate(ordered)}


def _label(text: str) -> str:
    return re.sub(r'["<>]', "", text)


def collapsed(graph: StackGraph) -> StackGraph:
    """Each top-level component as one node, carrying the references of everything inside it."""

    def top(urn: str) -> str:
        while graph.parent.get(urn) is not None:
            urn = graph.parent[urn]  # type: ignore[assignment]
        return urn

    out = StackGraph(graph.stack)
    for node in graph.children(None):
        out.nodes[node.urn] = node
        out.parent[node.urn] = None
    seen: set[tuple[str, str, str]] = set()
    for source, target, prop in graph.references:
        edge = (top(source), top(target), prop)
        if edge[0] != edge[1] and edge not in seen:
            seen.add(edge)
            out.references.append(edge)
    return out


def to_mermaid(graph: StackGraph, collapse: bool = False) -> str:
    """`flowchart LR`: components as nested subgraphs, resources as nodes, references as dotted edges;
    with `collapse`, each top-level component one node."""
    if collapse:
        graph = collapsed(graph)
    ids = _ids(graph)
    lines = ["flowchart LR"]

    def emit(parent: str | None, indent: str) -> None:
        for node in graph.children(parent):
            if node.component and not collapse:
                lines.append(f'{indent}subgraph {ids[node.urn]}["{_label(node.short_type)} {_label(node.name)}"]')
                emit(node.urn, indent + "  ")
                lines.append(f"{indent}end")
            else:
                lock = " 🔒" if node.protect else ""
                lines.append(f'{indent}{ids[node.urn]}["{_label(node.short_type)}<br/>{_label(node.name)}{lock}"]')

    emit(None, "  ")
    for source, target, prop in graph.references:
        lines.append(f"  {ids[source]} -.->|{_label(prop)}| {ids[target]}")
    protected = [ids[n.urn] for n in graph.nodes.values() if n.protect and not n.component]
    lines.append("  classDef protected stroke:#b45309,stroke-width:2px")
    if protected:
        lines.append(f"  class {','.join(protected)} protected")
    return "\n".join(lines) + "\n"


def to_svg(graph: StackGraph, collapse: bool = False) -> str:
    """Components as panels holding their resources (or, with `collapse`, one box each), references
    as labelled arrows, and a legend: see `graph_svg`."""
    from .graph_svg import render

    return render(graph, collapse)
