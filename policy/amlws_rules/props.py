"""Reading nested resource properties by dotted path (`properties.enablePurgeProtection`, `logs.0.enabled`)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence


def get_path(props: Mapping[str, Any], path: str) -> Any:
    """`a.b.c` through nested mappings (and `a.0.b` through lists); None where anything on the way is missing."""
    value: Any = props
    for part in path.split("."):
        if isinstance(value, Mapping):
            if part not in value:
                return None
            value = value[part]
        elif isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit():
            if int(part) >= len(value):
                return None
            value = value[int(part)]
        else:
            return None
    return value
