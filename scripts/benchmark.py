"""Benchmarks (not tests): offline preview wall time per stack, and policy-pack throughput.

    .venv/bin/python scripts/benchmark.py [--rounds N]

Throughput is resource analyses per second through the real analyzer protocol: one pack process,
GetAnalyzerInfo + Configure + ConfigureStack + one Analyze per resource + one AnalyzeStack per round.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from amlws.policy_runner import PolicyPackProcess, analyze, load_policy_config
from amlws.preview import preview_stack

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    rows = []
    results = {}
    for stack in ("dev", "prod"):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            results[stack] = preview_stack(ROOT, stack)
            times.append(time.perf_counter() - start)
        rows.append((f"preview {stack} ({len(results[stack].registrations)} registrations)", f"{statistics.median(times) * 1000:.0f} ms median of 5 (first {times[0] * 1000:.0f} ms)"))

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
    rows.append(("peak RSS of this process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"))

    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | result |\n|{'-' * (width + 2)}|--------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    main()
