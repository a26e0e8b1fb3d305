"""The refactor guard: dev and prod declare the same resources with the same inputs, parents,
dependencies and protection as when the snapshot was taken (issue 18: "snapshot the dev and prod
previews (URNs and inputs) into the tests").

A change that is meant to alter what a stack deploys regenerates the snapshot on purpose:
`AMLWS_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py -n 0` and review the diff. Budget start
dates are left out: they follow the calendar (the current month), not the code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from amlws.monitor import plain

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _without_budget_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_budget_dates(v) for k, v in value.items() if k != "timePeriod"}
    if isinstance(value, list):
        return [_without_budget_dates(v) for v in value]
    return value


def snapshot(preview) -> dict[str, Any]:
    resources = {}
    for reg in preview.registrations:
        inputs = plain(reg.inputs)
        if reg.type.endswith(":Budget"):
            inputs = _without_budget_dates(inputs)
        resources[reg.urn] = {
            "parent": reg.parent,
            "protect": reg.protect,
            "inputs": inputs,
            "dependencies": sorted(reg.dependencies),
            "ignoreChanges": sorted(reg.ignore_changes),
        }
    return dict(sorted(resources.items()))


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_declares_what_the_snapshot_holds(stack, stack_preview):
    path = SNAPSHOTS / f"{stack}.json"
    got = snapshot(stack_preview(stack))
    if os.environ.get("AMLWS_UPDATE_SNAPSHOT"):
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    want = json.loads(path.read_text())
    assert sorted(got) == sorted(want), "URNs differ"
    for urn in want:
        assert got[urn] == want[urn], urn
