"""Every Python example in README.md, CONTRIBUTING.md and docs/ is a test: each ```python block is the
program of a fresh Pulumi project, previewed offline (`amlws preview --cwd`) with this repository's policy
pack and no policy config. It must run and leave no mandatory violation. A block that is not a whole program
says so in an HTML comment right above it: `<!-- not a program: why -->`; such blocks must still parse."""

import ast
import json
import re

import pytest

from amlws.cli import main
from harness import ROOT

PAGES = ["README.md", "CONTRIBUTING.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("**/*.md"))]
BLOCK = re.compile(r"(?:<!--\s*not a program:(?P<why>[^>]*)-->\s*\n)?```python\n(?P<code>.*?)```", re.S)


def examples() -> list[tuple[str, int, str, str | None]]:
    """(page, line, code, why it is not a program or None) for every ```python block."""
    found = []
    for page in PAGES:
        path = ROOT / page
        if not path.exists():
            continue
        text = path.read_text()
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start("code"))  # 1-based line of the fence = lines before the code
            found.append((page, line, m.group("code"), m.group("why") and m.group("why").strip()))
    return found


EXAMPLES = examples()


def test_the_docs_hold_the_two_component_examples():
    programs = [code for _, _, code, why in EXAMPLES if why is None]
    assert any("MachineLearningWorkspace(" in c and "SharedWorkspaceResources" not in c for c in programs)
    assert any("SharedWorkspaceResources(" in c and c.count("existing_id") >= 2 for c in programs)


@pytest.mark.parametrize("page, line, code, why", EXAMPLES, ids=[f"{p}:{n}" for p, n, _, _ in EXAMPLES])
def test_python_example_previews_with_the_pack_and_no_mandatory_violation(tmp_path, capsys, page, line, code, why):
    ast.parse(code, filename=f"{page}:{line}")
    if why is not None:
        assert why, f"{page}:{line}: say why the block is not a program"
        return
    project = tmp_path / "example"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: docs-example\nruntime: python\n")
    (project / "Pulumi.example.yaml").write_text("config:\n  azure-native:location: westeurope\n")
    (project / "__main__.py").write_text(code)
    out = tmp_path / "preview.json"
    code_ = main(
        ["preview", "example", "--cwd", str(project), "--policy-pack", str(ROOT / "policy"), "--json", str(out)]
    )
    printed = capsys.readouterr()
    assert code_ == 0, f"{page}:{line}: exit {code_}\n{printed.out}\n{printed.err}"
    result = json.loads(out.read_text())
    mandatory = [v for v in result["violations"] if v["level"] == "mandatory"]
    assert mandatory == [], f"{page}:{line}: {mandatory}"
    assert result["resources"], f"{page}:{line}: the example declared nothing"
