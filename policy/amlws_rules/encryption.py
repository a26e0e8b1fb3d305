"""Customer-managed key rules (the docs: "CMK workspaces should have purge protection enabled on
their CMK keyvault"; soft delete is on by default and cannot be turned off)."""

from __future__ import annotations


def cmk_vault_violations(*, enable_purge_protection: bool | None, enable_soft_delete: bool | None) -> list[str]:
    problems: list[str] = []
    if not enable_purge_protection:
        problems.append(
            "the key vault that holds a workspace's customer-managed key must have purge protection enabled"
        )
    if enable_soft_delete is False:
        problems.append("the key vault that holds a workspace's customer-managed key must have soft delete enabled")
    return problems
