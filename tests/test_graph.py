"""`amlws graph`: what the picture contains, in both formats, and the command's contract."""

import re
import xml.etree.ElementTree as ET

from amlws.cli import main
from amlws.graph import build_graph, to_mermaid, to_svg
from amlws.preview import preview_stack
from harness import ROOT


def test_graph_holds_components_resources_and_references(stack_preview):
    graph = build_graph(stack_preview("dev"))
    assert len(graph.nodes) == 18  # 14 resources + 4 components
    ws = next(u for u, n in graph.nodes.items() if n.type == "azure-native:machinelearningservices:Workspace")
    targets = {(graph.nodes[t].short_type, prop) for s, t, prop in graph.references if s == ws}
    assert {("storage:StorageAccount", "storageAccount"), ("keyvault:Vault", "keyVault"),
            ("applicationinsights:Component", "applicationInsights"), ("resources:ResourceGroup", "resourceGroupName")} <= targets
    assert graph.parent[ws] == next(u for u, n in graph.nodes.items() if n.type == "amlws:index:MachineLearningWorkspace")


def test_mermaid_nests_components_and_labels_references(stack_preview):
    text = to_mermaid(build_graph(stack_preview("prod")))
    assert text.startswith("flowchart LR\n")
    assert text.count("subgraph ") == 16 and text.count("\n    end") + text.count("\n  end") + text.count("\n      end") >= 16
    assert re.search(r'subgraph n\d+\["SharedWorkspaceResources shared"\]', text)
    assert re.search(r"n\d+ -\.->\|storageAccount\| n\d+", text)
    assert "🔒" in text and "class " in text  # protected resources are marked


def test_svg_draws_a_box_per_node_and_is_deterministic(stack_preview):
    graph = build_graph(stack_preview("dev"))
    svg = to_svg(graph)
    root = ET.fromstring(svg)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == len(graph.nodes) + 1  # plus the background
    assert svg == to_svg(build_graph(preview_stack(ROOT, "dev")))


def test_graph_command_writes_mermaid_or_svg_and_fails_like_preview(tmp_path, capsys):
    assert main(["graph", "dev", "--cwd", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("flowchart LR")
    out = tmp_path / "dev.svg"
    assert main(["graph", "dev", "--cwd", str(ROOT), "--format", "svg", "-o", str(out)]) == 0
    assert out.read_text().startswith("<?xml") or out.read_text().startswith("<svg")
    assert main(["graph", "nope", "--cwd", str(ROOT)]) == 2
    assert "Pulumi.nope.yaml" in capsys.readouterr().err
