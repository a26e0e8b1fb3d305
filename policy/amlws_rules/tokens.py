"""Type-token matching that also accepts explicit API versions and the tokens a type used to have.

`azure-native:machinelearningservices:Workspace` and
`azure-native:machinelearningservices/v20240401:Workspace` are the same kind of resource. So are
the v2 tokens that azure-native v3 still declares as aliases of a moved type: a stack whose state
came from v2 (or that pins a v2 resource) reports them, and a policy that missed them would pass
a classic App Insights with local auth.
"""

from __future__ import annotations

# (module, name) -> other (module, name) pairs of the same Azure type. Source: pulumi-azure-native
# v3.29 SDK, `alias_opts` in pulumi_azure_native/applicationinsights/component.py
# ("azure-native:insights:Component") and pulumi_azure_native/monitor/diagnostic_setting.py
# ("azure-native:insights:DiagnosticSetting").
ALIASES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("applicationinsights", "Component"): (("insights", "Component"),),
    ("monitor", "DiagnosticSetting"): (("insights", "DiagnosticSetting"),),
}


def split_token(token: str) -> tuple[str, str, str]:
    """(package, module without version, name); ('', '', token) when it is not a token."""
    parts = token.split(":")
    if len(parts) != 3:
        return "", "", token
    package, module, name = parts
    return package, module.split("/", 1)[0], name


def is_type(token: str, module: str, name: str, package: str = "azure-native") -> bool:
    found_package, found_module, found_name = split_token(token)
    if found_package != package:
        return False
    return (found_module, found_name) in ((module, name), *ALIASES.get((module, name), ()))
