"""The summary lines of a preview, the same on a terminal, in `--quiet` output and in the README."""

from __future__ import annotations

from collections import Counter

from .preview import PreviewResult


def summary_line(result: PreviewResult) -> str:
    custom = sum(1 for r in result.registrations if r.custom)
    components = len(result.registrations) - custom
    levels = Counter(v["level"] for v in result.violations)
    protected = sum(1 for r in result.registrations if r.protect)
    text = f"{result.project}/{result.stack}: {custom} resources in {components} components, {protected} protected"
    if result.violations or levels:
        text += f"; policy violations: {levels.get('mandatory', 0)} mandatory, {levels.get('advisory', 0)} advisory"
    return text


def policy_line(result: PreviewResult) -> str:
    """After a policy run, say how many policies ran, also (especially) when none was violated."""
    levels = Counter(v["level"] for v in result.violations)
    text = f"policy: {len(result.policies)} policies, {len(result.violations)} violations"
    if result.violations:
        text += f" ({levels.get('mandatory', 0)} mandatory, {levels.get('advisory', 0)} advisory)"
    return text
