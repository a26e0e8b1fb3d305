"""Policy violations as SARIF 2.1.0 (via the sarif-om object model) for GitHub code scanning."""

# sarif-om builds its classes with attrs' legacy `attr.ib` API, whose generated __init__ pyright cannot
# see; the tests validate the output against the SARIF 2.1.0 schema instead.
# pyright: reportCallIssue=false

from __future__ import annotations

import hashlib
import json
import os
import re
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
    Region,
    ReportingConfiguration,
    ReportingDescriptor,
    Result,
    Run,
    SarifLog,
    Tool,
    ToolComponent,
)

from .preview import PreviewResult
from .stack_lines import StackLines
from .version import version

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


def _artifact_uri(stack_file: Path) -> str:
    """Relative to the working directory (the repository root in CI), as code scanning requires
    (Multitool GH1005: relative URIs or file paths)."""
    relative = os.path.relpath(stack_file.resolve(), Path.cwd())
    return Path(relative if not relative.startswith("..") else stack_file.name).as_posix()


def _rule(policy: dict[str, Any], pack_name: str) -> ReportingDescriptor:
    """GH2012 wants shortDescription, fullDescription and help.text on every rule."""
    description = policy.get("description") or policy["name"]
    short = description.split(". ")[0].rstrip(".") + "."
    level = policy.get("level", "advisory")
    help_text = (
        f"{description}\n\nPolicy {policy['name']} of the {pack_name} CrossGuard pack ({level} unless the policy "
        "config says otherwise). Change the stack-file setting at the reported line, or, for a deliberate "
        "exception, set this policy's enforcementLevel in the policy config (--policy-config)."
    )
    link = re.search(r"https://[^\s)]+", description)
    return ReportingDescriptor(
        id=policy["name"],
        help_uri=link.group(0).rstrip(".,") if link else None,
        name="".join(part.capitalize() for part in policy["name"].split("-")),
        short_description=MultiformatMessageString(text=short),
        full_description=MultiformatMessageString(text=description),
        help=MultiformatMessageString(text=help_text),
        default_configuration=ReportingConfiguration(level=SARIF_LEVEL.get(level, "note")),
    )


def _physical_location(lines: StackLines, violation: dict[str, Any], stack_uri: str) -> PhysicalLocation:
    """The program file and line that declared the resource's component, when a Python program did; else
    the stack-file line that set what the violation complains about."""
    site = lines.program_site(violation["urn"]) if violation["urn"] else None
    if site is not None:
        return PhysicalLocation(
            artifact_location=ArtifactLocation(uri=_artifact_uri(Path(site[0]))), region=Region(start_line=site[1])
        )
    return PhysicalLocation(
        artifact_location=ArtifactLocation(uri=stack_uri),
        region=Region(start_line=lines.line_for(violation["urn"], violation["message"])),
    )


def build_sarif(result: PreviewResult, pack_name: str, project_dir: str | Path = ".") -> dict[str, Any]:
    stack_path = Path(project_dir) / f"Pulumi.{result.stack}.yaml"
    uri = _artifact_uri(stack_path)
    lines = StackLines(stack_path, result.registrations)
    known = {p["name"]: p for p in result.policies}
    rules: dict[str, ReportingDescriptor] = {name: _rule(p, pack_name) for name, p in known.items()}
    results: list[Result] = []
    for v in result.violations:
        description, _, detail = v["message"].partition("\n")
        if v["policy"] not in rules:
            rules[v["policy"]] = _rule(
                {"name": v["policy"], "description": description, "level": v["level"]}, pack_name
            )
        subject = v["urn"] or f"{result.project}/{result.stack}"
        fingerprint = hashlib.sha256(f"{v['policy']}|{subject}".encode()).hexdigest()[:32]
        results.append(
            Result(
                rule_id=v["policy"],
                rule_index=list(rules).index(v["policy"]),
                level=SARIF_LEVEL.get(v["level"], "note"),
                message=Message(text=f"{detail or description} ({subject})"),
                partial_fingerprints={"amlwsViolation/v1": fingerprint},  # Base1015 asks for them
                locations=[
                    Location(
                        physical_location=_physical_location(lines, v, uri),
                        logical_locations=[LogicalLocation(fully_qualified_name=subject, kind="resource")],
                    )
                ],
            )
        )
    driver = ToolComponent(
        name="amlws-policy",
        full_name=pack_name,
        version=version(),
        semantic_version=version(),
        information_uri="https://www.pulumi.com/docs/iac/crossguard/",
        rules=list(rules.values()),
    )
    log = SarifLog(version="2.1.0", schema_uri=SCHEMA, runs=[Run(tool=Tool(driver=driver), results=results)])
    out = _to_json(log)
    for run in out["runs"]:  # Base1014/Base1018: `results` and `rules` present even when empty
        run.setdefault("results", [])
        run["tool"]["driver"].setdefault("rules", [])
    return out


def sarif_text(result: PreviewResult, pack_dir: str, project_dir: str | Path = ".") -> str:
    return json.dumps(build_sarif(result, f"amlws-policy ({Path(pack_dir).name})", project_dir), indent=2) + "\n"
