"""Guards for users' deployed resources: URNs that never move silently, and the component shape."""

import ast
import json
from pathlib import Path

import pytest

from harness import ROOT

PINNED = json.loads((Path(__file__).parent / "urns.json").read_text())


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_urns_are_pinned(stack, stack_preview):
    """A changed URN replaces a user's resource. If this fails on purpose, add `aliases` for the old
    URN in the component and only then update tests/urns.json."""
    assert sorted(r.urn for r in stack_preview(stack).registrations) == PINNED[stack]


def _component_classes():
    for path in sorted((ROOT / "components").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("ComponentResource") for b in node.bases):
                yield path.name, node


def test_every_component_registers_outputs_once_and_last():
    found = list(_component_classes())
    assert len(found) == 9
    for filename, cls in found:
        init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
        calls = [
            n for n in ast.walk(init) if isinstance(n, ast.Call) and ast.unparse(n.func) == "self.register_outputs"
        ]
        assert len(calls) == 1, f"{filename}:{cls.name}"
        last = init.body[-1]
        assert isinstance(last, ast.Expr) and ast.unparse(last.value.func) == "self.register_outputs", (
            f"{filename}:{cls.name}"
        )


def test_every_component_args_field_has_a_docstring():
    for path in sorted((ROOT / "components").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "TypedDict" for b in node.bases):
                for i, item in enumerate(node.body):
                    if isinstance(item, ast.AnnAssign):
                        doc = node.body[i + 1] if i + 1 < len(node.body) else None
                        assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant), (
                            f"{path.name}:{node.name}.{ast.unparse(item.target)}"
                        )


def test_readme_generated_sections_are_current(stack_preview):
    """The generated sections of README.md and docs/ (input, config key, policy and parity tables, counts,
    the stack pictures and trees) are current; regenerate with scripts/readme_tables.py. Checked in this process
    (the script's `--check` calls the same `stale`), from the session's dev and prod previews."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import readme_tables

    assert readme_tables.stale(stack_preview) == [], "stale: run python scripts/readme_tables.py"
