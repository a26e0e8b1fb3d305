import asyncio
import copy
import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


class _OrphanedFutureWithoutTraceback(logging.Filter):
    """asyncio logs a failed future nobody awaited ("Future exception was never retrieved") when the
    cyclic GC frees it, with its traceback. On CPython 3.11, formatting a traceback calls ast.parse
    (for the ^^^ markers), and when that collection ran inside another ast.parse (a test reading
    sources, hypothesis, assertion rewriting), the nested parse breaks the outer one: "SystemError:
    AST constructor recursion depth mismatch": the converter keeps its depth in interpreter-wide state,
    which the nested call resets (the message of python/cpython#106905; reproduced on 3.11.7 with a
    finalizer that parses). Seen in this suite under pytest-xdist. The message and the exception stay
    in the log; only the traceback goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg, record.args = f"{record.getMessage()}\n{record.exc_info[1]!r}", None
            record.exc_info = None
        return True


logging.getLogger("asyncio").addFilter(_OrphanedFutureWithoutTraceback())


# Fixtures that hold a process or a costly result for their whole scope. Under pytest-xdist
# (`--dist loadgroup`, pyproject's addopts) the tests using one run on the same worker, so each is
# built once per run instead of once per worker; the other tests go one by one to whichever
# worker is free.
SHARED_BY_GROUP = {"pack": "policy-pack", "stack_verdicts": "policy-pack", "dev_sarif": "sarif", "served_schema": "provider", "builds": "cli-venvs",
                   "deployed_prod_json": "prod-json"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        groups = sorted({SHARED_BY_GROUP[name] for name in getattr(item, "fixturenames", ()) if name in SHARED_BY_GROUP})
        if groups:
            item.add_marker(pytest.mark.xdist_group(groups[0]))


@pytest.fixture(autouse=True)
def fresh_event_loop():
    """One event loop per test: a shared loop leaks work from one test into the next's mocks."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(scope="session")
def stack_preview():
    """`stack_preview("dev")`: one offline preview per (stack, unknowns) for the whole session
    (harness.shared_preview). For tests that only read a preview (never mutate the result): running
    the program is the suite's main cost."""
    from harness import shared_preview

    return shared_preview


@pytest.fixture(scope="session")
def pack():
    """One policy pack process for the session, launched as the CLI launches it (tests of the
    launch itself, and the CLI's own runs, start their own). Every `analyze` sends its own Configure
    and ConfigureStack, so tests sharing the process do not see each other's policy config."""
    from amlws.policy_runner import PolicyPackProcess

    with PolicyPackProcess(ROOT / "policy", {"PULUMI_PROJECT": "amlws", "PULUMI_STACK": "test", "PULUMI_DRY_RUN": "true"}) as running:
        yield running


@pytest.fixture(scope="session")
def stack_verdicts(pack, stack_preview):
    """`stack_verdicts("prod", "own", unknowns=False)`: the violations the pack reports for the
    shared preview of a stack, under the stack's own policy config (`policy/config/<stack>.json`,
    "own") or the schema defaults ("defaults"); analyzed once per session, a copy for each caller."""
    from amlws.policy_runner import analyze, load_policy_config

    cache: dict = {}

    def get(stack: str, config: str, unknowns: bool = False) -> list[dict]:
        if (stack, config, unknowns) not in cache:
            given = {"own": lambda: load_policy_config(ROOT / f"policy/config/{stack}.json"), "defaults": dict}[config]()
            preview = copy.copy(stack_preview(stack, unknowns))  # analyze sets .policies: on the copy, not the shared preview
            cache[stack, config, unknowns], _ = analyze(pack, preview, given, config)
        return copy.deepcopy(cache[stack, config, unknowns])

    return get
