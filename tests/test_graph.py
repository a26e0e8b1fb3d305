"""`amlws graph`: what the picture contains, in both formats, and the command's contract."""

import re

import pytest
import xml.etree.ElementTree as ET

from amlws.cli import main
from amlws.graph import build_graph, to_mermaid, to_svg
from amlws.preview import preview_stack
from harness import ROOT


def test_graph_holds_components_resources_and_references(stack_preview):
    graph = build_graph(stack_preview("dev"))
    assert len(graph.nodes) == 46  # 37 resources + 9 components (the project workspace and the self-serve zone)
    ws = next(u for u, n in graph.nodes.items() if n.type == "azure-native:machinelearningservices:Workspace")
    targets = {(graph.nodes[t].short_type, prop) for s, t, prop in graph.references if s == ws}
    assert {
        ("storage:StorageAccount", "storageAccount"),
        ("keyvault:Vault", "keyVault"),
        ("applicationinsights:Component", "applicationInsights"),
        ("resources:ResourceGroup", "resourceGroupName"),
    } <= targets
    assert graph.parent[ws] == next(
        u for u, n in graph.nodes.items() if n.type == "amlws:index:MachineLearningWorkspace"
    )


def test_mermaid_nests_components_and_labels_references(stack_preview):
    text = to_mermaid(build_graph(stack_preview("prod")))
    assert text.startswith("flowchart LR\n")
    assert (
        text.count("subgraph ") == 19
        and text.count("\n    end") + text.count("\n  end") + text.count("\n      end") >= 19
    )
    assert re.search(r'subgraph n\d+\["SharedWorkspaceResources shared"\]', text)
    assert re.search(r"n\d+ -\.->\|storageAccount\| n\d+", text)
    assert "🔒" in text and "class " in text  # protected resources are marked


SVG = "{http://www.w3.org/2000/svg}"


def test_svg_draws_a_box_per_node_and_is_deterministic(stack_preview):
    graph = build_graph(stack_preview("dev"))
    svg = to_svg(graph)
    root = ET.fromstring(svg)
    boxes = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "5"]
    assert len(boxes) == len(graph.nodes)  # components as panels, resources as rows inside them
    assert svg == to_svg(build_graph(preview_stack(ROOT, "dev")))


def _texts(root) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_svg_arrows_have_heads_and_property_labels_and_there_is_a_legend(stack_preview):
    root = ET.fromstring(to_svg(build_graph(stack_preview("prod")), collapse=True))
    assert root.find(f"{SVG}defs/{SVG}marker[@id='arrow']") is not None
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("marker-end") == "url(#arrow)"]
    texts = _texts(root)
    assert len(arrows) >= 8 and "scope" in texts and any(re.fullmatch(r"resourceGroupName ×\d+", t) for t in texts)
    assert {"component", "resource", "protected from deletion"} <= set(texts) and any(
        t.startswith("reference") for t in texts
    )
    assert "shared-rg [protected]" in texts


def test_svg_boxes_fit_their_text(stack_preview):
    from amlws.graph_svg import SIZE, SMALL, text_width

    root = ET.fromstring(to_svg(build_graph(stack_preview("prod"))))
    boxes = [(float(r.get("x")), float(r.get("width"))) for r in root.iter(f"{SVG}rect") if r.get("rx") == "5"]
    for t in root.iter(f"{SVG}text"):
        x, size = float(t.get("x")), float(t.get("font-size"))
        if size not in (SIZE, SMALL) or t.get("fill") not in ("#111827", "#6b7280"):
            continue  # titles, legend and arrow labels are outside boxes
        inside = [w for bx, w in boxes if bx <= x <= bx + w and x - bx < 20]
        if inside:
            assert x + text_width(t.text or "", size, bold=t.get("font-weight") == "bold") <= max(
                bx + w for bx, w in boxes if bx <= x <= bx + w
            ), t.text


def test_collapsed_pictures_fit_a_readme(stack_preview):
    for stack in ("dev", "prod"):
        graph = build_graph(stack_preview(stack))
        root = ET.fromstring(to_svg(graph, collapse=True))
        assert float(root.get("width")) <= 1000 and float(root.get("height")) <= 600
        assert len([r for r in root.iter(f"{SVG}rect") if r.get("rx") == "5"]) == len(graph.children(None))
    mermaid = to_mermaid(build_graph(stack_preview("prod")), collapse=True)
    assert "subgraph" not in mermaid and re.search(r'n\d+\["SharedWorkspaceResources<br/>shared', mermaid)


def test_graph_command_writes_mermaid_or_svg_and_fails_like_preview(tmp_path, capsys):
    assert main(["graph", "dev", "--cwd", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR")
    out = tmp_path / "dev.svg"
    assert main(["graph", "dev", "--cwd", str(ROOT), "--format", "svg", "-o", str(out)]) == 0
    assert out.read_text().startswith("<?xml") or out.read_text().startswith("<svg")
    assert main(["graph", "dev", "--cwd", str(ROOT), "--format", "svg", "--collapse", "-o", str(out)]) == 0
    assert "(components collapsed)" in out.read_text()  # --collapse: the default, said explicitly
    with pytest.raises(SystemExit) as usage:  # one or the other: a usage error, exit 2 (console_main's code)
        main(["graph", "dev", "--cwd", str(ROOT), "--collapse", "--full"])
    assert usage.value.code == 2
    assert main(["graph", "nope", "--cwd", str(ROOT)]) == 2
    assert "Pulumi.nope.yaml" in capsys.readouterr().err


def test_the_default_prod_picture_is_collapsed_fits_a_screen_and_names_project_and_stack(tmp_path, capsys):
    """Finding 8: `amlws graph prod` draws one box per component (under 2000 px tall); `--full` draws
    every resource; titles name the Pulumi project and the stack, not `amlws/<stack>`."""
    out = tmp_path / "prod.svg"
    assert main(["graph", "prod", "--cwd", str(ROOT), "--format", "svg", "-o", str(out)]) == 0
    root = ET.fromstring(out.read_text())
    assert float(root.get("height")) < 2000 and float(root.get("width")) <= 1000
    assert "project amlws, stack prod (components collapsed)" in _texts(root)
    assert not any(t.startswith("amlws/") for t in _texts(root))
    assert main(["graph", "prod", "--cwd", str(ROOT), "--format", "svg", "--full", "-o", str(out)]) == 0
    full = ET.fromstring(out.read_text())
    assert "project amlws, stack prod" in _texts(full) and float(full.get("height")) > float(root.get("height"))
    assert main(["graph", "prod", "--cwd", str(ROOT)]) == 0
    assert "subgraph" not in capsys.readouterr().out  # Mermaid is collapsed by default too
    assert main(["graph", "prod", "--cwd", str(ROOT), "--full"]) == 0
    assert "subgraph" in capsys.readouterr().out


def test_the_committed_prod_picture_the_readme_shows_fits_a_screen():
    readme = (ROOT / "README.md").read_text()
    picture = re.search(r"!\[[^\]]*\]\((docs/graphs/[^)]+\.svg)\)", readme).group(1)
    root = ET.fromstring((ROOT / picture).read_text())
    assert float(root.get("height")) < 2000 and "stack prod" in " ".join(_texts(root))
