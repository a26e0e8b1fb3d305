"""The names a stack gives what it creates: CAF abbreviation, project, environment, and for names unique in
all of Azure a stable suffix (`amlws_rules.naming`). A name set in the stack file always wins.

The suffix hashes `amlws:nameSeed` (empty by default), the environment and the resource group name:
all known offline, so `amlws preview` shows the names `pulumi up` creates. dev and prod differ in
environment and resource group, so their names never collide. Two organisations deploying the same
stack file would: set `amlws:nameSeed` (e.g. to a subscription ID or a company name) to separate them.

`amlws:nameSuffix` is appended to the names a deletion blocks (docs/soft-delete.md): the workspace's
(`mlw-<project>-<environment>-<suffix>`: a deleted workspace stays soft-deleted for 14 days and its name can't be
reused, learn.microsoft.com/azure/machine-learning/concept-soft-delete) and the key vault's (a deleted vault keeps
its globally unique name for its soft-delete retention, and purge protection forbids purging it). Left out, every
name is what it always was.
"""

from __future__ import annotations

from typing import Any

from amlws_rules.naming import (
    APPLICATION_INSIGHTS,
    BUDGET,
    CONTAINER_REGISTRY,
    KEY_VAULT,
    LOG_ANALYTICS,
    ML_WORKSPACE,
    STORAGE_ACCOUNT,
    USER_ASSIGNED_IDENTITY,
    compact_name,
    hyphenated_name,
    suffixed_name,
)

from .config import StackConfig


def _seed(stack: StackConfig, resource_group: str) -> tuple[str, ...]:
    return (stack.name_seed or "", stack.environment, resource_group)


def section_names(stack: StackConfig, project: str, resource_group: str) -> dict[str, dict[str, str]]:
    """Default names per args section, for the resources of one project (or `shared`)."""
    parts, seed = [project, stack.environment], _seed(stack, resource_group)
    return {
        "storage": {"account_name": compact_name(STORAGE_ACCOUNT, "st", parts, seed)},
        "key_vault": {"vault_name": hyphenated_name(KEY_VAULT, "kv", [*parts, *_suffix(stack)], seed)},
        "container_registry": {"registry_name": compact_name(CONTAINER_REGISTRY, "cr", parts, seed)},
        "monitoring": {
            "log_analytics_workspace_name": hyphenated_name(LOG_ANALYTICS, "log", parts),
            "application_insights_name": hyphenated_name(APPLICATION_INSIGHTS, "appi", parts),
        },
        "customer_managed_key": {"identity_name": hyphenated_name(USER_ASSIGNED_IDENTITY, "id", [*parts, "cmk"])},
        "workspace_identity": {"identity_name": hyphenated_name(USER_ASSIGNED_IDENTITY, "id", [*parts, "mlw"])},
    }


def _suffix(stack: StackConfig) -> list[str]:
    return [stack.name_suffix] if stack.name_suffix else []


def workspace_name(stack: StackConfig, project: str) -> str:
    """`mlw-<project>-<environment>`, then `-<nameSuffix>` kept whole (the rest is cut to make room for it)."""
    return suffixed_name(
        ML_WORKSPACE, hyphenated_name(ML_WORKSPACE, "mlw", [project, stack.environment]), stack.name_suffix
    )


def datastore_account_name(stack: StackConfig, project: str, resource_group: str, datastore: str) -> str:
    return compact_name(STORAGE_ACCOUNT, "st", [datastore, stack.environment], (*_seed(stack, resource_group), project))


def budget_name(stack: StackConfig, project: str) -> str:
    return hyphenated_name(BUDGET, "budget", [project, stack.environment])


def fill_names(args: dict[str, Any], defaults: dict[str, dict[str, str]]) -> None:
    """Give each present section (that creates its resource) the default names it has no name for. A key unwrapped
    by an existing identity (`user_assigned_identity_resource_id`) has no identity to name."""
    for section, names in defaults.items():
        body = args.get(section)
        brought = isinstance(body, dict) and (body.get("existing_id") or body.get("user_assigned_identity_resource_id"))
        if isinstance(body, dict) and not brought:
            for key, value in names.items():
                body.setdefault(key, value)
