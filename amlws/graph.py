"""`amlws graph`: a stack's components, resources and the references between them.

Two renderings of one graph: Mermaid (renders in pull requests and READMEs) and SVG (`graph_svg`:
panels in columns, sized for a README). Containment (a component's children) is drawn as nesting in
both; references are the engine's property dependencies (the workspace's `storageAccount` points at
the storage account), labelled with the property. `collapse` draws each top-level component as one
node, with the references of everything inside it.
"""

from __future__ import annotations

import re

from .graph_svg import render
from .stack_graph import Node, StackGraph, build_graph, collapsed, title

__all__ = ["Node", "StackGraph", "build_graph", "collapsed", "title", "to_mermaid", "to_svg"]


def _ids(graph: StackGraph) -> dict[str, str]:
    ordered = sorted(graph.nodes, key=lambda u: (graph.nodes[u].short_type, graph.nodes[u].name))
    return {urn: f"n{i}" for i, urn in enumerate(ordered)}


def _label(text: str) -> str:
    return re.sub(r'["<>]', "", text)


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
    return render(graph, collapse)
