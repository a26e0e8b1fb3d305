"""Issue 18's layout limits, kept by the test command: a source module holds one concern and fits on a few
screens (at most 400 lines), and the few `type: ignore` comments outside tests each say why."""

import re
import subprocess

from harness import ROOT

MAX_MODULE_LINES = 400
MAX_TYPE_IGNORES = 15
# `# type: ignore[code]  # the reason`: the reason is a second comment on the same line, or the line above.
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


def source_modules() -> list[str]:
    """Every tracked Python file that ships or builds the project (tests have their own shape)."""
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [path for path in listed if not path.startswith("tests/")]


def test_no_source_module_is_over_the_limit():
    modules = source_modules()
    assert modules, "no tracked Python files: run the tests from a git checkout"
    long = {path: n for path in modules if (n := len((ROOT / path).read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by concern): {long}"


def test_type_ignores_are_few_and_each_says_why():
    modules = source_modules()
    found: list[tuple[str, int, bool]] = []
    for path in modules:
        lines = (ROOT / path).read_text().splitlines()
        for number, line in enumerate(lines, 1):
            match = IGNORE.search(line)
            if match:
                reason_after = match["rest"].strip().startswith("#")
                reason_above = number > 1 and lines[number - 2].strip().startswith("#")
                found.append((path, number, reason_after or reason_above))
    assert len(found) <= MAX_TYPE_IGNORES, f"{len(found)} `type: ignore` outside tests: {found}"
    assert all(reason for *_, reason in found), [f"{p}:{n}" for p, n, reason in found if not reason]
