"""Benchmarks (not tests): offline preview wall time, scaling with the number of workspaces, policy-pack
throughput and peak memory, printed as one Markdown table.

    .venv/bin/python scripts/benchmark.py [--rounds N] [--sizes 1,10,50,100]

- `amlws preview dev|prod --quiet` as commands: wall time including interpreter start and imports.
- In-process previews of dev and prod: median of 5 after a first (import-heavy) run.
- Scaling: one stack with N project workspaces (each like dev's: workspace, storage, vault, monitoring,
  instance, cluster, group role, budget, diagnostics), previewed in-process; time per workspace should stay flat.
- Throughput: resource analyses per second through the real analyzer protocol (one pack process;
  Configure + ConfigureStack + one Analyze per resource + one AnalyzeStack per round).
- Peak RSS of this process (ru_maxrss), after each scaling step.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from amlws.mocks import ArmMocks
from amlws.policy_runner import PolicyPackProcess, analyze, load_policy_config
from amlws.preview import preview_stack, run_program

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scaled_config(workspaces: int) -> dict[str, str]:
    """dev's settings with `workspaces` projects in one stack."""
    dev = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    template = dev["amlws:workspaces"][0]
    projects = []
    for i in range(workspaces):
        ws = json.loads(json.dumps(template))
        ws["project"] = f"proj-{i:03d}"
        for ci in ws.get("computeInstances", []):
            ci["name"] = f"ci-{i:03d}"
        projects.append(ws)
    raw = {k: (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in dev.items()}
    raw["amlws:workspaces"] = json.dumps(projects)
    return raw


def command_wall(stack: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "amlws.cli", "preview", stack, "--cwd", str(ROOT), "--quiet"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sizes", default="1,10,50,100")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    for stack in ("dev", "prod"):
        walls = [command_wall(stack) for _ in range(3)]
        rows.append((f"`amlws preview {stack} --quiet` (command, wall)", f"{statistics.median(walls):.2f} s median of 3"))

    results = {}
    for stack in ("dev", "prod"):
        times = []
        for _ in range(6):
            start = time.perf_counter()
            results[stack] = preview_stack(ROOT, stack)
            times.append(time.perf_counter() - start)
        rows.append((f"preview {stack} in-process ({len(results[stack].registrations)} registrations)",
                     f"{statistics.median(times[1:]) * 1000:.0f} ms median of 5 (first run {times[0] * 1000:.0f} ms)"))

    from amlws.stacks.program import main as program

    for size in (int(s) for s in args.sizes.split(",")):
        config = scaled_config(size)
        start = time.perf_counter()
        result = run_program(program, "amlws", "dev", config, [], ArmMocks())
        elapsed = time.perf_counter() - start
        rows.append((f"preview of {size} workspace(s) in one stack ({len(result.registrations)} registrations)",
                     f"{elapsed:.2f} s, {elapsed / size * 1000:.0f} ms per workspace, peak RSS {peak_rss_mib():.0f} MiB"))

    env = {"PULUMI_PROJECT": "amlws", "PULUMI_STACK": "prod", "PULUMI_DRY_RUN": "true"}
    start = time.perf_counter()
    with PolicyPackProcess(ROOT / "policy", env) as pack:
        rows.append(("policy pack start (process + port)", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
        config = load_policy_config(ROOT / "policy/config/prod.json")
        analyzed = 0
        start = time.perf_counter()
        for _ in range(args.rounds):
            _, count = analyze(pack, results["prod"], config, "prod.json")
            analyzed += count
        elapsed = time.perf_counter() - start
    rows.append((f"policy analyses ({analyzed} over {args.rounds} rounds of prod)", f"{analyzed / elapsed:.0f} resource analyses/s"))
    rows.append(("peak RSS of this process", f"{peak_rss_mib():.0f} MiB"))

    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | result |\n|{'-' * (width + 2)}|--------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
