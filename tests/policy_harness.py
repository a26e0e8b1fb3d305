"""Call policies directly with the SDK's own argument types."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"
sys.path.insert(0, str(POLICY_DIR))

from amlws_policies import ALL_POLICIES  # noqa: E402

BY_NAME = {p.name: p for p in ALL_POLICIES}


def check_resource(policy: str, resource_type: str, props: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
    messages: list[str] = []
    args = ResourceValidationArgs(resource_type, props, f"urn:pulumi:t::p::{resource_type}::r", "r", None, None, config, {})
    BY_NAME[policy].validate(args, lambda message, urn=None: messages.append(message))
    return messages


def resource(resource_type: str, name: str, props: dict[str, Any]) -> PolicyResource:
    return PolicyResource(resource_type, props, f"urn:pulumi:t::p::{resource_type}::{name}", name, None, None, None, [], {})


def check_stack(policy: str, resources: list[PolicyResource], config: dict[str, Any] | None = None) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    BY_NAME[policy].validate(StackValidationArgs(resources, config, {}), lambda message, urn=None: found.append((message, urn)))
    return found
