"""Run a CrossGuard policy pack over an offline preview, the way the Pulumi CLI does.

The pack is launched as its own process (`python -u -m pulumi.policy <engine-address> <pack-dir>`),
its gRPC port read from the first line it prints, then driven over the analyzer protocol:
GetAnalyzerInfo, Configure (schema defaults merged in, as the CLI does), ConfigureStack, Analyze for
every resource and AnalyzeStack once. A pack that fails to start, or a policy that raises, is an
error naming it, never a pass.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, engine_pb2_grpc

from .monitor import Registration
from .preview import PreviewError, PreviewResult

START_TIMEOUT_S = 60.0
LEVELS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
    "remediate": analyzer_pb2.REMEDIATE,
}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


class _Engine(engine_pb2_grpc.EngineServicer):
    """The engine endpoint the pack is given: collects what policies log."""

    def __init__(self) -> None:
        self.logs: list[str] = []

    def Log(self, request, context):  # noqa: N802
        self.logs.append(request.message)
        return empty_pb2.Empty()


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


def load_policy_config(path: str | Path | None) -> dict[str, Any]:
    """The `--policy-pack-config` JSON format: `{"<policy>": "advisory" | {"enforcementLevel": ..., <props>}}`."""
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise PreviewError(f"policy config {path}: {err}") from None
    if not isinstance(data, dict):
        raise PreviewError(f"policy config {path}: expected a JSON object keyed by policy name")
    return data


def build_configuration(
    info: analyzer_pb2.AnalyzerInfo, given: dict[str, Any], source: str
) -> dict[str, analyzer_pb2.PolicyConfig]:
    """Per-policy level and properties: schema defaults, then `all`, then the policy's own entry."""
    known = {p.name: p for p in info.policies}
    unknown = sorted(set(given) - set(known) - {"all"})
    if unknown:
        raise PreviewError(f"policy config {source}: no policy named {', '.join(unknown)} in pack {info.name}")
    config: dict[str, analyzer_pb2.PolicyConfig] = {}
    for name, policy in known.items():
        level = LEVEL_NAMES.get(policy.enforcementLevel, "advisory")
        if isinstance(given.get("all"), str):
            level = given["all"]
        entry = given.get(name, {})
        if isinstance(entry, str):
            entry = {"enforcementLevel": entry}
        schema = _schema(policy)
        props = {k: v["default"] for k, v in schema.items() if isinstance(v, dict) and "default" in v}
        props.update({k: v for k, v in entry.items() if k != "enforcementLevel"})
        level = entry.get("enforcementLevel", level)
        if level not in LEVELS:
            raise PreviewError(
                f"policy config {source}: {name}.enforcementLevel = {level!r}: use one of {', '.join(LEVELS)}"
            )
        extra = sorted(set(props) - set(schema))
        if extra:
            raise PreviewError(
                f"policy config {source}: {name} has no setting {', '.join(extra)} "
                f"(it has: {', '.join(sorted(schema)) or 'none'})"
            )
        for key, value in props.items():
            problem = schema_problem(value, schema[key])
            if problem:
                raise PreviewError(f"policy config {source}: {name}.{key} = {json.dumps(value)}: {problem}")
        config[name] = analyzer_pb2.PolicyConfig(enforcementLevel=LEVELS[level], properties=_struct(props))
    return config


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "number": (int, float),
    "integer": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def schema_problem(value: Any, spec: dict[str, Any], where: str = "") -> str | None:
    """Why `value` does not fit this JSON-schema property (type, items, enum), as the CLI checks
    policy config before Configure; None when it fits. A string where a number belongs would
    otherwise reach the policy and fail inside it."""
    kind = spec.get("type")
    allowed = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    is_bool = isinstance(value, bool)
    if allowed and (not isinstance(value, allowed) or (is_bool and kind != "boolean")):
        return f"expected {'an' if kind in ('array', 'object', 'integer') else 'a'} {kind}{where}"
    if kind == "integer" and isinstance(value, float) and not value.is_integer():
        return f"expected an integer{where}"
    if "enum" in spec and value not in spec["enum"]:
        return f"expected one of {', '.join(map(json.dumps, spec['enum']))}{where}"
    if kind == "array" and isinstance(spec.get("items"), dict) and isinstance(value, list):
        for i, item in enumerate(value):
            problem = schema_problem(item, spec["items"], f" at item {i}")
            if problem:
                return problem
    return None


def _schema(policy: analyzer_pb2.PolicyInfo) -> dict[str, Any]:
    return json_format.MessageToDict(policy.configSchema.properties) if policy.HasField("configSchema") else {}


class PolicyPackProcess:
    """The pack as a child process plus a channel to it; a context manager that always stops it."""

    def __init__(self, pack_dir: str | Path, env: dict[str, str], wait: bool = True, python: str | None = None):
        """Launch the pack; with `wait=False` return at once (the pack imports while the program
        runs) and connect on first use of `stub`. `python` is the interpreter (default: this one;
        the Pulumi CLI's shim uses `<pack>/<virtualenv>/bin/python`)."""
        self.pack_dir = Path(pack_dir).resolve()
        if not (self.pack_dir / "PulumiPolicy.yaml").exists():
            raise PreviewError(f"policy pack {pack_dir}: no PulumiPolicy.yaml there")
        self.engine = _Engine()
        self.engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(self.engine, self.engine_server)
        engine_port = self.engine_server.add_insecure_port("127.0.0.1:0")
        self.engine_server.start()
        self.proc = subprocess.Popen(
            [python or sys.executable, "-u", "-m", "pulumi.policy", f"127.0.0.1:{engine_port}", str(self.pack_dir)],
            cwd=self.pack_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **env},
        )
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        if wait:
            self.connect()

    def connect(self) -> analyzer_pb2_grpc.AnalyzerStub:
        """Wait for the pack's port (once) and open the channel."""
        if self._stub is None:
            self.port = self._read_port()
            self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
            self._stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        return self._stub

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        return self.connect()

    def _read_port(self) -> int:
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.proc.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if line.strip().isdigit():
                return int(line.strip())
            break
        self.close()
        stderr = self.proc.stderr.read() if self.proc.stderr else ""
        raise PreviewError(
            f"policy pack {self.pack_dir} failed to start (exit {self.proc.returncode}):\n{stderr.strip()}"
        )

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.engine_server.stop(0)

    def __enter__(self) -> "PolicyPackProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stub is not None:
            self.channel.close()
        self.close()


def _options(reg) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(protect=reg.protect, parent=reg.parent)


def _stack_resource(reg: Registration) -> analyzer_pb2.AnalyzerResource:
    """A resource as AnalyzeStack gets it: its outputs (the inputs when it has none), parent and dependencies."""
    return analyzer_pb2.AnalyzerResource(
        type=reg.type,
        properties=_struct(reg.outputs or reg.inputs),
        urn=reg.urn,
        name=reg.name,
        options=_options(reg),
        parent=reg.parent,
        dependencies=reg.dependencies,
        propertyDependencies={
            k: analyzer_pb2.AnalyzerPropertyDependencies(urns=v) for k, v in reg.property_dependencies.items()
        },
    )


def _violation(diag: analyzer_pb2.AnalyzeDiagnostic, urn: str) -> dict[str, Any]:
    return {
        "policy": diag.policyName,
        "level": LEVEL_NAMES.get(diag.enforcementLevel, "advisory"),
        "urn": diag.urn or urn,
        "message": diag.message,
    }


def _rpc_error(pack: PolicyPackProcess, err: grpc.RpcError) -> PreviewError:
    detail = err.details() if hasattr(err, "details") else str(err)
    return PreviewError(f"policy pack {pack.pack_dir}: {detail}")


class Analysis:
    """One stack's analysis over the pack's connection: configured first (GetAnalyzerInfo, Configure,
    ConfigureStack), then one Analyze call per resource, all in flight at once (the pack serves them
    from its thread pool), and AnalyzeStack once every resource is known."""

    def __init__(self, pack: PolicyPackProcess, given: dict[str, Any], source: str, stack: str, project: str):
        self.pack = pack
        self._calls: dict[str, tuple[Registration, Any, analyzer_pb2.AnalyzerResource]] = {}
        self.sent_by_finish = 0
        """How many resources `finish` had to send itself (none when every one was streamed)."""
        try:
            info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
            configuration = build_configuration(info, given, source)
            pack.stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig=configuration))
            self.policies = [
                {
                    "name": p.name,
                    "description": p.description,
                    "level": LEVEL_NAMES.get(configuration[p.name].enforcementLevel, "advisory"),
                }
                for p in info.policies
                if configuration[p.name].enforcementLevel != analyzer_pb2.DISABLED
            ]
            pack.stub.ConfigureStack(
                analyzer_pb2.AnalyzerStackConfigureRequest(stack=stack, project=project, dry_run=True)
            )
        except grpc.RpcError as err:
            raise _rpc_error(pack, err) from None

    def send(self, reg: Registration) -> None:
        """Analyze this resource (its inputs as registered, after the provider's checks); its part of the
        stack call (its outputs) is built now too."""
        request = analyzer_pb2.AnalyzeRequest(
            type=reg.type, properties=_struct(reg.inputs), urn=reg.urn, name=reg.name, options=_options(reg)
        )
        self._calls[reg.urn] = (reg, self.pack.stub.Analyze.future(request), _stack_resource(reg))

    def finish(self, result: PreviewResult) -> tuple[list[dict[str, Any]], int]:
        """(violations, number of Analyze calls): every resource of `result` not sent yet is sent now;
        answers are read back in registration order, so the violations come out in the same order every run."""
        result.policies = self.policies
        try:
            for reg in result.registrations:
                sent = self._calls.get(reg.urn)
                if sent is None or sent[0] is not reg:
                    self.send(reg)
                    self.sent_by_finish += 1
            stack = analyzer_pb2.AnalyzeStackRequest(
                resources=[self._calls[reg.urn][2] for reg in result.registrations]
            )
            stack_call = self.pack.stub.AnalyzeStack.future(stack)
            violations = [
                _violation(d, reg.urn)
                for reg in result.registrations
                for d in self._calls[reg.urn][1].result().diagnostics
            ]
            violations.extend(_violation(d, "") for d in stack_call.result().diagnostics)
            return violations, len(result.registrations)
        except grpc.RpcError as err:
            raise _rpc_error(self.pack, err) from None


def analyze(
    pack: PolicyPackProcess, result: PreviewResult, given: dict[str, Any], source: str
) -> tuple[list[dict[str, Any]], int]:
    """(violations, number of Analyze calls) for one preview."""
    return Analysis(pack, given, source, result.stack, result.project).finish(result)


class StreamingAnalysis:
    """The analysis of a preview that is still running: each resource goes to the pack as soon as it is
    registered, as the engine sends an Analyze call per step, so the pack works while the program runs
    instead of after it. A thread waits for the pack, configures it and sends the calls; `finish`
    sends the stack call and returns the violations. Whatever went wrong on the way (no pack, a bad
    policy config) is raised by `finish`, that is after the preview, as when nothing is streamed."""

    def __init__(self, pack: PolicyPackProcess, config_file: str | Path | None, project: str, stack: str):
        self.pack = pack
        self._queue: queue.SimpleQueue[Registration | None] = queue.SimpleQueue()
        self._analysis: Analysis | None = None
        self._error: BaseException | None = None
        self._args = config_file, project, stack
        self._thread = threading.Thread(target=self._run, name="amlws-policy-analysis", daemon=True)
        self._thread.start()

    def submit(self, reg: Registration) -> None:
        """Called by the recording monitor for each registration (from the SDK's worker threads)."""
        self._queue.put(reg)

    def _run(self) -> None:
        config_file, project, stack = self._args
        try:
            given = load_policy_config(config_file)
            analysis = Analysis(self.pack, given, str(config_file or "(none)"), stack, project)
            while (reg := self._queue.get()) is not None:
                analysis.send(reg)
            self._analysis = analysis
        except BaseException as err:  # noqa: BLE001 - handed to finish()
            self._error = err

    def stop(self) -> None:
        """No more registrations (the thread ends once it has sent the ones queued)."""
        self._queue.put(None)

    def finish(self, result: PreviewResult) -> list[dict[str, Any]]:
        self.stop()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._analysis is not None
        self.analysis = self._analysis
        return self._analysis.finish(result)[0]


def start_policy_pack(
    pack_dir: str | Path, project: str, stack: str, project_dir: str | Path = "."
) -> PolicyPackProcess:
    """Launch the pack for one stack without waiting for it: it starts while the program runs."""
    env = {"PULUMI_PROJECT": project, "PULUMI_STACK": stack, "PULUMI_DRY_RUN": "true"}
    path = Path(pack_dir)
    if not path.exists() and not path.is_absolute():
        path = Path(project_dir) / pack_dir  # `--cwd proj --policy-pack policy` means proj/policy
    return PolicyPackProcess(path, env, wait=False)


def run_policy_pack(
    pack_dir: str | Path,
    result: PreviewResult,
    config_file: str | Path | None = None,
    project_dir: str | Path = ".",
    pack: PolicyPackProcess | None = None,
) -> list[dict[str, Any]]:
    """Violations of `result`, from `pack` if already started (it is stopped either way)."""
    given = load_policy_config(config_file)
    with pack or start_policy_pack(pack_dir, result.project, result.stack, project_dir) as running:
        violations, _ = analyze(running, result, given, str(config_file or "(none)"))
    return violations
