"""Regenerate the generated sections of README.md and docs/: the component input tables (from the
Args/Settings TypedDicts and their field docstrings), the stack configuration keys (from the stack config
models), the policy and parity tables (from the pack and its stack configs), the pictures of the dev and prod
stacks (Mermaid in docs/stacks.md, SVG in docs/graphs/, from `amlws graph`), what `amlws preview` prints for
them (dev's tree, prod's summary line) and the counts the README quotes.

Each generated section sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in the page `PAGES` names.

    python scripts/readme_tables.py          # rewrite README.md, docs/*.md and docs/graphs/*.svg in place
    python scripts/readme_tables.py --check  # exit 1 if any of them is stale (the tests run this)
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
    "workspace_args.py",
    "shared.py",
    "storage.py",
    "storage_plan.py",
    "key_vault.py",
    "key_vault_plan.py",
    "monitoring.py",
    "registry.py",
    "compute.py",
    "compute_features.py",
    "access.py",
    "role_assignments.py",
    "datastore.py",
    "connections.py",
    "environment.py",
    "network.py",
    "dns_zones.py",
    "budget.py",
    "self_serve.py",
    "vnet.py",
]


def _attribute_docs(node: ast.ClassDef):
    """(field, annotation, the string right after it) for each annotated field of a class body."""
    for i, item in enumerate(node.body):
        if isinstance(item, ast.AnnAssign):
            after = node.body[i + 1] if i + 1 < len(node.body) else None
            doc = after.value.value if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) else ""
            yield ast.unparse(item.target), ast.unparse(item.annotation), " ".join(str(doc).split())


def _typed_dicts(path: Path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b) == "TypedDict" for b in node.bases):
            fields = []
            for name, annotation, doc in _attribute_docs(node):
                required = not annotation.startswith("NotRequired[")
                if not required:
                    annotation = annotation[len("NotRequired[") : -1]
                fields.append((name, annotation, required, doc))
            yield node.name, fields


@functools.cache
def _stack_model_docs() -> dict[str, str]:
    """`StackConfig.location` -> the docstring under that field, for the stack's own (hand-written) models."""
    docs = {}
    for path in sorted((ROOT / "stacks").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                docs |= {f"{node.name}.{name}": doc for name, _, doc in _attribute_docs(node) if doc}
    return docs


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def component_files() -> list[Path]:
    """The component modules, in the order of COMPONENT_FILES, then any others (a module split out later)."""
    files = sorted((ROOT / "components").glob("**/*.py"))
    order = {name: i for i, name in enumerate(COMPONENT_FILES)}
    return sorted(files, key=lambda p: (order.get(p.name, len(order)), str(p)))


def public_typed_dicts():
    """(name, fields) of every TypedDict of the components (not `_private` ones): the inputs a user writes."""
    for path in component_files():
        for name, fields in _typed_dicts(path):
            if not name.startswith("_"):
                yield name, fields


def input_tables() -> str:
    out: list[str] = []
    for name, fields in public_typed_dicts():
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
            f"| `{policy.name}` | {kind} | {policy.description} | {_level(configs['dev'], policy)} "
            f"| {_level(configs['prod'], policy)} | {'; '.join(settings)} |"
        )
    return f"{len(ALL_POLICIES)} policies.\n\n" + "\n".join(rows) + "\n"


def policy_count() -> str:
    """The last line of `amlws preview --policy-pack` on a clean stack."""
    from amlws_policies import ALL_POLICIES

    return f"`policy: {len(ALL_POLICIES)} policies, 0 violations`.\n"


def _stack_config_model():
    from amlws.stacks.config import StackConfig

    return StackConfig


def _unwrap(annotation: Any) -> list[Any]:
    """The pydantic models inside an annotation (`Optional[X]`, `list[X]`, `dict[str, X]`)."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _unwrap(arg)]


def _type_text(annotation: Any) -> str:
    import types
    import typing

    from pydantic import BaseModel

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "/".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_text(a) for a in args if a is not type(None))
    if origin is typing.Annotated:
        return _type_text(args[0])
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if origin is dict:
        return f"map of {_type_text(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    names = {str: "string", bool: "bool", int: "integer", float: "number"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _default_text(field: Any) -> str:
    from pydantic import BaseModel

    if field.is_required():
        return "required"
    default = field.get_default(call_default_factory=True)
    if default is None:
        left_to_component = isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get(
            "componentDefault"
        )
        return "the component's (see what it holds)" if left_to_component else "unset"
    if isinstance(default, BaseModel):
        return "its defaults"
    if default in ([], {}):
        return "`" + json.dumps(default) + "`"
    return "`" + (json.dumps(default) if not isinstance(default, str) else default) + "`"


@functools.cache
def _args_docs() -> dict[str, str]:
    """`WorkspaceStorageArgs.sku_name` -> that field's docstring, for every component TypedDict."""
    return {f"{name}.{f}": doc for name, fields in public_typed_dicts() for f, _, _, doc in fields}


def _args_doc(field: Any) -> str:
    """The docstring of the Args field a derived stack field mirrors (it says the component's default)."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return _args_docs().get(str(extra.get("argsField", "")), "")


def config_rows(model: Any = None, prefix: str = "amlws:") -> list[tuple[str, str, str, str]]:
    """(key as written in the stack file, type, default, what the section is) for every key, depth first."""
    from pydantic.alias_generators import to_camel

    model = model or _stack_config_model()
    rows = []
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or to_camel(name))
        nested = _unwrap(field.annotation)
        doc = " ".join((nested[0].__doc__ or "").split()) if nested else ""
        described = field.description or next(
            (d for c in model.__mro__ if (d := _stack_model_docs().get(f"{c.__name__}.{name}"))), ""
        )
        rows.append((key, _type_text(field.annotation), _default_text(field), described or doc or _args_doc(field)))
        for sub in nested[:1]:
            import typing

            many = typing.get_origin(field.annotation) is list or any(
                typing.get_origin(a) is list for a in typing.get_args(field.annotation)
            )
            mapped = typing.get_origin(field.annotation) is dict or any(
                typing.get_origin(a) is dict for a in typing.get_args(field.annotation)
            )
            rows += config_rows(sub, key + ("[]." if many else ".<name>." if mapped else "."))
    return rows


def config_table() -> str:
    rows = config_rows()
    out = [
        f"{len(rows)} keys. Sections (`section`) hold the keys listed after them; `[]` is an item of a list, "
        "`<name>` a key of a map.",
        "",
        "| key | type | default | what the section holds |",
        "|---|---|---|---|",
    ]
    out += [f"| `{k}` | {_cell(t)} | {_cell(d)} | {_cell(doc)} |" for k, t, d, doc in rows]
    return "\n".join(out) + "\n"


def counts() -> str:
    """The figures the README quotes, from the code."""
    from amlws.render import summary_line
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
