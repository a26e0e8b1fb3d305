"""Resources as a first `pulumi preview` shows them: provider-computed values are unknown.

The offline mocks make every ID known. In a real first preview the engine sends the unknown sentinel
for a new resource's `id` and for every input computed from another new resource's ID or name
(`storageAccount`, `resourceUri`, `scope`, `keyVaultArmId`, ...), while property dependencies, URNs
and literal inputs stay known. `first_preview` rewrites a mocked preview that way, and `scenario`
builds small stacks for policies, directly (PolicyResource) and for the analyzer protocol.
"""

from __future__ import annotations

import copy
from typing import Any

from amlws.monitor import Registration
from amlws.preview import PreviewResult
from policy_harness import UNKNOWN, resource


def _unknown_if_computed(value: Any, ids: tuple[str, ...], names: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _unknown_if_computed(v, ids, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknown_if_computed(v, ids, names) for v in value]
    if isinstance(value, str):
        low = value.lower()
        if any(low == i or low.startswith(i + "/") for i in ids) or low in names:
            return UNKNOWN
    return value


def first_preview(result: PreviewResult) -> PreviewResult:
    """A copy of `result` where new resources' IDs, and inputs computed from another resource's ID
    (or from the `name` output of a resource the input depends on), are unknown."""
    regs = copy.deepcopy(result.registrations)
    ids = tuple(
        sorted({r.id.lower() for r in regs if r.custom and r.id and r.id.startswith("/")}, key=len, reverse=True)
    )
    by_urn = {r.urn: r for r in regs}
    for reg in regs:
        names = {
            str(by_urn[u].outputs.get("name", "")).lower()
            for urns in reg.property_dependencies.values()
            for u in urns
            if u in by_urn
        } - {""}
        reg.inputs = _unknown_if_computed(reg.inputs, ids, names)
        reg.outputs = _unknown_if_computed(reg.outputs, ids, names)
        if reg.custom and "id" in reg.outputs:
            reg.outputs["id"] = UNKNOWN
    return PreviewResult(result.project, result.stack, regs)


def direct(spec: list[dict[str, Any]]):
    """PolicyResources (behind the SDK's unknown-checking proxy) with property dependencies wired."""
    made = {
        s["name"]: resource(s["type"], s["name"], copy.deepcopy(s.get("props", {})), s.get("protect", False))
        for s in spec
    }
    for s in spec:
        for prop, names in s.get("deps", {}).items():
            made[s["name"]].property_dependencies[prop] = [made[n] for n in names]
    return list(made.values())


def urn(typ: str, name: str) -> str:
    return f"urn:pulumi:e2e::amlws::{typ}::{name}"


def wire(spec: list[dict[str, Any]]) -> PreviewResult:
    """The same stack as registrations, for the analyzer protocol (Analyze and AnalyzeStack)."""
    by_name = {s["name"]: s for s in spec}
    regs = []
    for s in spec:
        deps = {prop: [urn(by_name[n]["type"], n) for n in names] for prop, names in s.get("deps", {}).items()}
        props = copy.deepcopy(s.get("props", {}))
        regs.append(
            Registration(
                urn=urn(s["type"], s["name"]),
                type=s["type"],
                name=s["name"],
                parent="",
                custom=True,
                protect=s.get("protect", False),
                inputs=props,
                dependencies=sorted({u for us in deps.values() for u in us}),
                property_dependencies=deps,
                outputs=props,
            )
        )
    return PreviewResult("amlws", "e2e", regs)
