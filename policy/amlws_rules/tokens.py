"""Type-token matching that also accepts explicit API versions and the tokens a type used to have.

`azure-native:machinelearningservices:Workspace` and
`azure-native:machinelearningservices/v20240401:Workspace` are the same kind of resource. So are
the v2 tokens that azure-native v3 still declares as aliases of a moved type: a stack whose state
came from v2 (or that pins a v2 resource) reports them, and a policy that missed them would pass
a classic App Insights with local auth.
"""

from __future__ import annotations

import functools
from typing import Iterable

# (module, name) -> other (module, name) pairs of the same Azure type. Source: pulumi-azure-native
# v3.29 SDK, `alias_opts` in pulumi_azure_native/applicationinsights/component.py
# ("azure-native:insights:Component") and pulumi_azure_native/monitor/diagnostic_setting.py
# ("azure-native:insights:DiagnosticSetting").
ALIASES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("applicationinsights", "Component"): (("insights", "Component"),),
    ("monitor", "DiagnosticSetting"): (("insights", "DiagnosticSetting"),),
}


@functools.lru_cache(maxsize=1024)
def split_token(token: str) -> tuple[str, str, str]:
    """(package, module without version, name); ('', '', token) when it is not a token. Cached: a pack asks
    for the same few dozen tokens once per policy and resource (75 x 132 in prod)."""
    parts = token.split(":")
    if len(parts) != 3:
        return "", "", token
    package, module, name = parts
    return package, module.split("/", 1)[0], name


def with_aliases(types: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """The (module, name) pairs and the pairs the same Azure types were known as before."""
    return frozenset(kind for pair in types for kind in (pair, *ALIASES.get(pair, ())))


def is_any_type(token: str, kinds: frozenset[tuple[str, str]], package: str = "azure-native") -> bool:
    """Whether `token` is one of `kinds` (from `with_aliases`), any API version."""
    found_package, found_module, found_name = split_token(token)
    return found_package == package and (found_module, found_name) in kinds


def is_type(token: str, module: str, name: str, package: str = "azure-native") -> bool:
    found_package, found_module, found_name = split_token(token)
    if found_package != package:
        return False
    return (found_module == module and found_name == name) or (found_module, found_name) in ALIASES.get(
        (module, name), ()
    )
