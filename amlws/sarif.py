"""Policy violations as SARIF 2.1.0 (via the sarif-om object model) for GitHub code scanning."""

# sarif-om builds its classes with attrs' legacy `attr.ib` API, whose generated __init__ pyright cannot
# see; the tests validate the output against the SARIF 2.1.0 schema instead.
# pyright: reportCallIssue=false

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attr
from sarif_om import (
    ArtifactLocation,
    Location,
    LogicalLocation,
    Message,
    MultiformatMessageString,
    PhysicalLocation,
    ReportingDescriptor,
    Result,
    Run,
    SarifLog,
    Tool,
    ToolComponent,
)

from .preview import PreviewResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"mandatory": "error", "advisory": "warning"}


def _to_json(obj: Any) -> Any:
    """sarif-om objects are attrs classes whose metadata holds the SARIF property names."""
    if attr.has(type(obj)):
        out = {}
        for field in attr.fields(type(obj)):
            value = getattr(obj, field.name)
            if value is None or value == field.default:
                continue
            out[field.metadata.get("schema_property_name", field.name)] = _to_json(value)
        return out
    if isinstance(obj, list):
        return [_to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_json(v) for k, v in obj.items()}
    return obj


def build_sarif(result: PreviewResult, pack_name: str) -> dict[str, Any]:
    stack_file = f"Pulumi.{result.stack}.yaml"
    rules: dict[str, ReportingDescriptor] = {}
    results: list[Result] = []
    for v in result.violations:
        description, _, detail = v["message"].partition("\n")
        rules.setdefault(v["policy"], ReportingDescriptor(id=v["policy"], short_description=MultiformatMessageString(text=description)))
        results.append(
            Result(
                rule_id=v["policy"],
                level=SARIF_LEVEL.get(v["level"], "note"),
                message=Message(text=f"{detail or description} ({v['urn'] or 'stack'})"),
                locations=[
                    Location(
                        physical_location=PhysicalLocation(artifact_location=ArtifactLocation(uri=stack_file)),
                        logical_locations=[LogicalLocation(fully_qualified_name=v["urn"] or f"{result.project}/{result.stack}", kind="resource")],
                    )
                ],
            )
        )
    log = SarifLog(
        version="2.1.0",
        schema_uri=SCHEMA,
        runs=[Run(tool=Tool(driver=ToolComponent(name=pack_name, information_uri="https://www.pulumi.com/docs/iac/crossguard/", rules=list(rules.values()))), results=results)],
    )
    return _to_json(log)


def write_sarif(path: str | Path, result: PreviewResult, pack_dir: str) -> None:
    Path(path).write_text(json.dumps(build_sarif(result, f"amlws-policy ({Path(pack_dir).name})"), indent=2) + "\n")
