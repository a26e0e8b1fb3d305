"""Call policies directly with the SDK's own argument types."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"
sys.path.insert(0, str(POLICY_DIR))

from amlws_policies import ALL_POLICIES  # noqa: E402

BY_NAME = {p.name: p for p in ALL_POLICIES}
UNKNOWN = UNKNOWN_STRING_VALUE  # what a computed value looks like on the wire in a first preview
CANT_RUN = "can't run policy during preview"


def check_resource(
    policy: str, resource_type: str, props: dict[str, Any], config: dict[str, Any] | None = None
) -> list[str]:
    """Like the SDK: props behind its unknown-checking proxy; an unknown read is the SDK's advisory."""
    messages: list[str] = []
    args = ResourceValidationArgs(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:t::p::{resource_type}::r",
        "r",
        None,
        None,
        config,
        {},
    )
    try:
        BY_NAME[policy].validate(args, lambda message, urn=None: messages.append(message))
    except UnknownValueError as err:
        messages.append(f"{CANT_RUN}: {err.message}")
    return messages


def resource(resource_type: str, name: str, props: dict[str, Any], protect: bool = False) -> PolicyResource:
    from pulumi_policy.policy import PolicyResourceOptions

    opts = PolicyResourceOptions(protect, [], None, [], None, [])
    return PolicyResource(
        resource_type,
        unknown_checking_proxy(props),
        f"urn:pulumi:t::p::{resource_type}::{name}",
        name,
        opts,
        None,
        None,
        [],
        {},
    )


def check_stack(
    policy: str, resources: list[PolicyResource], config: dict[str, Any] | None = None
) -> list[tuple[str, str | None]]:
    """Violations reported, plus (CANT_RUN..., None) when the policy raised on an unknown value."""
    found: list[tuple[str, str | None]] = []
    try:
        BY_NAME[policy].validate(
            StackValidationArgs(resources, config, {}), lambda message, urn=None: found.append((message, urn))
        )
    except UnknownValueError as err:
        found.append((f"{CANT_RUN}: {err.message}", None))
    return found
