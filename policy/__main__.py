"""The CrossGuard pack. Only builds the pack: PolicyPack() serves gRPC forever, so tests import the
policies from `amlws_policies` instead of this file."""

from pulumi_policy import EnforcementLevel, PolicyPack

from amlws_policies import ALL_POLICIES
from amlws_policies.decode_once import decode_requests_once

decode_requests_once()  # same verdicts, each resource's properties decoded once per request (see the module)

PolicyPack(
    name="amlws-policy",
    policies=ALL_POLICIES,
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Azure Machine Learning workspace: documented restrictions and governance.",
    provider="azure",
)
