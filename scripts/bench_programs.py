"""The programs scripts/benchmark.py times: dev's stack scaled to N workspaces (run in a fresh process per
size, `benchmark.py --scale-worker N`), and the floors it is compared with: the same azure-native resources as
plain SDK objects, with and without our component tree, and the processes that only import what a run needs.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def scaled_config(workspaces: int) -> dict[str, str]:
    """dev's settings with `workspaces` projects in one stack."""
    dev = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    template = dev["amlws:workspaces"][0]
    projects = []
    for i in range(workspaces):
        ws = json.loads(json.dumps(template))
        ws["project"] = f"proj{i:03d}"
        for ci in ws.get("computeInstances", []):
            ci["name"] = f"ci{i:03d}"  # a compute name may not end in -digits (spec rule)
        projects.append(ws)
    raw = {k: (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in dev.items()}
    raw["amlws:workspaces"] = json.dumps(projects)
    return raw


def current_rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def floor_program(registrations: list[Any], components: bool = False):
    """The same azure-native resources as plain SDK objects: the least any program pays for them.
    `components`: also the same component resources (empty `ComponentResource`s of the same types and
    names, each resource under the same parent, so the URNs are ours): what the SDK charges for the
    component tree itself, before any of our code runs."""
    from pulumi import _types  # pyright: ignore[reportPrivateUsage]

    from amlws.monitor import plain

    plans = []
    for reg in registrations:
        package, module, name = reg.type.split(":")
        if not reg.custom:
            if components:
                plans.append((None, reg.type, reg.name, reg.parent, reg.urn, {}))
            continue
        if package != "azure-native":
            continue
        mod = importlib.import_module(f"pulumi_azure_native.{module}")
        cls = getattr(mod, name)
        params = inspect.signature(cls._internal_init).parameters
        names = {v: k for k, v in _types.input_type_py_to_pulumi_names(getattr(mod, f"{name}Args")).items()}
        # `resourceName` is `resource_name_` in the keyword form (`resource_name` is the logical name).
        names = {k: py if py not in ("resource_name", "opts") else f"{py}_" for k, py in names.items()}
        kwargs = {names[k]: v for k, v in plain(reg.inputs, mask=False).items() if k in names and names[k] in params}
        plans.append((cls, reg.type, reg.name, reg.parent if components else "", reg.urn, kwargs))

    def program() -> None:
        import pulumi

        parents: dict[str, pulumi.Resource] = {}  # registrations come parents first
        for cls, typ, name, parent, urn, kwargs in plans:
            opts = pulumi.ResourceOptions(parent=parents[parent]) if parent in parents else None
            if cls is None:
                parents[urn] = pulumi.ComponentResource(typ, name, None, opts)
                parents[urn].register_outputs({})
            else:
                cls(name, **kwargs, opts=opts)

    return program, sum(1 for p in plans if p[0] is not None)


def scale_worker(size: int, floor: bool) -> None:
    """One size in this fresh process; prints a JSON line."""
    from amlws.mocks import ArmMocks
    from amlws.preview import run_program
    from amlws.speed import exiting_soon
    from amlws.stacks.program import main as program

    exiting_soon()  # as the command runs
    run_program(program, "amlws", "dev", scaled_config(1), [], ArmMocks())  # lazy SDK imports, paid once
    before = current_rss_kib()
    start, cpu = time.perf_counter(), time.process_time()
    result = run_program(program, "amlws", "dev", scaled_config(size), [], ArmMocks())
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    out: dict[str, Any] = {
        "size": size,
        "elapsed": elapsed,
        "cpu": cpu,
        "rss_growth_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before,
        "registrations": len(result.registrations),
        "azure_native": sum(1 for r in result.registrations if r.custom and r.type.startswith("azure-native:")),
        "components": sum(1 for r in result.registrations if not r.custom),
    }
    if floor:
        fprogram, count = floor_program(result.registrations)
        start, cpu = time.perf_counter(), time.process_time()
        run_program(fprogram, "amlws", "floor", {}, [], ArmMocks())
        out.update(
            floor_elapsed=time.perf_counter() - start, floor_cpu=time.process_time() - cpu, floor_resources=count
        )
        fprogram, count = floor_program(result.registrations, components=True)
        start, cpu = time.perf_counter(), time.process_time()
        tree = run_program(fprogram, "amlws", "dev", {}, [], ArmMocks())
        assert sorted(r.urn for r in tree.registrations) == sorted(r.urn for r in result.registrations), (
            "the same URNs as ours"
        )
        out.update(tree_elapsed=time.perf_counter() - start, tree_cpu=time.process_time() - cpu)
    print(json.dumps(out))


def floor_commands(registrations: list[Any]) -> dict[str, list[str]]:
    """Processes that pay only what no change of ours can remove: the interpreter; loading pulumi and the
    azure-native modules of these resources (a class of each, which makes the SDK's lazy module load);
    the pack process's `pulumi` and `pulumi_policy`. GC off and `os._exit`, as our command runs."""
    classes = sorted(
        {
            (r.type.split(":")[1].replace("/", "."), r.type.split(":")[2])
            for r in registrations
            if r.custom and r.type.startswith("azure-native:")
        }
    )
    load = "; ".join(f"importlib.import_module('pulumi_azure_native.{m}').{n}" for m, n in classes)
    end = "sys.stdout.flush(); os._exit(0)"
    return {
        "interpreter": [sys.executable, "-c", "pass"],
        "sdk imports": [
            sys.executable,
            "-c",
            f"import gc, importlib, os, sys; gc.disable(); import pulumi; {load}; {end}",
        ],
        "pack imports": [
            sys.executable,
            "-c",
            f"import gc, os, sys; gc.disable(); import pulumi, pulumi_policy; {end}",
        ],
    }
