"""Run the real stack program in-process under the mock monitor: the offline preview.

Each run gets a fresh `contextvars.Context`, so the Pulumi runtime's globals (root stack, config,
settings) never leak from one preview (or test) into the next.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import runpy
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pulumi
import yaml
from pulumi.runtime import mocks, settings
from pulumi.runtime.stack import wait_for_rpcs

from .mocks import ArmMocks, FixtureError, load_fixtures
from pulumi.runtime.stack import Stack, massage

from .monitor import RecordingMonitor, Registration, plain, recording_declarations
from .spec import name_collisions, report as spec_report
from .stack_lines import PROJECT_DIR
from .speed import offline_runtime

SECURE_PLACEHOLDER = "[secret]"


class PreviewError(Exception):
    """Configuration or program error; the CLI prints it and exits 2.

    `cause` is the original exception; `registrations` what had been registered when it happened
    (tests use it to prove that a refusal came before any resource was declared).
    """

    def __init__(
        self, message: str, cause: BaseException | None = None, registrations: list[Registration] | None = None
    ):
        super().__init__(message)
        self.cause = cause
        self.registrations = registrations or []


@dataclass
class PreviewResult:
    project: str
    stack: str
    registrations: list[Registration]
    warnings: list[str] = field(default_factory=list)
    violations: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    """The stack's exports in wire form (secrets still marked; `to_json` masks them)."""
    policies: list[dict[str, Any]] = field(default_factory=list)
    """The policies a pack ran (name, description, level), when one did: for SARIF rules and the summary."""

    def resource_json(self) -> list[dict[str, Any]]:
        return [
            {
                "urn": r.urn,
                "type": r.type,
                "name": r.name,
                "parent": r.parent,
                "inputs": plain(r.inputs),
                "dependencies": r.dependencies,
                "propertyDependencies": r.property_dependencies,
                "protect": r.protect,
            }
            for r in self.registrations
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "stack": self.stack,
            "project": self.project,
            "resources": self.resource_json(),
            "violations": self.violations,
            "outputs": plain(self.outputs),
        }


_LIBYAML_LOADER = getattr(yaml, "CSafeLoader", None)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml's parser when PyYAML was built with it (about 8x faster on a stack
    file, the same safe constructors and resolvers). A document libyaml refuses is read again by the
    pure-Python parser, so errors are worded as PyYAML's own."""
    if _LIBYAML_LOADER is not None:
        try:
            return yaml.load(text, Loader=_LIBYAML_LOADER)  # noqa: S506 - CSafeLoader is the safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _project_file(project_dir: Path) -> dict[str, Any]:
    try:
        data = load_yaml((project_dir / "Pulumi.yaml").read_text())
    except OSError as err:
        raise PreviewError(f"{project_dir}: no Pulumi.yaml ({err.strerror})") from None
    except yaml.YAMLError as err:
        raise PreviewError(f"{project_dir / 'Pulumi.yaml'}: not valid YAML: {err}") from None
    if not isinstance(data, dict) or not data.get("name"):
        raise PreviewError(f"{project_dir / 'Pulumi.yaml'}: no project `name`")
    return data


def project_name(project_dir: Path) -> str:
    return str(_project_file(project_dir)["name"])


def program_path(project_dir: Path) -> Path:
    """The file the Python language host would run: Pulumi.yaml `main` (a file, or a directory holding
    `__main__.py`), by default the project directory's `__main__.py`."""
    data = _project_file(project_dir)
    runtime = data.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise PreviewError(f"{project_dir / 'Pulumi.yaml'}: runtime {name!r}: amlws preview runs Python programs only")
    path = project_dir / str(data.get("main") or ".")
    if path.is_dir():
        path = path / "__main__.py"
    if not path.is_file():
        raise PreviewError(f"{project_dir / 'Pulumi.yaml'}: no program at {path} (set `main`, or add __main__.py)")
    return path


def program_runner(path: Path, project_dir: Path | None = None) -> Callable[[], None]:
    """Run the program file as the language host does: as `__main__`, its directory first on sys.path.
    An exception the SDK does not turn into a RunError is reported, not shown as a traceback. `project_dir`
    holds the stack files (their lines are quoted in config errors); by default the working directory's."""

    def run() -> None:
        directory = str(path.parent.resolve())
        sys.path.insert(0, directory)
        if project_dir is not None:
            PROJECT_DIR.set(project_dir.resolve())  # the run has a context of its own: nothing to reset
        try:
            runpy.run_path(str(path), run_name="__main__")
        except (pulumi.RunError, FixtureError, ValueError, PreviewError):
            raise
        except Exception as err:  # a program's own bug: name it, exit 2
            raise PreviewError(f"{path}: the program raised {type(err).__name__}: {err}", err) from None
        finally:
            if directory in sys.path:
                sys.path.remove(directory)

    return run


def _unsecure(value: Any, secrets: list[bool]) -> Any:
    """Offline there is no key to decrypt `secure:` values: replace them, remember they were secret."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            secrets.append(True)
            return SECURE_PLACEHOLDER
        return {k: _unsecure(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_unsecure(v, secrets) for v in value]
    return value


def stack_config(project_dir: Path, project: str, stack: str) -> tuple[dict[str, str], list[str]]:
    """The config map the engine would give the program: `ns:key` -> string (objects as JSON)."""
    path = project_dir / f"Pulumi.{stack}.yaml"
    try:
        data = load_yaml(path.read_text()) or {}
    except OSError:
        stacks = sorted(p.name for p in project_dir.glob("Pulumi.*.yaml"))
        raise PreviewError(f"{path.name}: no such stack file (found: {', '.join(stacks) or 'none'})") from None
    except yaml.YAMLError as err:
        raise PreviewError(f"{path.name}: not valid YAML: {err}") from None
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in (data.get("config") or {}).items():
        full = key if ":" in key else f"{project}:{key}"
        secret: list[bool] = []
        value = _unsecure(value, secret)
        if secret:
            secret_keys.append(full)
        if isinstance(value, (dict, list)):
            config[full] = json.dumps(value)
        elif isinstance(value, bool):
            config[full] = "true" if value else "false"
        else:
            config[full] = "" if value is None else str(value)
    return config, secret_keys


class _Collector(logging.Logger):
    """Engine log lines (pulumi.log.warn and friends) seen during the run: the logger `set_mocks` takes."""

    def __init__(self) -> None:
        super().__init__("amlws.preview")
        self.lines: list[str] = []

    def warning(self, msg: object, *args: object, **_: Any) -> None:
        self.lines.append(str(msg) % args if args else str(msg))

    error = exception = warning

    def debug(self, *_: Any, **__: Any) -> None:
        """Debug and info lines are noise in a preview."""

    info = debug


def _run_to_completion(program: Callable[[], None], loop: asyncio.AbstractEventLoop) -> None:
    program()
    root = settings.get_root_resource()
    if isinstance(root, Stack):
        # Under mocks the stack registered its (then empty) outputs when it was made; register
        # the exports now, as an engine-driven run does when the program ends.
        root.register_outputs(massage(root.outputs, []))  # pyright: ignore[reportArgumentType] - massage keeps the dict a dict
    loop.run_until_complete(wait_for_rpcs())


def _unwrapped(err: Exception) -> Exception:
    """The SDK wraps an error raised while an input resolves (a check made once an ID is known) in
    "While processing input|resource: ..." ValueErrors; the first one raised is the one to report."""
    while str(err).startswith("While processing ") and isinstance(err.__cause__, Exception):
        err = err.__cause__
    return err


def _blame(err: Exception, stack: str) -> str:
    """A component refusing what a user's program declared names that program's file and line, never the
    stack file, which had no say in it; a refusal of what the stack program declared names the stack file."""
    if getattr(err, "declared_at", None) is not None:  # a ComponentInputError (not imported: components are heavy)
        return err.located()  # pyright: ignore[reportAttributeAccessIssue]
    return f"Pulumi.{stack}.yaml: {err}"


def run_program(
    program: Callable[[], None],
    project: str,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str] | None = None,
    mocks_: mocks.Mocks | None = None,
    on_register: Callable[[Registration], None] | None = None,
) -> PreviewResult:
    """Run `program` under a recording mock monitor in a fresh context; raise PreviewError on failure.
    `on_register` sees each resource as it is recorded (a policy pack analyzing while the program runs)."""

    def run() -> PreviewResult:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            pulumi.runtime.set_all_config(dict(config), list(secret_keys or []))
            the_mocks = mocks_ or ArmMocks()
            monitor = RecordingMonitor(the_mocks, on_register)
            log = _Collector()
            mocks.set_mocks(the_mocks, project, stack, preview=True, monitor=monitor, logger=log)
            try:
                with offline_runtime(), recording_declarations(monitor):
                    _run_to_completion(program, loop)
                problems = [v.message() for v in monitor.spec_violations] + name_collisions(
                    [(stack, monitor.registrations)]
                )
                if problems:
                    raise PreviewError(spec_report(problems), registrations=monitor.registrations)
            except pulumi.RunError as err:
                raise PreviewError(str(err), err, monitor.registrations) from None
            except (FixtureError, ValueError) as err:
                err = _unwrapped(err)
                raise PreviewError(_blame(err, stack), err, monitor.registrations) from None
            # Registration order depends on async scheduling; parents first, then by URN, is stable.
            ordered = sorted(monitor.registrations, key=lambda r: (r.urn.split("::")[2].count("$"), r.urn))
            return PreviewResult(project, stack, ordered, warnings=log.lines, outputs=monitor.stack_outputs)
        finally:
            # Output tasks are tracked in a process-wide set, not a context variable: drop this
            # run's leftovers (a failed program leaves some) so the next run never waits on them.
            runtime_settings: Any = settings.SETTINGS  # lock and outputs are set in __init__, unseen by the stubs
            with runtime_settings.lock:
                runtime_settings.outputs.clear()
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()
            asyncio.set_event_loop(None)

    return contextvars.Context().run(run)


def preview_stack(
    project_dir: str | Path,
    stack: str,
    fixtures: str | Path | None = None,
    unknowns: bool = False,
    on_register: Callable[[Registration], None] | None = None,
) -> PreviewResult:
    """Offline preview of `Pulumi.<stack>.yaml` in `project_dir`, running that project's own program
    (its Pulumi.yaml `main`), as `pulumi preview` would from that directory. `unknowns`:
    provider-computed outputs unknown, as in a first `pulumi preview` of a new stack. `on_register`: as
    for `run_program`."""
    directory = Path(project_dir)
    project = project_name(directory)
    config, secret_keys = stack_config(directory, project, stack)
    try:
        the_mocks = ArmMocks(load_fixtures(fixtures), unknowns=unknowns)
    except FixtureError as err:
        raise PreviewError(str(err)) from None
    return run_program(
        program_runner(program_path(directory), directory), project, stack, config, secret_keys, the_mocks, on_register
    )
