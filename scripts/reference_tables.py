"""The generated reference tables: every component input (from the Args/Settings TypedDicts and their field
docstrings, docs/components.md) and every stack configuration key (from the stack config models, their field
docstrings and, for a key derived from a component Args field, that field's docstring: docs/configuration.md).
scripts/readme_tables.py places them in their pages."""

from __future__ import annotations

import ast
import functools
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

COMPONENT_FILES = [
    "workspace.py",
    "workspace_args.py",
    "shared.py",
    "shared_args.py",
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


def table_cell(text: str) -> str:
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
        out += [f"| `{f}` | `{t}` | {'yes' if r else 'no'} | {table_cell(d)} |" for f, t, r, d in fields]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


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
    out += [f"| `{k}` | {table_cell(t)} | {table_cell(d)} | {table_cell(doc)} |" for k, t, d, doc in rows]
    return "\n".join(out) + "\n"
