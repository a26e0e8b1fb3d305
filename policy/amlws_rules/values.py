"""Comparing ARM values the way ARM does: enum values and tag names are case-insensitive.

ARM treats `publicNetworkAccess: "disabled"` as `Disabled` and a tag `Owner` as the tag `owner`
(learn.microsoft.com, azure-resource-manager/management/tag-resources: "Tag names are
case-insensitive for operations"); a policy that compared them exactly would report findings
Azure would not.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping


def same(value: Any, expected: str) -> bool:
    """`value` is the enum value `expected`, in any letter case."""
    return isinstance(value, str) and value.lower() == expected.lower()


def one_of(value: Any, expected: Iterable[str]) -> bool:
    return any(same(value, e) for e in expected)


def missing_tags(tags: Mapping[str, Any] | None, required: Iterable[str]) -> list[str]:
    """The required tag names absent from `tags`, compared without regard to case."""
    present = {str(k).lower() for k in (tags or {})}
    return [t for t in required if t.lower() not in present]
