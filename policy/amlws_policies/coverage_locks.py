"""Coverage policies for management locks: protected data resources carry a CanNotDelete lock (the AVM `lock`
interface), and a workspace with a managed network has none on itself or its scopes (the Azure ML docs).
Part of COVERAGE_POLICIES (coverage.py), last, in this order.
"""

from __future__ import annotations

from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from amlws_rules import is_type, split_token
from amlws_rules.values import one_of, same

from .base import (
    UNKNOWN,
    of_type,
    peek,
    per_resource,
    refers_to,
    stack_policy,
    text,
    unset_by_program,
)
from .governance import ISOLATED_MODES

# The resources that hold data: a delete lock protects them (and allowed-locations checks them).
DATA_TYPES = (
    ("machinelearningservices", "Workspace"),
    ("storage", "StorageAccount"),
    ("keyvault", "Vault"),
    ("containerregistry", "Registry"),
    ("machinelearningservices", "Registry"),
)


LOCK_TYPES = (
    "ManagementLockByScope",
    "ManagementLockAtResourceLevel",
    "ManagementLockAtResourceGroupLevel",
    "ManagementLockAtSubscriptionLevel",
)
ML_NAMESPACE = "microsoft.machinelearningservices"
# MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md (commit d675e2ff), "Limitations":
# "Make sure there are no scope locks on the Azure Machine Learning resources and resource group. Internal operations
# related to managed virtual network might be blocked."
MANAGED_NETWORK_LOCKS_DOC = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations"


def _managed_network_mode(ws) -> Any:
    """The workspace's managed-network isolation mode (AllowInternetOutbound, AllowOnlyApprovedOutbound), UNKNOWN
    while it can't be told, else None (Disabled, or `managedNetwork` left to Azure's default, Disabled)."""
    if unset_by_program(ws.props, "managedNetwork"):
        return None
    mode = peek(ws.props, "managedNetwork.isolationMode")
    return mode if mode is UNKNOWN or one_of(mode, ISOLATED_MODES) else None


def _can_not_tell(*path: str) -> UnknownValueError:
    return UnknownValueError(UNKNOWN_STRING_VALUE, list(path))


def _is_group(resource) -> bool:
    return is_type(resource.resource_type, "resources", "ResourceGroup")


def _group_names(group) -> set[str]:
    return {n for n in (text(group.props, "resourceGroupName"), text(group.props, "name")) if n}


def _group_refs(resource) -> tuple[set[str], set[str]]:
    """(URNs of the resource groups `resourceGroupName` depends on, known group names), lower-case names.
    A resource group refers to itself."""
    if _is_group(resource):
        return {resource.urn}, _group_names(resource)
    groups = [d for d in resource.property_dependencies.get("resourceGroupName", []) if _is_group(d)]
    names = {text(resource.props, "resourceGroupName")} | {n for g in groups for n in _group_names(g)}
    return {g.urn for g in groups}, {n for n in names if n}


def _same_group(a, b) -> bool | None:
    """Are `a` and `b` in the same resource group (a resource group is in itself)? None: can't tell yet."""
    (urns_a, names_a), (urns_b, names_b) = _group_refs(a), _group_refs(b)
    if urns_a & urns_b or names_a & names_b:
        return True
    if names_a and names_b or urns_a and urns_b:  # known names that differ, or two resource groups of the stack
        return False
    return None


def _same_subscription(lock, ws) -> bool:
    """A subscription-level lock and a workspace share the subscription unless their providers show otherwise."""
    pa, pb = getattr(lock, "provider", None), getattr(ws, "provider", None)
    if pa is None or pb is None or pa.urn == pb.urn:
        return True
    sub_a, sub_b = text(pa.props, "subscriptionId"), text(pb.props, "subscriptionId")
    return sub_a is not None and sub_a == sub_b


def _of_workspace(resource, ws) -> bool:
    """`resource` is the workspace or an Azure ML resource under it (a compute, ...), by dependency."""
    return resource.urn == ws.urn or (
        split_token(resource.resource_type)[:2] == ("azure-native", "machinelearningservices")
        and any(d.urn == ws.urn for d in resource.property_dependencies.get("workspaceName", []))
    )


def _scope_string_covers(scope: str, ws) -> str | None:
    """What of the workspace a lock on the ARM ID `scope` covers: the workspace (or something under it), its
    resource group or its subscription; None when none of them. Raises (can't tell yet) when it needs the
    workspace's unknown resource group or name."""
    parts = scope.lower().rstrip("/").split("/")
    if parts[:2] != ["", "subscriptions"] or len(parts) not in (3, 5) and len(parts) < 9:
        return None
    if len(parts) >= 5 and parts[3] != "resourcegroups":
        return None
    if len(parts) >= 9 and parts[5:8] != ["providers", ML_NAMESPACE, "workspaces"]:
        return None  # another resource than a workspace (a storage account, a key vault, ...)
    ws_id = text(ws.props, "id")
    if ws_id:
        wid = ws_id.rstrip("/")
        if len(parts) == 3:
            return "its subscription" if wid.split("/")[:3] == parts else None
        if len(parts) == 5:
            return "its resource group" if wid.split("/")[:5] == parts else None
        joined = "/".join(parts)
        return "the workspace" if joined == wid or joined.startswith(wid + "/") else None
    if len(parts) == 3:
        return "its subscription"  # the stack's subscription, unless the workspace's known ID shows another
    groups = _group_refs(ws)[1]
    if not groups:
        raise _can_not_tell("resourceGroupName")
    if parts[4] not in groups:
        return None
    if len(parts) == 5:
        return "its resource group"
    name = text(ws.props, "workspaceName") or text(ws.props, "name")
    if name is None:
        raise _can_not_tell("workspaceName")
    return "the workspace" if parts[8] == name else None


def _lock_covers(lock, ws) -> str | None:
    """What of the workspace `lock` covers ("the workspace", "its resource group", "its subscription") or None.
    Matches by property dependency where values are unknown (a first preview), else by known names and IDs."""
    props = lock.props
    if is_type(lock.resource_type, "authorization", "ManagementLockAtSubscriptionLevel"):
        return "its subscription" if _same_subscription(lock, ws) else None
    if is_type(lock.resource_type, "authorization", "ManagementLockAtResourceGroupLevel"):
        in_group = _same_group(lock, ws)
        if in_group is None:
            raise _can_not_tell("resourceGroupName")
        return "its resource group" if in_group else None
    if is_type(lock.resource_type, "authorization", "ManagementLockAtResourceLevel"):
        namespace = peek(props, "resourceProviderNamespace")
        if namespace is UNKNOWN:
            raise _can_not_tell("resourceProviderNamespace")
        if not same(namespace, ML_NAMESPACE):
            return None
        if any(
            _of_workspace(d, ws)
            for prop in ("parentResourcePath", "resourceName")
            for d in lock.property_dependencies.get(prop, [])
        ):
            return "the workspace"
        path = [peek(props, key) for key in ("parentResourcePath", "resourceType", "resourceName")]
        if any(p is UNKNOWN for p in path):
            return None  # computed from another resource than the workspace (no dependency on it)
        full = "/".join(str(p).strip("/").lower() for p in path if p)
        name = text(ws.props, "workspaceName") or text(ws.props, "name")
        if name is None:
            raise _can_not_tell("workspaceName")
        if full != f"workspaces/{name}" and not full.startswith(f"workspaces/{name}/"):
            return None
        in_group = _same_group(lock, ws)
        if in_group is None:
            raise _can_not_tell("resourceGroupName")
        return "the workspace" if in_group else None
    scope = peek(props, "scope")
    if isinstance(scope, str):
        try:
            return _scope_string_covers(scope, ws)
        except UnknownValueError:
            if any(_of_workspace(d, ws) for d in lock.property_dependencies.get("scope", [])):
                return "the workspace"
            raise
    deps = lock.property_dependencies.get("scope", [])
    if any(_of_workspace(d, ws) for d in deps):
        return "the workspace"
    groups = [d for d in deps if is_type(d.resource_type, "resources", "ResourceGroup")]
    if groups and len(groups) == len(deps):  # a scope computed from resource groups only: a resource group's ID
        verdicts = [_same_group(g, ws) for g in groups]
        if any(verdicts):
            return "its resource group"
        if None in verdicts:
            raise _can_not_tell("scope")
        return None
    if not deps:
        raise _can_not_tell("scope")
    return None  # the scope is another resource's ID (a storage account, a key vault, ...)


def _blocks(lock) -> bool:
    """CanNotDelete or ReadOnly (a level not known yet counts: it will be one)."""
    level = peek(lock.props, "level")
    return level is UNKNOWN or one_of(level, ("CanNotDelete", "ReadOnly"))


def _managed_network_locks(args, _cfg, report) -> None:
    locks = [
        r
        for r in args.resources
        if any(is_type(r.resource_type, "authorization", k) for k in LOCK_TYPES) and _blocks(r)
    ]
    workspaces = of_type(args.resources, "machinelearningservices", "Workspace")

    def check(pair) -> None:
        lock, ws = pair
        mode = _managed_network_mode(ws)
        if mode is None:
            return
        covers = _lock_covers(lock, ws)
        if covers is None:
            return
        if mode is UNKNOWN:
            raise _can_not_tell("managedNetwork", "isolationMode")
        report(
            f"management lock {lock.name} ({peek(lock.props, 'level')}) is on "
            f"{covers} of workspace {ws.name}, which has a managed network "
            f"(isolationMode {mode}): internal operations of the "
            "managed virtual network might be blocked; remove the lock "
            f"(the workspace's data resources may keep locks scoped to themselves)",
            lock.urn,
        )

    per_resource([(lock, ws) for lock in locks for ws in workspaces], check)


def _delete_locks(args, _cfg, report) -> None:
    locks = [
        lock
        for lock in args.resources
        if any(
            is_type(lock.resource_type, "authorization", k)
            for k in ("ManagementLockByScope", "ManagementLockAtResourceLevel")
        )
    ]

    def locked(resource) -> bool:
        for lock in locks:
            if not same(peek(lock.props, "level"), "CanNotDelete") and not same(peek(lock.props, "level"), "ReadOnly"):
                continue
            if refers_to(lock, "scope", resource) or (lock.parent is not None and lock.parent.urn == resource.urn):
                return True
        return False

    def check(resource) -> None:
        if resource.opts is not None and resource.opts.protect and not locked(resource):
            if is_type(resource.resource_type, "machinelearningservices", "Workspace"):
                mode = _managed_network_mode(resource)
                if mode is UNKNOWN:
                    raise _can_not_tell("managedNetwork", "isolationMode")
                if mode is not None:
                    return  # a lock would break its managed network: workspace-managed-network-no-scope-lock
            report(
                f"{resource.name} is protected in Pulumi but carries no CanNotDelete management "
                "lock: `protect` stops only Pulumi, not the portal, CLI or another tool",
                resource.urn,
            )

    per_resource([r for r in args.resources if any(is_type(r.resource_type, m, k) for m, k in DATA_TYPES)], check)


LOCK_COVERAGE_POLICIES = [
    stack_policy(
        "data-resources-delete-lock",
        "Protected data resources (workspaces, storage accounts, key vaults, registries) should "
        "carry a CanNotDelete management lock: Pulumi's protect stops only Pulumi. A workspace "
        "with a managed network is exempt (see workspace-managed-network-no-scope-lock). Anchor: "
        "AVM lock interface (Azure Verified Modules `lock`); Azure Policy has no built-in for it.",
        _delete_locks,
    ),
    stack_policy(
        "workspace-managed-network-no-scope-lock",
        "An Azure ML workspace with a managed network (isolation mode AllowInternetOutbound or "
        "AllowOnlyApprovedOutbound) should have no management lock on itself, its Azure ML child resources, "
        "its resource group or its subscription (locks are inherited by everything under their scope): "
        '"Make sure there are no scope locks on the Azure Machine Learning resources and resource group. '
        'Internal operations related to managed virtual network might be blocked." Anchor: Azure ML docs, '
        + MANAGED_NETWORK_LOCKS_DOC
        + " (how-to-managed-network, Limitations).",
        _managed_network_locks,
    ),
]
