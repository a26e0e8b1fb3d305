"""Regenerate the generated sections of README.md and docs/: the component input tables (from the
Args/Settings TypedDicts and their field docstrings), the stack configuration keys (from the stack config
models), the policy and parity tables (from the pack and its stack configs), the pictures of the dev and prod
stacks (Mermaid in docs/stacks.md, SVG in docs/graphs/, from `amlws graph`), what `amlws preview` prints for
them (dev's tree, prod's summary line) and the counts the README quotes.

The reference tables themselves (component inputs, config keys) are built in scripts/reference_tables.py.
Each generated section sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in the page `PAGES` names.

    python scripts/readme_tables.py          # rewrite README.md, docs/*.md and docs/graphs/*.svg in place
    python scripts/readme_tables.py --check  # exit 1 if any of them is stale (the tests run this)
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "policy"))
sys.path.insert(0, str(ROOT / "scripts"))

from reference_tables import table_cell, config_rows, config_table, input_tables, public_typed_dicts  # noqa: E402


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
            f"| `{policy.name}` | {kind} | {policy.description} | {_level(configs['dev'], policy)} "
            f"| {_level(configs['prod'], policy)} | {'; '.join(settings)} |"
        )
    return f"{len(ALL_POLICIES)} policies.\n\n" + "\n".join(rows) + "\n"


def policy_count() -> str:
    """The last line of `amlws preview --policy-pack` on a clean stack."""
    from amlws_policies import ALL_POLICIES

    return f"`policy: {len(ALL_POLICIES)} policies, 0 violations`.\n"


def counts() -> str:
    """The figures the README quotes, from the code."""
    from amlws.summary import summary_line
    from amlws_policies import ALL_POLICIES

    inputs = sum(1 for _ in public_typed_dicts())
    return (
        f"In numbers: {len(ALL_POLICIES)} policies in the pack, {len(config_rows())} stack "
        f"configuration keys, {inputs} component input types; the prod stack previews as "
        f"`{summary_line(_preview('prod'))}`.\n"
    )


def parity_table() -> str:
    """Every anchor rule (Azure Policy built-in, Checkov ARM check, PSRule rule) -> our policy, or the reason
    it is excluded."""
    from amlws_policies.parity import ANCHORS, counts

    summary = "; ".join(
        f"{source}: {covered} covered, {excluded} excluded with a reason"
        for source, (covered, excluded) in counts().items()
    )
    rows = ["| source | anchor | rule | our policy | note or reason for exclusion |", "|---|---|---|---|---|"]
    for a in ANCHORS:
        policy = f"`{a.policy}`" if a.policy else "excluded"
        rows.append(f"| {a.source} | `{a.id}` | {table_cell(a.title)} | {policy} | {table_cell(a.reason)} |")
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

        from amlws.render import print_tree
        from amlws.summary import summary_line

        out = io.StringIO()
        print_tree(_preview(stack), Console(file=out, width=1000, color_system=None, highlight=False, emoji=False))
        return "```\n" + out.getvalue() + summary_line(_preview(stack)) + "\n```\n"

    return make


def summary(stack: str):
    def make() -> str:
        from amlws.summary import summary_line

        return f"`amlws preview {stack}` prints the same way: `{summary_line(_preview(stack))}`.\n"

    return make


def mermaid(stack: str, collapse: bool = False):
    def make() -> str:
        from amlws.graph import to_mermaid

        return "```mermaid\n" + to_mermaid(_graph(stack), collapse) + "```\n"

    return make


def svg_files() -> dict[Path, str]:
    from amlws.graph import to_svg

    pictures = {ROOT / f"docs/graphs/{stack}.svg": to_svg(_graph(stack)) for stack in ("dev", "prod")}
    pictures.update(
        {ROOT / f"docs/graphs/{stack}-collapsed.svg": to_svg(_graph(stack), collapse=True) for stack in ("dev", "prod")}
    )
    return pictures


PAGES: dict[str, dict[str, Callable[[], str]]] = {
    "README.md": {"counts": counts},
    "docs/components.md": {"inputs": input_tables},
    "docs/configuration.md": {"config-keys": config_table},
    "docs/policies.md": {"policies": policy_table, "parity": parity_table},
    "docs/stacks.md": {
        "graph-dev": mermaid("dev"),
        "graph-prod": mermaid("prod", collapse=True),
        "tree-dev": tree("dev"),
        "summary-prod": summary("prod"),
    },
    "docs/verification.md": {"policy-count": policy_count},
}


def render(text: str, page: str = "README.md") -> str:
    """`text` (the page `page`) with each of its generated sections rewritten."""
    for key, make in PAGES[page].items():
        pattern = re.compile(rf"(<!-- {key}:start -->\n).*?(<!-- {key}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{page} has no <!-- {key}:start --> ... <!-- {key}:end --> markers")
        text = pattern.sub(lambda m: m.group(1) + make() + m.group(2), text)
    return text


def stale(preview: Callable[[str], Any] | None = None) -> list[str]:
    """The generated files that differ from what this script writes (the pages first); [] when
    current. `preview(stack)` supplies dev's and prod's previews (default: run the program); the
    tests pass their session's shared ones instead of running both stacks again."""
    global _get_preview
    if preview is not None:
        _get_preview = preview
        _preview.cache_clear()
        _graph.cache_clear()
    found = []
    for page in PAGES:
        current = (ROOT / page).read_text()
        if render(current, page) != current:
            found.append(page)
    found += [str(p.relative_to(ROOT)) for p, text in svg_files().items() if not p.exists() or p.read_text() != text]
    return found


def main() -> int:
    if "--check" in sys.argv:
        found = stale()
        if found:
            print(f"stale: {', '.join(found)}: run python scripts/readme_tables.py", file=sys.stderr)
            return 1
        return 0
    for page in PAGES:
        path = ROOT / page
        path.write_text(render(path.read_text(), page))
    for picture, text in svg_files().items():
        picture.parent.mkdir(parents=True, exist_ok=True)
        picture.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
