"""Reading nested resource properties by dotted path (`properties.enablePurgeProtection`)."""

from __future__ import annotations

from typing import Any, Mapping


def get_path(props: Mapping[str, Any], path: str) -> Any:
    """`a.b.c` through nested mappings; None where anything on the way is missing."""
    value: Any = props
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
