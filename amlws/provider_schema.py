"""What the component package serves to other languages, and its schema, built in-process.

The schema is what `pulumi package add` turns into a TypeScript, Go, C#, Java or YAML SDK. It is
inferred by the SDK's analyzer (`pulumi.provider.experimental`) from the components' `args` TypedDicts:
field docstrings become descriptions, `NotRequired` marks optional inputs, nested settings are plain
objects (the components validate them synchronously, before declaring anything).
"""

import json
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from amlws.components import MachineLearningWorkspace, PrivateDnsZones, SharedWorkspaceResources
from amlws.components._common import PACKAGE

PROVIDED_COMPONENTS = (MachineLearningWorkspace, SharedWorkspaceResources, PrivateDnsZones)

try:
    PACKAGE_VERSION = version("pulumi-azureml-workspace")
except PackageNotFoundError:  # running from a source tree that was never installed
    PACKAGE_VERSION = "0.0.0"


def package_schema() -> dict[str, Any]:
    """The schema the provider serves (GetSchema), as a dict."""
    from pulumi.provider.experimental.component import ComponentProvider

    schema = ComponentProvider(list(PROVIDED_COMPONENTS), PACKAGE, version=PACKAGE_VERSION).schema
    assert schema is not None, "the component provider inferred no schema"
    return json.loads(schema)


def schema_problems(schema: dict[str, Any]) -> list[str]:
    """Structural checks of a Pulumi package schema: every reference resolves, every property has a type
    and a description, required inputs exist, components are marked as such."""
    problems: list[str] = []
    types = schema.get("types", {})

    def check_property(where: str, prop: dict[str, Any]) -> None:
        if not prop.get("description"):
            problems.append(f"{where}: no description")
        ref = prop.get("$ref")
        if ref is not None:
            if ref.startswith("#/types/") and ref[len("#/types/") :] not in types:
                problems.append(f"{where}: $ref {ref} does not resolve")
        elif "type" not in prop:
            problems.append(f"{where}: neither type nor $ref")
        for nested in ("items", "additionalProperties"):
            if isinstance(prop.get(nested), dict):
                inner = prop[nested]
                if "$ref" not in inner and "type" not in inner:
                    problems.append(f"{where}.{nested}: neither type nor $ref")

    if not schema.get("name") or not schema.get("version"):
        problems.append("schema has no name or version")
    for token, resource in schema.get("resources", {}).items():
        if not token.startswith(f"{schema.get('name')}:index:"):
            problems.append(f"{token}: token is not <package>:index:<Name>")
        if resource.get("isComponent") is not True:
            problems.append(f"{token}: not marked isComponent")
        if not resource.get("description"):
            problems.append(f"{token}: no description")
        for name in resource.get("requiredInputs", []):
            if name not in resource.get("inputProperties", {}):
                problems.append(f"{token}: required input {name} is not an input")
        for kind in ("inputProperties", "properties"):
            for name, prop in resource.get(kind, {}).items():
                check_property(f"{token}.{kind}.{name}", prop)
    for token, typ in types.items():
        if typ.get("type") != "object":
            problems.append(f"{token}: type is {typ.get('type')!r}, not object")
        for name in typ.get("required", []):
            if name not in typ.get("properties", {}):
                problems.append(f"{token}: required {name} is not a property")
        for name, prop in typ.get("properties", {}).items():
            check_property(f"{token}.{name}", prop)
    return problems
