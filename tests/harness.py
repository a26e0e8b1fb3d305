"""Run programs under the recording mock monitor and look at what was registered."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from amlws.mocks import ArmMocks
from amlws.monitor import Registration, plain
from amlws.components import ComponentInputError
from amlws.preview import PreviewError, PreviewResult, preview_stack, run_program

ROOT = Path(__file__).resolve().parent.parent

GOOD_STORAGE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared"
    "/providers/Microsoft.Storage/storageAccounts/stgood"
)


def storage_fixture(name: str, kind: str, sku: str, hns: bool | None) -> dict[str, Any]:
    rid = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared"
        f"/providers/Microsoft.Storage/storageAccounts/{name}"
    )
    body: dict[str, Any] = {"kind": kind, "sku": {"name": sku}}
    if hns is not None:
        body["isHnsEnabled"] = hns
    return {rid: body}


@lru_cache(maxsize=None)
def shared_preview(stack: str, unknowns: bool = False) -> PreviewResult:
    """One offline preview of this package's stack per (stack, unknowns) for the whole test process
    (also the `stack_preview` fixture). Only for tests that read it: running the program is the
    suite's main cost. A test that changes a preview takes `copy.deepcopy` of it."""
    return preview_stack(ROOT, stack, unknowns=unknowns)


def run(
    program: Callable[[], None], fixtures: dict | None = None, stack: str = "test", config: dict | None = None
) -> PreviewResult:
    """Run under mocks. A component refusal is re-raised as itself, after checking that it came
    before any resource (custom or component) was registered."""
    try:
        return run_program(program, "amlws", stack, config or {}, [], ArmMocks(fixtures or {}))
    except PreviewError as err:
        if isinstance(err.cause, ComponentInputError):
            assert err.registrations == [], [r.urn for r in err.registrations]
            raise err.cause from None
        raise


def by_type(result: PreviewResult, suffix: str) -> list[Registration]:
    return [r for r in result.registrations if r.type.endswith(suffix)]


def one(result: PreviewResult, suffix: str) -> Registration:
    found = by_type(result, suffix)
    assert len(found) == 1, [r.type for r in result.registrations]
    return found[0]


def inputs(reg: Registration) -> dict[str, Any]:
    return plain(reg.inputs)
