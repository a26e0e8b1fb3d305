"""Governance of Azure ML computes that the Azure Policy built-ins, Checkov and PSRule for Azure check.

Each description names its anchors. Levels default to mandatory; the shipped configs set the caps.
"""

from __future__ import annotations

from typing import Any, Mapping

from amlws_rules import parse_duration
from amlws_rules.values import one_of

from .base import REQUIRED, get, peek, resource_policy, when

ML_COMPUTE = [("machinelearningservices", "Compute")]


def _compute_kind(props: Mapping[str, Any]) -> str | None:
    return get(props, "properties.computeType")


def _local_auth(props, _cfg):
    return when(
        get(props, "properties.disableLocalAuth") is not True,
        f"{_compute_kind(props)} has local authentication enabled (disableLocalAuth is not true)",
    )


def _idle_shutdown(props, cfg):
    if _compute_kind(props) != "ComputeInstance":
        return []
    value = get(props, "properties.properties.idleTimeBeforeShutdown")
    if not value:
        return ["compute instance has no idleTimeBeforeShutdown"]
    minutes = parse_duration(value).total_seconds() / 60
    limit = float(cfg["maxIdleMinutes"])  # config integers arrive as floats
    return when(minutes > limit, f"idleTimeBeforeShutdown {value} is longer than the {limit:g} minutes allowed")


def _cluster_scale(props, cfg):
    if _compute_kind(props) != "AmlCompute":
        return []
    scale = get(props, "properties.properties.scaleSettings") or {}
    problems = []
    if (scale.get("minNodeCount") or 0) != 0:
        problems.append(f"minNodeCount is {scale.get('minNodeCount')}; 0 lets an idle cluster cost nothing")
    cap = float(cfg["maxNodeCount"])
    if scale.get("maxNodeCount") is not None and float(scale["maxNodeCount"]) > cap:
        problems.append(f"maxNodeCount {scale['maxNodeCount']} is above the cap of {cap:g}")
    return problems


def _vm_size(props, cfg):
    allowed = list(cfg["allowedVmSizes"])
    size = get(props, "properties.properties.vmSize")
    return when(
        bool(allowed) and size is not None and not one_of(size, allowed),
        f"vmSize {size} is not in the allowed list: {', '.join(allowed)}",
    )


def _subnet(props, cfg):
    return when(
        cfg["required"] and not peek(props, "properties.properties.subnet.id"),
        f"{_compute_kind(props)} is not in a subnet",
    )


COMPUTE_GOVERNANCE_POLICIES = [
    resource_policy(
        "compute-local-auth-disabled",
        "Azure ML computes should have local authentication disabled. Anchors: Azure Policy "
        "e96a9a5f, PSRule Azure.ML.DisableLocalAuth (Checkov's CKV_AZURE_142 is Terraform-only).",
        ML_COMPUTE,
        _local_auth,
    ),
    resource_policy(
        "compute-instance-idle-shutdown",
        "Azure ML compute instances should shut down when idle, within a maximum. "
        "Anchors: Azure Policy 679ddf89, PSRule Azure.ML.ComputeIdleShutdown.",
        ML_COMPUTE,
        _idle_shutdown,
        {
            "maxIdleMinutes": {
                "type": "number",
                "default": 240,
                "description": "Longest idleTimeBeforeShutdown allowed, in minutes.",
            }
        },
    ),
    resource_policy(
        "compute-cluster-scale",
        "Azure ML compute clusters should scale to 0 nodes and stay under a node cap. Anchor: "
        "cost governance (Checkov's CKV_AZURE_150 checks the same for Terraform only).",
        ML_COMPUTE,
        _cluster_scale,
        {"maxNodeCount": {"type": "number", "default": 10, "description": "Largest maxNodeCount allowed."}},
    ),
    resource_policy(
        "compute-vm-size-allowed",
        "Azure ML computes should use VM sizes from the allowed list. Anchor: "
        "cost governance (Azure Policy 'Allowed virtual machine size SKUs').",
        ML_COMPUTE,
        _vm_size,
        {
            "allowedVmSizes": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Allowed vmSize values; empty allows all.",
            }
        },
    ),
    resource_policy(
        "compute-in-subnet",
        "Azure ML computes should be in a virtual network, where required. "
        "Anchors: Azure Policy 7804b5c7, PSRule Azure.ML.ComputeVnet.",
        ML_COMPUTE,
        _subnet,
        REQUIRED,
    ),
]

__all__ = ["COMPUTE_GOVERNANCE_POLICIES"]
