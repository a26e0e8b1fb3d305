"""The policies of the amlws pack, importable without starting the pack's gRPC server."""

from .coverage import COVERAGE_POLICIES
from .documented import DOCUMENTED_POLICIES
from .governance import GOVERNANCE_POLICIES
from .kinds import KINDS_POLICIES
from .selfserve import SELF_SERVE_POLICIES

ALL_POLICIES = [*DOCUMENTED_POLICIES, *GOVERNANCE_POLICIES, *COVERAGE_POLICIES, *SELF_SERVE_POLICIES, *KINDS_POLICIES]

__all__ = [
    "ALL_POLICIES",
    "COVERAGE_POLICIES",
    "DOCUMENTED_POLICIES",
    "GOVERNANCE_POLICIES",
    "KINDS_POLICIES",
    "SELF_SERVE_POLICIES",
]
