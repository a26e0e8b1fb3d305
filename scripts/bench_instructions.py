"""Instructions executed, for `benchmark.py --instructions`: what a 2-core shared machine cannot settle on time.

Wall and CPU time vary by ±10 % between rounds here, so a regression of a few per cent (issue 18's "no
regression" against 83bd2cd) is counted instead: valgrind's cachegrind (`--cache-sim=no`: the instruction count
only) runs the command with `PYTHONHASHSEED=0`; `--trace-children=yes` follows it into the policy pack process it
starts, and the count is the sum over both. Repeated runs of the same command differ by about 0.3 % (when the
garbage collector runs depends on the addresses allocations get). Both checkouts are compiled to bytecode first
(`benchmark.compile_sources`), so neither pays for compiling its sources.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACK = ["--policy-pack", "policy", "--policy-config", "policy/config/prod.json"]
COMMANDS = {"prod + policy pack": ["prod", "--quiet", *PACK], "prod --quiet": ["prod", "--quiet"]}
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def counted(python: Path | str, argv: list[str], cwd: Path) -> list[int]:
    """Instructions of `python -m amlws.cli preview *argv` in `cwd`, one count per process (command, pack)."""
    with tempfile.TemporaryDirectory() as logs:
        proc = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                "--trace-children=yes",
                "--cachegrind-out-file=/dev/null",
                f"--log-file={logs}/%p",
                str(python),
                "-m",
                "amlws.cli",
                "preview",
                *argv,
            ],
            cwd=cwd,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"valgrind {' '.join(argv)} in {cwd}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
        return [
            int(m.group(1).replace(",", ""))
            for log in sorted(Path(logs).iterdir(), key=lambda log: int(log.name))  # by pid: the command first
            for m in [_REFS.search(log.read_text())]
            if m
        ]


def instruction_rows(rows: list[tuple[str, str, str]], earlier: tuple[str, Path, Path] | None) -> None:
    """Rows of instructions: each command here, and as a ratio to `earlier` (commit, checkout, its python)."""
    if shutil.which("valgrind") is None:
        rows.append(("instructions executed (valgrind)", "valgrind is not installed: not counted", ""))
        return
    root = Path(__file__).resolve().parent.parent
    for label, argv in COMMANDS.items():
        mine = counted(sys.executable, argv, root)
        text = f"{sum(mine) / 1e9:.3f} G" + (
            f" ({' + '.join(f'{n / 1e9:.3f}' for n in mine)})" if len(mine) > 1 else ""
        )
        target = ""
        if earlier is not None:
            commit, checkout, python = earlier
            was = counted(python, argv, checkout)
            text += f" / {commit}'s {sum(was) / 1e9:.3f} G = **{sum(mine) / sum(was):.3f}×**"
            target = "≤ 1.0× (no regression)"
        rows.append((f"`amlws preview {label}`: instructions executed (valgrind), this checkout", text, target))
