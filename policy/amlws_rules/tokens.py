"""Type-token matching that also accepts explicit API versions.

`azure-native:machinelearningservices:Workspace` and
`azure-native:machinelearningservices/v20240401:Workspace` are the same kind of resource.
"""

from __future__ import annotations


def split_token(token: str) -> tuple[str, str, str]:
    """(package, module without version, name); ('', '', token) when it is not a token."""
    parts = token.split(":")
    if len(parts) != 3:
        return "", "", token
    package, module, name = parts
    return package, module.split("/", 1)[0], name


def is_type(token: str, module: str, name: str, package: str = "azure-native") -> bool:
    return split_token(token) == (package, module, name)
