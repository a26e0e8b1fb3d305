"""The tree `amlws graph` draws: a stack's components and resources (nesting by parent) and the
references between them (the engine's property dependencies). Both drawings (`graph` for Mermaid,
`graph_svg` for SVG) take this tree; neither knows the other.
"""

from __future__ import annotations

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
    project: str = ""
    nodes: dict[str, Node] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    references: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, property)

    def children(self, urn: str | None) -> list[Node]:
        return sorted(
            (self.nodes[u] for u, p in self.parent.items() if p == urn),
            key=lambda n: (not n.component, n.short_type, n.name),
        )


def build_graph(result: PreviewResult) -> StackGraph:
    graph = StackGraph(result.stack, result.project)
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


def collapsed(graph: StackGraph) -> StackGraph:
    """Each top-level component as one node, carrying the references of everything inside it."""

    def top(urn: str) -> str:
        while (parent := graph.parent.get(urn)) is not None:
            urn = parent
        return urn

    out = StackGraph(graph.stack, graph.project)
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


def title(graph: StackGraph, collapse: bool) -> str:
    """The picture's title: the Pulumi project and the stack, and whether components are collapsed."""
    project = f"project {graph.project}, " if graph.project else ""
    return f"{project}stack {graph.stack}" + (" (components collapsed)" if collapse else "")
