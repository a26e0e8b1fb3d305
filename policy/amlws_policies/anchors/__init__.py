"""The anchor rules of Azure Policy, Checkov and PSRule for our resource types, one module per source, each
rule mapped to the policy of this pack that enforces it or to why it is excluded (parity.py joins them)."""

from __future__ import annotations

from typing import NamedTuple


class Anchor(NamedTuple):
    source: str  # "Azure Policy", "Checkov", "PSRule"
    id: str  # GUID prefix, check id or rule name
    title: str
    policy: str | None  # the pack's policy, or None when excluded
    reason: str = ""  # why excluded (or a note on how the policy covers it)


AP, CK, PS = "Azure Policy", "Checkov", "PSRule"
SERVICE_ENDPOINTS = (
    "audits virtual network service endpoints (networkAcls.virtualNetworkRules); this package reaches the service "
    "through private endpoints and the workspace's managed network instead, which the isolation and public-access "
    "policies check"
)
AMPLS = "needs an Azure Monitor Private Link Scope, which the stack does not create"
