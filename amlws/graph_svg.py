"""The SVG picture of a stack graph, sized for a README.

Each top-level component is a panel holding its resources (nested components as sub-panels), or, with
`collapse`, a single box that counts them. Panels sit in columns by reference: a panel is left of
everything it references, so arrows run left to right. References between panels are arrows labelled
with the property that holds the reference; references of many resources in a panel to one target
(every resource's `resourceGroupName`) are drawn once, from the panel, with a count. References inside
a panel are left to the Mermaid picture, which draws every one. Text is measured (roughly, per
character) so boxes fit their text, and the picture is deterministic: the committed copies are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from .stack_graph import Node, StackGraph, title

FONT = "Segoe UI, Helvetica, Arial, sans-serif"
SIZE, SMALL = 11, 9
ROW_H, HEAD_H, PAD, GAP_Y, REF_LINE, PORT = 20, 22, 8, 16, 12, 14
MAX_WIDTH = 900  # a README's width: collapsed pictures fold their columns to fit
INK, MUTED, REF, PROTECT, COMPONENT = "#111827", "#6b7280", "#2563eb", "#b45309", "#4f46e5"
_NARROW, _WIDE = set("ijlrtf.,:;|!'()[] -1"), set("mwMW@")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A per-character estimate of the rendered width (Helvetica-like metrics), enough to fit boxes."""
    units = sum(0.36 if c in _NARROW else 0.95 if c in _WIDE else 0.74 if c.isupper() else 0.62 for c in text)
    return units * size * (1.15 if bold else 1.0)


def display_type(node: Node, ambiguous: set[str]) -> str:
    """The resource kind, with its module only where two modules share the kind (`Workspace`)."""
    kind = node.short_type.rpartition(":")[2]
    return node.short_type if kind in ambiguous else kind


@dataclass
class Box:
    """A panel (component), a row (resource) or, collapsed, a component's single box."""

    urn: str
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    rows: list["Box"] = field(default_factory=list)


@dataclass
class Picture:
    graph: StackGraph
    collapse: bool
    ambiguous: set[str]
    boxes: dict[str, Box] = field(default_factory=dict)  # every drawn node's box, by URN
    out: list[str] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from box, to box, label)

    def top(self, urn: str) -> str:
        while (parent := self.graph.parent.get(urn)) is not None:
            urn = parent
        return urn

    def visible(self, urn: str) -> str:
        """The box a reference to `urn` is drawn at: the resource's row, or its panel when collapsed."""
        return self.top(urn) if self.collapse else urn


def _count(graph: StackGraph, urn: str) -> int:
    return sum(1 + _count(graph, c.urn) if c.component else 1 for c in graph.children(urn))


def _inner_references(pic: Picture, urn: str) -> list[str]:
    """A resource's references to others in its own panel, as text lines (`storageAccount → churn-st`):
    arrows inside a tall panel would cross every row between the two."""
    if pic.collapse:
        return []
    return [
        f"{prop} → {pic.graph.nodes[t].name}"
        for s, t, prop in pic.graph.references
        if s == urn and pic.top(t) == pic.top(s)
    ]


def _label_lines(pic: Picture, node: Node) -> tuple[str, str]:
    kind = node.short_type if node.component else display_type(node, pic.ambiguous)
    if node.component and pic.collapse:
        kind = f"{kind} ({_count(pic.graph, node.urn)} inside)"
    return kind, node.name + (" [protected]" if node.protect else "")


def _measure(pic: Picture, urn: str, depth: int) -> Box:
    """Size a node's box: a resource row, or a panel around its children's rows."""
    node = pic.graph.nodes[urn]
    kind, name = _label_lines(pic, node)
    box = Box(urn)
    pic.boxes[urn] = box
    refs = _inner_references(pic, urn)
    inner = (
        max([text_width(kind, SMALL), text_width(name, SIZE, bold=True), *(text_width(r, SMALL) for r in refs)])
        + 2 * PAD
    )
    if not node.component or pic.collapse:
        ports = max(sum(1 for e in pic.edges if e[0] == urn), sum(1 for e in pic.edges if e[1] == urn))
        box.w, box.h = inner, max(2 * ROW_H - 6 + REF_LINE * len(refs), PORT * ports + 6)
        return box
    box.rows = [_measure(pic, child.urn, depth + 1) for child in pic.graph.children(urn)]
    box.w = max([inner, *(r.w + 2 * PAD for r in box.rows)])
    box.h = HEAD_H + ROW_H - 4 + sum(r.h + 4 for r in box.rows) + PAD
    return box


def _place(box: Box, x: float, y: float) -> None:
    box.x, box.y = x, y
    cursor = y + HEAD_H + ROW_H - 4
    for row in box.rows:
        row.w = box.w - 2 * PAD
        _place(row, x + PAD, cursor)
        cursor += row.h + 4


def _columns(pic: Picture, units: list[str]) -> list[list[str]]:
    """Columns by reference: each unit one column left of the furthest-left unit it is referenced by."""
    refs = sorted({(pic.top(s), pic.top(t)) for s, t, _ in pic.graph.references if pic.top(s) != pic.top(t)})
    column = {u: 0 for u in units}
    for _ in units:  # longest path, at most len(units) rounds; a cycle stops growing at the bound
        for s, t in refs:
            if column[t] < column[s] + 1 <= len(units):
                column[t] = column[s] + 1
    columns: list[list[str]] = [[] for _ in range(max(column.values()) + 1)]
    for u in units:
        columns[column[u]].append(u)
    return [c for c in columns if c]


def _layout(pic: Picture) -> tuple[float, float]:
    units = [n.urn for n in pic.graph.children(None)]
    for u in units:
        _measure(pic, u, 0)
    gap = min(280.0, max([120.0, *(text_width(label, SMALL) + 50 for _, _, label in pic.edges)]))
    x, bottom = PAD * 2, 0.0
    top = 64.0  # title and legend
    columns, folded = _columns(pic, units), 0.0
    if pic.collapse:  # README width: fold the rightmost columns into one until the picture fits
        while (
            len(columns) > 2
            and sum(max(pic.boxes[u].w for u in c) for c in columns) + gap * (len(columns) - 1) > MAX_WIDTH
        ):
            columns[-2:] = [columns[-2] + columns[-1]]
            folded = gap  # room for the arrows (and labels) between boxes of one column, drawn on its right
    for column in columns:
        width = max(pic.boxes[u].w for u in column)
        y = top
        for u in column:
            box = pic.boxes[u]
            box.w = width
            _place(box, x, y)
            y += box.h + GAP_Y
        bottom = max(bottom, y)
        x += width + gap
    return x - gap + PAD * 2 + folded, bottom + PAD


def _text(pic: Picture, x: float, y: float, text: str, size: float, **attrs: str) -> None:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    pic.out.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(text)}</text>')


def _draw_box(pic: Picture, box: Box) -> None:
    node = pic.graph.nodes[box.urn]
    kind, name = _label_lines(pic, node)
    stroke = PROTECT if node.protect else (COMPONENT if node.component else MUTED)
    fill = "#eef2ff" if node.component else "#ffffff"
    dash = ' stroke-dasharray="5,3"' if node.component else ""
    width = 2 if node.protect else 1
    pic.out.append(
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="5" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
    )
    _text(pic, box.x + PAD, box.y + 13, kind, SMALL, fill=MUTED)
    _text(pic, box.x + PAD, box.y + 27, name, SIZE, font_weight="bold", fill=INK)
    for i, ref in enumerate(_inner_references(pic, box.urn) if not box.rows else []):
        _text(pic, box.x + PAD, box.y + 39 + REF_LINE * i, ref, SMALL, fill=REF)
    for row in box.rows:
        _draw_box(pic, row)


def _edges(pic: Picture) -> list[tuple[str, str, str]]:
    """The arrows: references between panels, from box to box. The references of many resources in one
    panel to one target with one property become one arrow from the panel (`resourceGroupName ×7`);
    collapsed, all of a box's references to another box become one arrow listing the properties."""
    counts: dict[tuple[str, str, str], int] = {}
    for s, t, prop in pic.graph.references:
        if pic.top(s) != pic.top(t):
            key = (pic.visible(s), pic.visible(t), prop)
            counts[key] = counts.get(key, 0) + 1
    merged: dict[tuple[str, str, str], int] = {}
    for (source, target, prop), n in sorted(counts.items()):
        unit = pic.top(source)
        same = [k for k in counts if pic.top(k[0]) == unit and k[1] == target and k[2] == prop]
        key = (unit if len(same) > 1 else source, target, prop)
        merged[key] = sum(counts[k] for k in same)
    by_pair: dict[tuple[str, str], list[str]] = {}
    for (source, target, prop), n in sorted(merged.items(), key=lambda item: (item[0][:2], -item[1], item[0][2])):
        by_pair.setdefault((source, target), []).append(prop + (f" ×{n}" if n > 1 else ""))
    edges = []
    for (source, target), props in sorted(by_pair.items()):
        if pic.collapse:
            label = props[0] + (f" +{len(props) - 1} more" if len(props) > 1 else "")
            edges.append((source, target, label))
        else:
            edges += [(source, target, p) for p in props]
    return edges


def _port(box: Box, index: int, count: int) -> float:
    """Where the index-th of `count` arrows leaves or enters a box's side, spread over its head."""
    span = min(box.h, 2 * ROW_H - 6) if box.rows else box.h
    return box.y + span * (index + 1) / (count + 1)


def _arrows(pic: Picture) -> None:
    boxes = pic.boxes
    outgoing = {
        e: i
        for src in {e[0] for e in pic.edges}
        for i, e in enumerate(sorted((e for e in pic.edges if e[0] == src), key=lambda e: (boxes[e[1]].y, e[2])))
    }
    incoming = {
        e: i
        for dst in {e[1] for e in pic.edges}
        for i, e in enumerate(sorted((e for e in pic.edges if e[1] == dst), key=lambda e: (boxes[e[0]].y, e[2])))
    }
    labels: list[tuple[float, float, str]] = []
    for edge in pic.edges:
        source, target, label = edge
        a, b = boxes[source], boxes[target]
        y1 = _port(a, outgoing[edge], sum(1 for e in pic.edges if e[0] == source))
        y2 = _port(b, incoming[edge], sum(1 for e in pic.edges if e[1] == target))
        if abs(a.x - b.x) < 1:  # one column (folded): out of the right side and back into it
            x1, x2 = a.x + a.w, b.x + b.w
            pic.out.append(
                f'<path d="M{x1:.1f},{y1:.1f} C{x1 + 70:.1f},{y1:.1f} {x2 + 70:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}" '
                f'fill="none" stroke="{REF}" stroke-width="1" stroke-dasharray="4,3" marker-end="url(#arrow)"/>'
            )
            labels.append((x1 + 6, y1 - 3, label))
            continue
        forward = b.x > a.x + a.w
        x1 = a.x + a.w if forward else a.x
        x2 = b.x if forward else b.x + b.w
        bend = max(40.0, abs(x2 - x1) / 2) * (1 if forward else -1)
        pic.out.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} '
            f'{x2 - (2 if forward else -2):.1f},{y2:.1f}" '
            f'fill="none" stroke="{REF}" stroke-width="1" stroke-dasharray="4,3" marker-end="url(#arrow)"/>'
        )
        labels.append((x1 + 6 if forward else x1 - 6 - text_width(label, SMALL), y1 - 3, label))
    for x, y, text in labels:  # over every line, on a white ground
        w = text_width(text, SMALL)
        pic.out.append(
            f'<rect x="{x - 1:.1f}" y="{y - 8:.1f}" width="{w + 2:.1f}" height="10" fill="white" fill-opacity="0.85"/>'
        )
        _text(pic, x, y, text, SMALL, fill=REF)


def _legend_items(pic: Picture) -> list[tuple[str, str]]:
    return [
        (
            '<rect x="{x}" y="{y}" width="26" height="12" rx="3" fill="#eef2ff" stroke="'
            + COMPONENT
            + '" stroke-dasharray="5,3"/>',
            "component",
        ),
        ('<rect x="{x}" y="{y}" width="26" height="12" rx="3" fill="white" stroke="' + MUTED + '"/>', "resource"),
        (
            '<rect x="{x}" y="{y}" width="26" height="12" rx="3" fill="white" stroke="'
            + PROTECT
            + '" stroke-width="2"/>',
            "protected from deletion",
        ),
        (
            '<path d="M{x},{y6} L{x24},{y6}" stroke="' + REF + '" stroke-dasharray="4,3" marker-end="url(#arrow)"/>',
            "reference: property (×n: of n resources)",
        ),
    ] + (
        []
        if pic.collapse
        else [
            (
                '<text x="{x}" y="{y10}" font-size="9" fill="' + REF + '">prop → name</text>',
                "reference inside a component",
            )
        ]
    )


def _shape_width(shape: str) -> float:
    return text_width("prop → name", SMALL) + 16 if shape.startswith("<text") else 32


def _legend_width(pic: Picture) -> float:
    return sum(_shape_width(shape) + text_width(label, SMALL) + 18 for shape, label in _legend_items(pic))


def _legend(pic: Picture) -> None:
    x, y = float(PAD * 2), 42
    for shape, label in _legend_items(pic):
        pic.out.append(
            shape.format(x=f"{x:.1f}", y=f"{y - 9:.1f}", y6=f"{y - 3:.1f}", x24=f"{x + 24:.1f}", y10=f"{y:.1f}")
        )
        _text(pic, x + _shape_width(shape), y, label, SMALL, fill=MUTED)
        x += _shape_width(shape) + text_width(label, SMALL) + 18


def render(graph: StackGraph, collapse: bool = False) -> str:
    kinds: dict[str, set[str]] = {}
    for node in graph.nodes.values():
        module, _, kind = node.short_type.rpartition(":")
        kinds.setdefault(kind, set()).add(module)
    pic = Picture(graph, collapse, {k for k, modules in kinds.items() if len(modules) > 1})
    pic.edges = _edges(pic)
    width, height = _layout(pic)
    width = max(width, _legend_width(pic) + 4 * PAD)
    pic.out += [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-family="{FONT}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{REF}"/></marker></defs>',
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="white"/>',
    ]
    _text(
        pic,
        PAD * 2,
        22,
        title(graph, collapse),
        14,
        font_weight="bold",
        fill=INK,
    )
    _legend(pic)
    for unit in graph.children(None):
        _draw_box(pic, pic.boxes[unit.urn])
    _arrows(pic)
    pic.out.append("</svg>")
    return "\n".join(pic.out) + "\n"
