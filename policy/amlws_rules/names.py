"""Name rules Azure applies at `pulumi up`, for the names a stack spells out.

Sources: azure-rest-api-specs path parameters (storage `accountName` `^[a-z0-9]+$` 3-24; key vault
`vaultName` `^[a-zA-Z0-9-]{3,24}$`; container registry `registryName` `^[a-zA-Z0-9]*$` 5-50;
machine learning `workspaceName` `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`; key vault `keyName` and
`secretName` `^[a-zA-Z0-9-]{1,127}$`), as also checked by Checkov CKV_AZURE_43 (storage) and PSRule
Azure.Storage.Name, Azure.KeyVault.Name, Azure.ACR.Name (src/PSRule.Rules.Azure/rules/Azure.ACR.Rule.yaml),
Azure.ML.Name, Azure.KeyVault.KeyName and Azure.KeyVault.SecretName.
"""

from __future__ import annotations

import re

# (module, type) -> (name input, pattern, what to tell the user)
NAME_RULES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("storage", "StorageAccount"): ("accountName", r"^[a-z0-9]{3,24}$", "3-24 lowercase letters and digits"),
    ("keyvault", "Vault"): ("vaultName", r"^[a-zA-Z0-9-]{3,24}$", "3-24 letters, digits and hyphens"),
    ("containerregistry", "Registry"): ("registryName", r"^[a-zA-Z0-9]{5,50}$", "5-50 letters and digits"),
    ("machinelearningservices", "Workspace"): ("workspaceName", r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$", "3-33 letters, digits, '_' and '-', starting with a letter or digit"),
    ("keyvault", "Key"): ("keyName", r"^[a-zA-Z0-9-]{1,127}$", "1-127 letters, digits and hyphens"),
    ("keyvault", "Secret"): ("secretName", r"^[a-zA-Z0-9-]{1,127}$", "1-127 letters, digits and hyphens"),
}


def name_violation(module: str, kind: str, name: object) -> str | None:
    """Why Azure refuses this name for this type, or None (also for types without a rule)."""
    rule = NAME_RULES.get((module, kind))
    if rule is None or not isinstance(name, str):
        return None
    key, pattern, allowed = rule
    return None if re.match(pattern, name) else f"{key} {name!r} is not valid: use {allowed}"
