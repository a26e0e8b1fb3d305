"""Regenerate the README's generated sections: the component input tables (from the Args/Settings
TypedDicts and their field docstrings), the policy table (from the pack and its stack configs), the
pictures of the dev and prod stacks (Mermaid in the README, SVG in docs/graphs/, from `amlws graph`), and
what `amlws preview` prints for them (dev's tree, prod's summary line with its resource counts).

    python scripts/readme_tables.py          # rewrite README.md in place
    python scripts/readme_tables.py --check  # exit 1 if README.md is stale (the tests run this)
"""

from __future__ import annotations

import ast
import functools
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policy"))

COMPONENT_FILES = [
    "workspace.py",
    "shared.py",
    "storage.py",
    "key_vault.py",
    "monitoring.py",
    "registry.py",
    "compute.py",
    "access.py",
    "role_assignments.py",
    "datastore.py",
    "environment.py",
    "network.py",
    "budget.py",
    "self_serve.py",
]


def _typed_dicts(path: Path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "TypedDict" for b in node.bases):
            fields = []
            for i, item in enumerate(node.body):
                if isinstance(item, ast.AnnAssign):
                    annotation = ast.unparse(item.annotation)
                    required = not annotation.startswith("NotRequired[")
                    if not required:
                        annotation = annotation[len("NotRequired[") : -1]
                    doc = node.body[i + 1].value.value if i + 1 < len(node.body) else ""  # type: ignore[union-attr]
                    fields.append((ast.unparse(item.target), annotation, required, " ".join(str(doc).split())))
            yield node.name, fields


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def input_tables() -> str:
    out: list[str] = []
    for filename in COMPONENT_FILES:
        for name, fields in _typed_dicts(ROOT / "components" / filename):
            out += [f"#### `{name}`", "", "| input | type | required | description |", "|---|---|---|---|"]
            out += [f"| `{f}` | `{t}` | {'yes' if r else 'no'} | {_cell(d)} |" for f, t, r, d in fields]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _level(config: dict, policy) -> str:
    entry = config.get(policy.name)
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and "enforcementLevel" in entry:
        return entry["enforcementLevel"]
    return config.get("all", str(policy.enforcement_level.value))


def policy_table() -> str:
    from amlws_policies import ALL_POLICIES

    configs = {s: json.loads((ROOT / f"policy/config/{s}.json").read_text()) for s in ("dev", "prod")}
    rows = [
        "| policy | kind | what it enforces (and its anchor) | dev | prod | config (schema default → dev / prod) |",
        "|---|---|---|---|---|---|",
    ]
    for policy in ALL_POLICIES:
        kind = "stack" if type(policy).__name__.startswith("Stack") else "resource"
        schema = policy.config_schema.properties if policy.config_schema else {}
        settings = []
        for key, spec in schema.items():
            given = [
                f"`{key}`={json.dumps(c[policy.name][key])}"
                for c in configs.values()
                if isinstance(c.get(policy.name), dict) and key in c[policy.name]
            ]
            settings.append(
                f"`{key}` (default {json.dumps(spec.get('default'))})" + (f" → {' / '.join(given)}" if given else "")
            )
        rows.append(
            f"| `{policy.name}` | {kind} | {policy.description} | {_level(configs['dev'], policy)} | {_level(configs['prod'], policy)} | {'; '.join(settings)} |"
        )
    return f"{len(ALL_POLICIES)} policies.\n\n" + "\n".join(rows) + "\n"


def parity_table() -> str:
    """Every anchor rule (Azure Policy built-in, Checkov ARM check, PSRule rule) -> our policy or the reason it is excluded."""
    from amlws_policies.parity import ANCHORS, counts

    summary = "; ".join(
        f"{source}: {covered} covered, {excluded} excluded with a reason"
        for source, (covered, excluded) in counts().items()
    )
    rows = ["| source | anchor | rule | our policy | note or reason for exclusion |", "|---|---|---|---|---|"]
    for a in ANCHORS:
        policy = f"`{a.policy}`" if a.policy else "excluded"
        rows.append(f"| {a.source} | `{a.id}` | {_cell(a.title)} | {policy} | {_cell(a.reason)} |")
    return f"{summary}.\n\n" + "\n".join(rows) + "\n"


def _run_preview(stack: str) -> Any:
    from amlws.preview import preview_stack

    return preview_stack(ROOT, stack)


_get_preview: Callable[[str], Any] = _run_preview


@functools.lru_cache(maxsize=None)
def _preview(stack: str):
    return _get_preview(stack)


@functools.lru_cache(maxsize=None)
def _graph(stack: str):
    from amlws.graph import build_graph

    return build_graph(_preview(stack))


def tree(stack: str):
    """What `amlws preview STACK` prints (the tree and the summary line), without colour."""

    def make() -> str:
        import io

        from rich.console import Console

        from amlws.render import print_tree, summary_line

        out = io.StringIO()
        print_tree(_preview(stack), Console(file=out, width=1000, color_system=None, highlight=False, emoji=False))
        return "```\n" + out.getvalue() + summary_line(_preview(stack)) + "\n```\n"

    return make


def summary(stack: str):
    def make() -> str:
        from amlws.render import summary_line

        return f"`amlws preview {stack}` prints the same way: `{summary_line(_preview(stack))}`.\n"

    return make


def mermaid(stack: str):
    def make() -> str:
        from amlws.graph import to_mermaid

        return "```mermaid\n" + to_mermaid(_graph(stack)) + "```\n"

    return make


def svg_files() -> dict[Path, str]:
    from amlws.graph import to_svg

    pictures = {ROOT / f"docs/graphs/{stack}.svg": to_svg(_graph(stack)) for stack in ("dev", "prod")}
    pictures.update(
        {ROOT / f"docs/graphs/{stack}-collapsed.svg": to_svg(_graph(stack), collapse=True) for stack in ("dev", "prod")}
    )
    return pictures


SECTIONS = {
    "inputs": input_tables,
    "policies": policy_table,
    "parity": parity_table,
    "graph-dev": mermaid("dev"),
    "graph-prod": mermaid("prod"),
    "tree-dev": tree("dev"),
    "summary-prod": summary("prod"),
}


def render(readme: str) -> str:
    for key, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {key}:start -->\n).*?(<!-- {key}:end -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- {key}:start --> ... <!-- {key}:end --> markers")
        readme = pattern.sub(lambda m: m.group(1) + make() + m.group(2), readme)
    return readme


def stale(preview: Callable[[str], Any] | None = None) -> list[str]:
    """The generated files that differ from what this script writes (README.md first); [] when
    current. `preview(stack)` supplies dev's and prod's previews (default: run the program); the
    tests pass their session's shared ones instead of running both stacks again."""
    global _get_preview
    if preview is not None:
        _get_preview = preview
        _preview.cache_clear()
        _graph.cache_clear()
    current = (ROOT / "README.md").read_text()
    found = [str(p.relative_to(ROOT)) for p, text in svg_files().items() if not p.exists() or p.read_text() != text]
    return (["README.md"] if render(current) != current else []) + found


def main() -> int:
    if "--check" in sys.argv:
        found = stale()
        if found:
            print(f"stale: {', '.join(found)}: run python scripts/readme_tables.py", file=sys.stderr)
            return 1
        return 0
    path = ROOT / "README.md"
    path.write_text(render(path.read_text()))
    for picture, text in svg_files().items():
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
