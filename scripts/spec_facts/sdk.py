"""How scripts/extract_spec_facts.py reads Microsoft's generated SDKs: the pinned wheels unpacked, each
module parsed with ast (never imported), and the facts of a body model collected in azure-native's shape."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from .targets import WHEELS


def last_param_index(put_path: str, params: dict[str, Any]) -> int:
    """Which of the URL parameters (keyed by the SDK's argument names) is the last one of the path."""
    last = re.findall(r"\{(\w+)\}", put_path)[-1].lower()
    keys = [k.lower() for k in params]
    return keys.index(last)


def wheel_dir(package: str, cache: Path) -> Path:
    """The wheel of `package` at its pinned version, unpacked under `cache` (downloaded once)."""
    version = WHEELS[package]
    real = package.removesuffix("-24")  # a second pinned version of azure-mgmt-resource (Azure Policy)
    target = cache / f"{real}-{version}"
    if target.is_dir():
        return target
    found = list(cache.glob(f"{real.replace('-', '_')}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(cache), f"{real}=={version}"],
            check=True,
        )
        found = list(cache.glob(f"{real.replace('-', '_')}-{version}-*.whl"))
    with zipfile.ZipFile(found[0]) as archive:
        archive.extractall(target)
    return target


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def camel(snake: str) -> str:
    head, *rest = snake.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _model_refs(annotation: str) -> list[str]:
    return re.findall(r"_models\.(\w+)", annotation)


class Sdk:
    """The parsed models, enums and PUT URL serializers of one SDK module."""

    def __init__(self, root: Path, module: str, label: str):
        self.base = root / module
        self.root = root
        self.label = label
        self.enums: dict[str, dict[str, Any]] = {}
        self.models: dict[str, dict[str, Any]] = {}
        for path in sorted((self.base / "models").glob("*.py")):
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    self._class(node, self.rel(path))

    def rel(self, path: Path) -> str:
        return f"{self.label}: {path.relative_to(self.root)}"

    def _class(self, node: ast.ClassDef, source: str) -> None:
        bases = [ast.unparse(b) for b in node.bases]
        declared = " ".join(bases + [ast.unparse(k.value) for k in node.keywords])
        if re.search(r"\bEnum\b", declared):  # `(str, Enum, metaclass=...)` or older `with_metaclass(..., str, Enum)`
            values = [
                v for s in node.body if isinstance(s, ast.Assign) and isinstance(v := _literal(s.value), (str, int))
            ]
            insensitive = "CaseInsensitiveEnumMeta" in declared
            self.enums[node.name] = {
                "values": values,
                "caseInsensitive": insensitive,
                "source": f"{source} {node.name}",
            }
            return
        model: dict[str, Any] = {
            "bases": [b.split(".")[-1] for b in bases],
            "fields": {},
            "source": f"{source} {node.name}",
        }
        for k in node.keywords:
            if k.arg == "discriminator":
                model["discriminatorValue"] = _literal(k.value)
        validation: dict[str, Any] = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                if name == "_validation":
                    validation = _literal(stmt.value) or {}
                elif name == "_attribute_map":
                    for py, spec in (_literal(stmt.value) or {}).items():
                        model["fields"][py] = {"wire": spec["key"], "type": spec["type"]}
                elif name == "_subtype_map":
                    for py, mapping in (_literal(stmt.value) or {}).items():
                        model["discriminator"] = py
                        model["subtypes"] = mapping
                elif name.endswith("__flattened_items"):
                    model["flattened"] = _literal(stmt.value) or []
            elif (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(stmt.value, ast.Call)
            ):
                self._rest_field(model, stmt.target.id, ast.unparse(stmt.annotation), stmt.value)
            elif isinstance(stmt, ast.FunctionDef) and stmt.name == "__init__":
                for arg in stmt.args.kwonlyargs:
                    if arg.annotation is not None and arg.arg in model["fields"]:
                        model["fields"][arg.arg]["annotation"] = ast.unparse(arg.annotation)
        for py, rules in validation.items():
            if py in model["fields"]:
                model["fields"][py].update(rules)
        self.models[node.name] = model

    def _rest_field(self, model: dict[str, Any], py: str, annotation: str, call: ast.Call) -> None:
        func = ast.unparse(call.func)
        if func not in ("rest_field", "rest_discriminator"):
            return
        kwargs = {k.arg: _literal(k.value) for k in call.keywords}
        visibility = kwargs.get("visibility") or []
        field = {"wire": kwargs.get("name") or py, "annotation": annotation, "typespec": True}
        if visibility == ["read"]:
            field["readonly"] = True
        elif not annotation.startswith("Optional"):
            field["required"] = True
        if func == "rest_discriminator":
            model["discriminator"] = py
        model["fields"][py] = field

    def all_fields(self, name: str) -> dict[str, dict[str, Any]]:
        """A model's fields with its bases' (TypeSpec models declare only their own)."""
        model = self.models[name]
        fields: dict[str, dict[str, Any]] = {}
        for base in model["bases"]:
            if base in self.models:
                fields.update(self.all_fields(base))
        fields.update(model["fields"])
        return fields

    def subtypes(self, name: str) -> tuple[str | None, dict[str, str]]:
        """(discriminator python name, {value: model}) of a polymorphic model."""
        fields = self.all_fields(name)
        disc = next(
            (
                py
                for m in [name, *self.models[name]["bases"]]
                if m in self.models
                for py in [self.models[m].get("discriminator")]
                if py
            ),
            None,
        )
        if disc is None:
            return None, {}
        mapping = dict(self.models[name].get("subtypes", {}).get(disc, {}))
        if not mapping:  # TypeSpec: subclasses name their value with `discriminator=`
            for other, model in self.models.items():
                if name in model["bases"] and model.get("discriminatorValue"):
                    mapping[model["discriminatorValue"]] = other
        return fields[disc]["wire"].split(".")[-1], mapping

    def url_params(self, put_path: str) -> tuple[str, dict[str, dict[str, Any]]]:
        """(file, {param: constraints}) of the PUT build-request function whose URL ends with put_path."""
        for path in sorted((self.base / "operations").glob("*.py")):
            tree = ast.parse(path.read_text())
            # Older AutoRest output keeps the URL beside the method: `method.metadata = {"url": ...}`.
            metadata = {
                ast.unparse(n.targets[0]).split(".")[0]: _literal(n.value)
                for c in tree.body
                if isinstance(c, ast.ClassDef)
                for n in c.body
                if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]).endswith(".metadata")
            }
            for func in ast.walk(tree):
                if isinstance(func, ast.FunctionDef):
                    url = (metadata.get(func.name) or {}).get("url", "")
                    found = _put_request(func, put_path, url)
                    if found is not None:
                        return f"{self.rel(path)} {func.name}", found
        raise SystemExit(f"{self.label}: no PUT request for {put_path}")


def _put_request(func: ast.FunctionDef, put_path: str, url: str) -> dict[str, dict[str, Any]] | None:
    """The path parameters' constraints if `func` builds a PUT of a URL ending with put_path."""
    urls = [url] + [
        n.value
        for n in ast.walk(func)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("/")
    ]
    calls = [n for n in ast.walk(func) if isinstance(n, ast.Call)]
    put = any(_literal(k.value) == "PUT" for n in calls for k in n.keywords if k.arg == "method") or any(
        ast.unparse(n.func).endswith("_client.put") for n in calls
    )
    if not put or not any(u.lower().endswith(put_path.lower()) for u in urls):
        return None
    # A singleton's name is a constant: `blob_services_name: Literal["default"] = kwargs.pop(..., "default")`.
    constants = {
        n.target.id: _literal(n.annotation.slice)
        for n in ast.walk(func)
        if isinstance(n, ast.AnnAssign)
        and isinstance(n.target, ast.Name)
        and isinstance(n.annotation, ast.Subscript)
        and ast.unparse(n.annotation.value) == "Literal"
    }
    params: dict[str, dict[str, Any]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Dict):
            for value in node.values:
                if isinstance(value, ast.Call) and ast.unparse(value.func).endswith((".url")) and value.args:
                    facts: dict[str, Any] = {}
                    for k in value.keywords:
                        name = {"max_length": "maxLength", "min_length": "minLength", "pattern": "pattern"}.get(
                            k.arg or ""
                        )
                        if name:
                            facts[name] = _literal(k.value)
                    python_name = str(_literal(value.args[0]))
                    if isinstance(constants.get(python_name), str):
                        facts["constant"] = constants[python_name]
                    params[camel(python_name)] = facts  # the SDK's argument name, as azure-native names the input
    return params


class Facts:
    """Walks each target's body model and writes the facts in the shape of azure-native's inputs."""

    def __init__(self) -> None:
        self.models: dict[str, Any] = {}
        self.enums: dict[str, Any] = {}

    def model(self, sdk: Sdk, name: str) -> str:
        key = f"{sdk.label}#{name}"
        if key in self.models:
            return key
        self.models[key] = entry = {"source": sdk.models[name]["source"], "properties": {}}
        disc, mapping = sdk.subtypes(name)
        subtypes = {value: sub for value, sub in mapping.items() if sub in sdk.models and sub != name}
        if disc and subtypes:
            entry["discriminator"] = disc
            entry["subtypes"] = {value: self.model(sdk, sub) for value, sub in subtypes.items()}
        fields = sdk.all_fields(name)
        flattened = sdk.models[name].get("flattened") or []
        for py, field in fields.items():
            if flattened and field.get("wire") == "properties" and field.get("annotation"):
                inner = _model_refs(field["annotation"])
                if inner and inner[0] in sdk.models:
                    for ipy, ifield in sdk.all_fields(inner[0]).items():
                        if ipy in flattened:
                            self._property(sdk, entry, ipy, dict(ifield, wire="properties." + ifield["wire"]))
                    continue
            self._property(sdk, entry, py, field)
        return key

    def _property(self, sdk: Sdk, entry: dict[str, Any], py: str, field: dict[str, Any]) -> None:
        wire_last = field["wire"].split(".")[-1].replace("\\.", ".")
        name = wire_last if field.get("typespec") else camel(py)
        fact: dict[str, Any] = {"wire": field["wire"]}
        for key in ("required", "readonly", "pattern", "minimum", "maximum"):
            if key in field:
                fact[key] = field[key]
        for py_key, key in (
            ("min_length", "minLength"),
            ("max_length", "maxLength"),
            ("min_items", "minItems"),
            ("max_items", "maxItems"),
        ):
            if py_key in field:
                fact[key] = field[py_key]
        annotation = field.get("annotation", "")
        shape = field.get("type", "")
        refs = re.findall(r"\w+", annotation) + re.findall(r"\w+", shape)  # `"_models.X"`, `"X"` or `[X]`
        for ref in refs:
            if ref in sdk.enums:
                fact["enum"] = self.enum(sdk, ref)
                break
            if ref in sdk.models:
                fact["model"] = self.model(sdk, ref)
                break
        if shape.startswith("[") or re.match(r"(Optional\[)?(List|list)\[", annotation):
            fact["array"] = True
        elif shape.startswith("{") or re.match(r"(Optional\[)?(Dict|dict)\[", annotation):
            fact["map"] = True
        entry["properties"][name] = fact
        if wire_last != name:
            entry.setdefault("aliases", {})[wire_last] = name

    def enum(self, sdk: Sdk, name: str) -> str:
        key = f"{sdk.label}#{name}"
        self.enums.setdefault(key, sdk.enums[name])
        return key
