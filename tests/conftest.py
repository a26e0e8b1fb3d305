import asyncio
import atexit
import copy
import gc
import logging
import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI (CI=true) replays the same examples every run, so a submission's verdict doesn't depend on the draw;
# a developer's run keeps exploring new ones (and stores what fails in .hypothesis/ for the next run).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

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


if os.environ.get("PYTEST_XDIST_WORKER"):
    # An xdist worker has reported everything before the interpreter exits; freeing its heap (the
    # SDK's modules and objects) then takes about a second that the whole run waits for. End it
    # as the `amlws` command ends (amlws.cli.console_main): output flushed, no teardown. Registered
    # now, before pytest's own exit handlers (temporary directories), so it runs after them.
    def _end_worker_without_teardown() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    atexit.register(_end_worker_without_teardown)


def pytest_collection_finish(session):
    """Collecting imported the SDK, the components and every test module: a heap that lives until
    the process ends, yet each of CPython's full collections during the run rescanned all of it
    (8-11 per xdist worker, 1.2-1.8 s of its ~18 s, measured with gc.callbacks). Frozen now
    (gc.freeze: moved to a generation the collector never scans), collections see only what the
    tests allocate; the tests' own garbage is collected as before. The youngest generation is
    collected every 10000 allocations instead of 700: fewer of a preview's short-lived objects are
    promoted to the older generations, which only costly collections free (GC time per
    worker 2.6-2.9 s before, 1.4-1.7 s with both; the `amlws` command keeps CPython's defaults; test_speed's
    freeze test unfreezes everything, which only makes its worker slower after it)."""
    gc.freeze()
    gc.set_threshold(10000, 10, 10)


def pytest_sessionfinish(session):
    """Failed futures of the last tests (components refusing their input, as those tests expect)
    are freed after the session, when no test's log captures them any more: without this, pytest's
    final collection prints each one to the terminal, depending on which tests ran last."""
    logging.getLogger("asyncio").disabled = True
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # pytest's unraisable-exception plugin runs a full collection at unconfigure; in a worker it
        # rescans the whole heap (the SDK's modules and every test's leftovers, ~0.5 s) while the run
        # waits for the worker to exit, and what it could report is lost: the controller stops
        # reading a worker's events at its "workerfinished", sent at the end of this hook
        # (xdist/remote.py pytest_sessionfinish, xdist/dsession.py loop). The heap is frozen instead
        # (gc.freeze: never scanned again); the worker then ends with os._exit as above.
        gc.freeze()


# Under pytest-xdist (pyproject's addopts) tests go one by one to whichever worker is free, except
# those sharing a process or a costly result through a module fixture: each such file runs on one
# worker; and the files that use the session's policy pack (`pack`, `stack_verdicts`) run together,
# so the pack starts, and analyzes each stack, once. xdist's own `--dist loadgroup` cannot say this
# with pytest 9.2: it marks groups by rewriting node IDs, which no longer takes effect
# (pytest-dev/pytest-xdist#1386). Collection fails if a file needs an entry here and has none.
SCOPES = {
    "test_policy_pack_e2e.py": "policy-pack",
    "test_policy_verdicts.py": "policy-pack",
    "test_unknowns.py": "policy-pack",
    "test_self_serve.py": "policy-pack",
    "test_workspace_identity.py": "policy-pack",
    "test_user_inputs.py": "policy-pack",
    "test_kinds_policies.py": "policy-pack",
    "test_sarif.py": "test_sarif.py",
    "test_provider.py": "test_provider.py",
    "test_install.py": "test_install.py",
    "test_cli_contract.py": "test_cli_contract.py",
}
PACK_FIXTURES = {"pack", "stack_verdicts"}


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject) starts one worker per core, but a run of single tests (`path::name`)
    stays in this process: starting and filling the workers would cost more than the tests."""
    if config.args and all("::" in arg for arg in config.args):
        return 0
    return None  # xdist's own count


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None  # another --dist was asked for
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return SCOPES.get(nodeid.split("::", 1)[0].rsplit("/", 1)[-1], nodeid)

    return SharedFixtureScheduling(config, log)


def pytest_collection_modifyitems(items):
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        module_scoped = sorted(
            name for name, defs in info.name2fixturedefs.items() if defs and defs[-1].scope == "module"
        )
        uses_pack = sorted(PACK_FIXTURES & set(info.names_closure))
        scope = SCOPES.get(item.path.name)
        if (uses_pack and scope != "policy-pack") or (module_scoped and scope is None):
            raise pytest.UsageError(
                f"{item.nodeid} uses {', '.join(uses_pack or module_scoped)}: give {item.path.name} "
                f"its entry in SCOPES (tests/conftest.py) so its tests share one worker"
            )


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

    with PolicyPackProcess(
        ROOT / "policy", {"PULUMI_PROJECT": "amlws", "PULUMI_STACK": "test", "PULUMI_DRY_RUN": "true"}
    ) as running:
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
            given = {"own": lambda: load_policy_config(ROOT / f"policy/config/{stack}.json"), "defaults": dict}[
                config
            ]()
            preview = copy.copy(
                stack_preview(stack, unknowns)
            )  # analyze sets .policies: on the copy, not the shared preview
            cache[stack, config, unknowns], _ = analyze(pack, preview, given, config)
        return copy.deepcopy(cache[stack, config, unknowns])

    return get
