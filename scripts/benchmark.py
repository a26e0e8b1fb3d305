"""Benchmarks (never tests): issue 12's measures in one run, as ratios where there is something to
compare with, printed as one Markdown table with the date and the machine.

    .venv/bin/python scripts/benchmark.py [--rounds 5] [--sizes 1,10,50,100,200] [--checkov PATH] [--no-tests]
        [--against DIR] [--instructions | --instructions-only]

- Our command against Checkov on the ARM export of the same stack (scripts/arm_export.py):
  `amlws preview prod --quiet --policy-pack policy --policy-config policy/config/prod.json` against
  `checkov -f prod.json --framework arm --quiet --compact --skip-download` (update check off: Checkov's
  best case, no network). Interleaved pairs, minimum of each; wall and CPU (user+sys, children included).
  Checkov lives in a scratch venv of its own (`python3 -m venv /tmp/checkov-venv &&
  /tmp/checkov-venv/bin/pip install checkov`), never a project dependency; without it the rows say so.
- What no change of ours removes, in the same interleaved rounds: the interpreter alone; the SDK import
  floor (a process that imports pulumi and loads the azure-native modules of prod's resources, GC off
  and no teardown as our command runs, nothing else); the pack process's own floor (pulumi and
  pulumi_policy, which the CLI's launch imports). Then ours above the floor, and what the 0.5× target
  leaves above it.
- `--against DIR`: the same prod commands in an earlier checkout (its own .venv), interleaved with ours in the
  same rounds, as a ratio: the "no regression" of a refactor (issue 18), measured rather than remembered.
- Scaling: one stack with N of dev's workspace, each size in a fresh process run the way the command
  runs it (`exiting_soon`): time and peak-RSS growth per workspace, and per-workspace slope from 1 to N.
- SDK floor: in the largest size's process, a minimal program that registers the same azure-native
  resources (same classes, same inputs, no components, no references) under the same mocks and the same
  runtime; per-resource cost ratio. Then the same floor plus our component tree (empty components of
  the same types and names, each resource under its parent: the same URNs), which splits what we pay
  above the floor into the SDK's cost of the component tree and the rest (references, invokes, our code).
- Bytecode first: both checkouts' sources are compiled to `__pycache__` before anything is timed
  (`compileall`), so every command reads bytecode as it does from the second run on. Where
  `PYTHONDONTWRITEBYTECODE` is set (this machine sets it), Python would otherwise compile every module of
  ours from source in every run, a cost that grows with the number of modules and that no user pays twice.
- `--instructions` (needs valgrind): the prod commands' instructions executed, counted by cachegrind, here and in
  `--against`'s checkout, as a ratio: deterministic where a few per cent of time is noise on a shared machine
  (scripts/bench_instructions.py). `--instructions-only` measures just these rows.
- Pack: resource analyses per second through the analyzer protocol (one pack process).
- Test suite, as `bash scripts/test` runs it (pyproject's addopts: pytest-xdist, one worker per core):
  the default run without the slow tests (`-m 'not slow'`, the ≤ 20 s target), then the slow tests
  alone (they build virtualenvs the way the Pulumi CLI does; CI runs them). Wall and CPU, children
  included, and the counts. `--tests-only` measures just these two rows.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
DEFAULT_CHECKOV = "/tmp/checkov-venv/bin/checkov"

from bench_instructions import instruction_rows  # noqa: E402 - scripts/ is on sys.path from here
from bench_programs import floor_commands, scale_worker  # noqa: E402


def timed(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall, cpu of the child and its descendants, process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def compile_sources(root: Path) -> None:
    """`__pycache__` for the checkout's own modules (not its venvs or tests): see the module docstring."""
    skip = re.compile(re.escape(str(root)) + r"/(.+/)?(\.|venv/|tests/)")
    if not compileall.compile_dir(root, quiet=1, rx=skip, workers=0):
        raise SystemExit(f"compileall {root}: a module does not compile")


def baseline(against: Path | None) -> tuple[str, list[str], list[str]] | None:
    """(commit, prod + pack command, prod --quiet command) run in an earlier checkout with its own .venv."""
    if against is None:
        return None
    python = against / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"--against {against}: no .venv/bin/python there (run its scripts/test once)")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=against, capture_output=True, text=True, check=True
    ).stdout.strip()
    amlws = [str(python), "-m", "amlws.cli", "preview", "prod", "--quiet"]
    return commit, [*amlws, "--policy-pack", "policy", "--policy-config", "policy/config/prod.json"], amlws


def commands(rows: list[tuple[str, str, str]], rounds: int, checkov: str, against: Path | None = None) -> None:
    import arm_export

    from amlws.preview import preview_stack

    amlws = [sys.executable, "-m", "amlws.cli", "preview"]
    ours = [*amlws, "prod", "--quiet", "--policy-pack", "policy", "--policy-config", "policy/config/prod.json"]
    have_checkov = Path(checkov).exists()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "prod.json"
        prod = preview_stack(ROOT, "prod")
        exported = arm_export.to_template(prod.registrations)
        template.write_text(json.dumps(exported, indent=2))
        scan = [checkov, "-f", str(template), "--framework", "arm", "--quiet", "--compact", "--skip-download"]
        pairs: dict[str, list[tuple[float, float]]] = {"ours": [], "checkov": [], "both": [], "dev": [], "prod": []}
        # What no change of ours removes (issue 12: "interpreter and SDK imports"): the interpreter, and
        # loading pulumi and the azure-native modules of prod's resources, in a process that does nothing
        # else (GC off and no interpreter teardown, as our command runs: the least any program pays).
        floors = floor_commands(prod.registrations)
        earlier = baseline(against)
        for _ in range(rounds):
            if earlier is not None:  # the same commands in the earlier checkout, interleaved with ours
                pairs.setdefault("earlier ours", []).append(timed(earlier[1], cwd=against or ROOT)[:2])
                pairs.setdefault("earlier prod", []).append(timed(earlier[2], cwd=against or ROOT)[:2])
            wall, cpu, proc = timed(ours)
            assert proc.returncode == 0, proc.stderr
            pairs["ours"].append((wall, cpu))
            if have_checkov:
                wall, cpu, proc = timed(scan, {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"})
                assert proc.returncode in (0, 1), proc.stderr
                pairs["checkov"].append((wall, cpu))
            for stack in ("dev", "prod"):
                pairs[stack].append(timed([*amlws, stack, "--quiet"])[:2])
            pairs["both"].append(timed([*amlws, "dev", "prod", "--quiet"])[:2])
            for label, cmd in floors.items():
                pairs.setdefault(label, []).append(timed(cmd)[:2])
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in pairs.items() if v}
    w, c = best["ours"]
    rows.append(("`amlws preview prod` + policy pack (command)", f"{w:.2f} s wall, {c:.2f} s CPU", ""))
    if have_checkov:
        cw, cc = best["checkov"]
        rows.append(
            (
                f"Checkov on prod's ARM export ({len(exported['resources'])} resources)",
                f"{cw:.2f} s wall, {cc:.2f} s CPU",
                "",
            )
        )
        rows.append(("ratio ours / Checkov", f"**{w / cw:.2f}×** wall, **{c / cc:.2f}×** CPU", "≤ 0.5×"))
    else:
        rows.append(("Checkov", f"not installed at {checkov}: no comparison", "≤ 0.5×"))
    interpreter, sdk, pack = best["interpreter"], best["sdk imports"], best["pack imports"]
    rows.append(
        (
            "interpreter start and exit (`python -c pass`)",
            f"{interpreter[0]:.2f} s wall, {interpreter[1]:.2f} s CPU",
            "",
        )
    )
    versus = f" = {sdk[0] / cw:.2f}× Checkov's wall" if have_checkov else ""
    rows.append(
        (
            "SDK import floor: interpreter + `pulumi` + prod's azure-native "
            "modules loaded, nothing of ours (GC off, no teardown)",
            f"{sdk[0]:.2f} s wall, {sdk[1]:.2f} s CPU{versus}",
            "",
        )
    )
    rows.append(
        (
            "pack process floor: interpreter + `pulumi` + `pulumi_policy` "
            "(the CLI's launch imports both; runs beside the program)",
            f"{pack[0]:.2f} s wall, {pack[1]:.2f} s CPU",
            "",
        )
    )
    rows.append(
        (
            "ours above the SDK import floor (our modules and pydantic/rich/yaml, the program, the pack, output)",
            f"{w - sdk[0]:.2f} s wall, {c - sdk[1]:.2f} s CPU (of which the pack process floor {pack[1]:.2f} s CPU)",
            "",
        )
    )
    if have_checkov and w / cw > 0.5:
        budget = 0.5 * cw - sdk[0]
        rows.append(
            (
                "what the 0.5× target leaves above the SDK import floor",
                f"{budget:.2f} s wall{' (none: the floor alone is over it)' if budget <= 0 else ''}; "
                f"we use {w - sdk[0]:.2f} s",
                "",
            )
        )
    for stack in ("dev", "prod"):
        rows.append(
            (
                f"`amlws preview {stack} --quiet` (command)",
                f"{best[stack][0]:.2f} s wall, {best[stack][1]:.2f} s CPU",
                "",
            )
        )
    if earlier is not None:
        for label, key, mine in (
            ("+ policy pack", "earlier ours", best["ours"]),
            ("--quiet", "earlier prod", best["prod"]),
        ):
            was = best[key]
            rows.append(
                (
                    f"`amlws preview prod {label}`: this checkout / {earlier[0]} (same rounds, interleaved)",
                    f"{mine[0]:.2f} / {was[0]:.2f} s wall = **{mine[0] / was[0]:.2f}×**; "
                    f"{mine[1]:.2f} / {was[1]:.2f} s CPU = **{mine[1] / was[1]:.2f}×**",
                    "≤ 1.0× (no regression)",
                )
            )
    separate = best["dev"][0] + best["prod"][0]
    rows.append(
        (
            "`amlws preview dev prod --quiet` (one process)",
            f"{best['both'][0]:.2f} s wall ({best['both'][0] / separate:.2f}× two commands)",
            "",
        )
    )


def scaling(rows: list[tuple[str, str, str]], sizes: list[int]) -> None:
    results = []
    for size in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--scale-worker", str(size), *(["--floor"] if size == max(sizes) else [])],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    for r in results:
        per = 1000 / r["size"]
        rows.append(
            (
                f"{r['size']} workspace(s), {r['registrations']} registrations",
                f"{r['elapsed']:.2f} s wall; per workspace "
                f"{r['elapsed'] * per:.1f} ms wall, {r['cpu'] * per:.1f} ms CPU, "
                f"{r['rss_growth_kib'] / 1024 / r['size']:.2f} MiB",
                "≤ 35 ms, ≤ 2.5 MiB",
            )
        )
    small, big = results[0], results[-1]
    if big["size"] > small["size"]:
        span = big["size"] - small["size"]
        rows.append(
            (
                f"slope {small['size']} → {big['size']} workspaces, per added workspace",
                f"{(big['elapsed'] - small['elapsed']) / span * 1000:.1f} ms "
                f"wall, {(big['cpu'] - small['cpu']) / span * 1000:.1f} ms CPU, "
                f"{(big['rss_growth_kib'] - small['rss_growth_kib']) / 1024 / span:.2f} MiB",
                "linear",
            )
        )
    if "floor_elapsed" in big:
        n, f = big["azure_native"], big["floor_resources"]
        rows.append(
            (
                f"per azure-native resource at {big['size']} workspaces: ours / SDK floor ({f} resources)",
                f"wall {big['elapsed'] / n * 1000:.2f} / {big['floor_elapsed'] / f * 1000:.2f} "
                f"ms = **{big['elapsed'] / n / (big['floor_elapsed'] / f):.2f}×**; "
                f"CPU {big['cpu'] / n * 1000:.2f} / {big['floor_cpu'] / f * 1000:.2f} "
                f"ms = **{big['cpu'] / n / (big['floor_cpu'] / f):.2f}×**",
                "≤ 1.3×",
            )
        )
        rows.append(
            (
                f"the SDK floor plus the same {big['components']} component resources (same URNs, nothing of ours)",
                f"CPU {big['tree_cpu'] / n * 1000:.2f} ms per resource = "
                f"{big['tree_cpu'] / big['floor_cpu']:.2f}× the floor; "
                f"ours / this = {big['cpu'] / big['tree_cpu']:.2f}×",
                "",
            )
        )
        extra = big["cpu"] - big["floor_cpu"]
        rows.append(
            (
                "ours above the SDK floor, split",
                f"{extra:.2f} s CPU: the component tree's SDK cost {big['tree_cpu'] - big['floor_cpu']:.2f} s, "
                "the rest (references between resources, invokes, "
                f"validation, config) {big['cpu'] - big['tree_cpu']:.2f} s",
                "",
            )
        )


def pack_throughput(rows: list[tuple[str, str, str]], rounds: int) -> None:
    from amlws.policy_runner import PolicyPackProcess, analyze, load_policy_config
    from amlws.preview import preview_stack

    prod = preview_stack(ROOT, "prod")
    env = {"PULUMI_PROJECT": "amlws", "PULUMI_STACK": "prod", "PULUMI_DRY_RUN": "true"}
    start = time.perf_counter()
    with PolicyPackProcess(ROOT / "policy", env) as pack:
        started = time.perf_counter() - start
        config = load_policy_config(ROOT / "policy/config/prod.json")
        analyzed, start = 0, time.perf_counter()
        for _ in range(rounds * 4):
            analyzed += analyze(pack, prod, config, "prod.json")[1]
        elapsed = time.perf_counter() - start
    rows.append(("policy pack start (process up, port read)", f"{started * 1000:.0f} ms", ""))
    rows.append(
        (
            f"policy analyses ({analyzed} over {rounds * 4} rounds of prod)",
            f"{analyzed / elapsed:.0f} resource analyses/s",
            "",
        )
    )


def test_suite(rows: list[tuple[str, str, str]]) -> None:
    for marker, target in (("not slow", "≤ 20 s"), ("slow", "")):
        wall, cpu, proc = timed(
            [sys.executable, "-m", "pytest", "-m", marker]
        )  # -q, -p no:cacheprovider, -n from pyproject
        found = re.search(r"(\d+) passed(?:, (\d+) skipped)?", proc.stdout)
        counted = (
            f"{found.group(1)} passed" + (f", {found.group(2)} skipped" if found and found.group(2) else "")
            if found
            else "?"
        )
        rows.append(
            (
                f"test suite, -m '{marker}' ({counted}, exit {proc.returncode})",
                f"{wall:.1f} s wall, {cpu:.1f} s CPU",
                target,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="1,10,50,100,200")
    parser.add_argument("--checkov", default=DEFAULT_CHECKOV)
    parser.add_argument("--no-tests", action="store_true")
    parser.add_argument(
        "--against", type=Path, help="an earlier checkout (with its .venv) whose prod preview to compare with"
    )
    parser.add_argument("--tests-only", action="store_true", help="only the two test-suite rows")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--instructions-only", action="store_true", help="only the instruction rows")
    parser.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_worker:
        scale_worker(args.scale_worker, args.floor)
        return
    load = os.getloadavg()[0]
    rows: list[tuple[str, str, str]] = []
    against = args.against.resolve() if args.against else None
    if not args.tests_only:
        for root in (ROOT, *([against] if against else [])):
            compile_sources(root)
    if not (args.tests_only or args.instructions_only):
        commands(rows, args.rounds, args.checkov, against)
        scaling(rows, [int(s) for s in args.sizes.split(",")])
        pack_throughput(rows, args.rounds)
    if (args.instructions or args.instructions_only) and not args.tests_only:
        earlier = baseline(against)
        instruction_rows(rows, (earlier[0], against, against / ".venv/bin/python") if earlier and against else None)
    if not (args.no_tests or args.instructions_only):
        test_suite(rows)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"Measured {when} on {machine()}; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.\n"
    )
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | result | target |\n|{'-' * (width + 2)}|--------|--------|")
    for name, value, target in rows:
        print(f"| {name.ljust(width)} | {value} | {target} |")


if __name__ == "__main__":
    main()
