"""`amlws graph`: a stack's components, resources and the references between them.

Two renderings of one graph: Mermaid (renders in pull requests and READMEs) and SVG (a layered
layout by `grandalf`, drawn with `drawsvg`). Containment (a component's children) is drawn as nesting in
Mermaid and as grey edges in SVG; references are the engine's property dependencies (the workspace's
`storageAccount` points at the storage account), labelled with the property.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
        return sorted((self.nodes[u] for u, p in self.parent.items() if p == urn), key=lambda n: (not n.component, n.short_type, n.name))


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


def to_mermaid(graph: StackGraph) -> str:
    """`flowchart LR`: components as nested subgraphs, resources as nodes, references as dotted edges."""
    ids = _ids(graph)
    lines = ["flowchart LR"]

    def emit(parent: str | None, indent: str) -> None:
        for node in graph.children(parent):
            if node.component:
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


BOX_W, BOX_H, FONT = 230, 38, 11


def to_svg(graph: StackGraph) -> str:
    """A layered drawing: each component and resource a box, containment grey, references dashed blue."""
    import drawsvg
    from grandalf.graphs import Edge, Graph, Vertex
    from grandalf.layouts import SugiyamaLayout

    class _View:
        # Laid out top-down with the box's height as its width, then turned to run left to right:
        # a stack is much wider than deep, and a tall picture reads better in a README.
        w, h = BOX_H + 10, BOX_W + 70

    class _Vertex(Vertex):
        """Hashed by a stable number: grandalf keeps vertices and edges in sets, and identity hashes
        would make the drawing differ from one run to the next."""

        view: Any

        def __init__(self, data: str, number: int):
            super().__init__(data)
            self.number = number

        def __hash__(self) -> int:
            return self.number

    class _Edge(Edge):
        def __hash__(self) -> int:
            return self.v[0].number * 100_003 + self.v[1].number

    vertices = {urn: _Vertex(urn, i) for i, urn in enumerate(sorted(graph.nodes))}
    for v in vertices.values():
        v.view = _View()
    edges = [_Edge(vertices[p], vertices[c]) for c, p in sorted(graph.parent.items()) if p is not None]
    edges += [_Edge(vertices[s], vertices[t]) for s, t, _ in graph.references if graph.parent.get(t) != s]
    layout_graph = Graph(list(vertices.values()), edges)
    for component in layout_graph.C:
        layout = SugiyamaLayout(component)
        layout.init_all()
        layout.draw()
    # Components of the layout graph are laid out independently; place them side by side.
    positions: dict[str, tuple[float, float]] = {}
    offset = 0.0
    for component in layout_graph.C:
        across = [v.view.xy[0] for v in component.sV]
        layers = [v.view.xy[1] for v in component.sV]
        for v in component.sV:
            positions[v.data] = (v.view.xy[1] - min(layers) + BOX_W / 2 + 10, v.view.xy[0] - min(across) + offset + 40)
        offset += max(across) - min(across) + BOX_H + 30
    width = max(x for x, _ in positions.values()) + BOX_W / 2 + 10
    height = max(y for _, y in positions.values()) + BOX_H
    drawing = drawsvg.Drawing(width, height, font_family="Segoe UI, Helvetica, Arial, sans-serif")
    drawing.append(drawsvg.Rectangle(0, 0, width, height, fill="white"))
    drawing.append(drawsvg.Text(f"amlws/{graph.stack}", 14, 10, 20, font_weight="bold"))

    def line(a: str, b: str, **style) -> None:
        (x1, y1), (x2, y2) = positions[a], positions[b]
        drawing.append(drawsvg.Line(x1 + BOX_W / 2, y1, x2 - BOX_W / 2, y2, **style))

    for child, parent in graph.parent.items():
        if parent is not None:
            line(parent, child, stroke="#9ca3af", stroke_width=1)
    for source, target, prop in graph.references:
        line(source, target, stroke="#2563eb", stroke_width=1, stroke_dasharray="4,3")
    for urn, node in graph.nodes.items():
        x, y = positions[urn]
        fill = "#eef2ff" if node.component else "#f9fafb"
        stroke = "#b45309" if node.protect else ("#4f46e5" if node.component else "#6b7280")
        drawing.append(drawsvg.Rectangle(x - BOX_W / 2, y - BOX_H / 2, BOX_W, BOX_H, rx=5, fill=fill, stroke=stroke,
                                         stroke_width=2 if node.protect else 1, stroke_dasharray="5,3" if node.component else None))
        drawing.append(drawsvg.Text(node.short_type, FONT, x, y - 3, text_anchor="middle", fill="#374151"))
        drawing.append(drawsvg.Text(node.name + (" (protected)" if node.protect else ""), FONT, x, y + 11, text_anchor="middle", font_weight="bold"))
    return drawing.as_svg() or ""
