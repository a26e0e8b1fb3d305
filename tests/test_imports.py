"""No import circles in amlws/: a module's imports (at module level, in functions, or under
TYPE_CHECKING) never lead back to it. Issue 18: graph.py and graph_svg.py imported each other."""

import ast
import sys

from harness import ROOT

PACKAGE = ROOT / "amlws"


def imports_of(path) -> set[str]:
    """The amlws modules `path` imports, by module name (`amlws.graph`)."""
    here = "amlws." + path.stem
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from .x import y
                base = "amlws" + (f".{node.module}" if node.module else "")
                names = [base] if node.module else [f"amlws.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
                names += [f"{node.module}.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("amlws."))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("amlws."))
    modules = {"amlws." + p.stem for p in PACKAGE.glob("*.py")}
    return {n for n in found if n in modules and n != here}


def cycles() -> list[list[str]]:
    graph = {"amlws." + p.stem: imports_of(p) for p in PACKAGE.glob("*.py")}
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph.get(module, ())):
            if target in path:
                cycle = path[path.index(target) :] + [target]
                if sorted(cycle[:-1]) not in [sorted(c[:-1]) for c in found]:
                    found.append(cycle)
            else:
                visit(target, path + [target])

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_amlws_has_no_import_cycles():
    assert cycles() == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles())


def test_the_cycle_check_sees_function_level_and_type_checking_imports(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text("def f():\n    from .b import g\n")
    (tmp_path / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path)
    assert cycles() == [["amlws.a", "amlws.b", "amlws.a"]]
