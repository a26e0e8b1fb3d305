"""The linter is part of the test command: `ruff check` (pyproject.toml's rules: lines <= 120 characters,
pyflakes, pycodestyle errors) and `ruff format --check` over the whole repository, with the ruff the test
extra pins."""

import subprocess
import sys

from harness import ROOT


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_ruff_check_passes():
    proc = ruff("check", "--output-format", "concise", "--no-cache", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_check_passes():
    proc = ruff("format", "--check", "--no-cache", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr
