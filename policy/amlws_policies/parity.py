"""Every anchor rule for our resource types -> the policy that enforces it, or why it is excluded.

Sources: Azure Policy built-ins (Azure/azure-policy built-in-policies/policyDefinitions/<Category>/
*.json; the GUID prefix identifies the definition), Checkov ARM checks (bridgecrewio/checkov
checkov/arm/checks/resource/*.py), PSRule for Azure rules (Azure/PSRule.Rules.Azure
src/PSRule.Rules.Azure/rules/Azure.<Type>.Rule.yaml/.ps1). The README's parity table is generated
from this list (scripts/readme_tables.py) and tests check it against the pack.
"""

from __future__ import annotations

from .anchors import Anchor
from .anchors.azure_policy import AZURE_POLICY_ANCHORS
from .anchors.checkov import CHECKOV_ANCHORS
from .anchors.psrule import PSRULE_ANCHORS

ANCHORS: list[Anchor] = [*AZURE_POLICY_ANCHORS, *CHECKOV_ANCHORS, *PSRULE_ANCHORS]


def counts() -> dict[str, tuple[int, int]]:
    """source -> (covered by a policy, excluded with a reason)."""
    out: dict[str, tuple[int, int]] = {}
    for anchor in ANCHORS:
        covered, excluded = out.get(anchor.source, (0, 0))
        out[anchor.source] = (covered + 1, excluded) if anchor.policy else (covered, excluded + 1)
    return out


__all__ = ["ANCHORS", "Anchor", "counts"]
