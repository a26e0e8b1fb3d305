"""Name rules of the Azure resources the package creates, and the deterministic names it gives them.

Why: without a name input azure-native autonames a resource `<logical name>` + 8 random hex characters
and then refuses the result if it breaks the spec's pattern or length (provider.go `getDefaultName`,
`Check`). So every resource the components create gets an explicit name, built here:

- a CAF abbreviation first (Cloud Adoption Framework, "Recommended abbreviations for Azure resource
  types", learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-abbreviations):
  `st` storage account, `kv` key vault, `cr` container registry, `log` Log Analytics workspace,
  `appi` Application Insights, `id` managed identity, `pep` private endpoint, `mlw` ML workspace;
- then the readable parts (project, environment), cut to fit the rule;
- then, for names that are unique in all of Azure (storage, key vault, registry), a short stable
  suffix: `unique_suffix(seed...)`, a hash of inputs known offline (like Bicep's
  `uniqueString(resourceGroup().id)`, but without the subscription ID, which a preview may not know).

Each rule quotes the REST API spec of the API version azure-native 3.29 uses (the "Uses Azure REST
API version" line of the SDK module), so a name the user gives is refused with the rule it breaks.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

SPECS = "Azure/azure-rest-api-specs specification/"


@dataclass(frozen=True)
class NameRule:
    """The name constraint of one resource type, as its REST API spec states it."""

    resource_type: str
    property: str
    pattern: str
    min_length: int
    max_length: int
    scope: str
    source: str

    def describe(self) -> str:
        return (
            f"{self.resource_type} {self.property} must match "
            f"{self.pattern} and be {self.min_length}-{self.max_length} "
            f"characters, unique in {self.scope} ({self.source})"
        )


STORAGE_ACCOUNT = NameRule(
    "Microsoft.Storage/storageAccounts",
    "accountName",
    r"^[a-z0-9]+$",
    3,
    24,
    "all of Azure",
    SPECS + "storage/resource-manager/Microsoft.Storage/stable/2024-01-01/storage.json#/parameters/StorageAccountName",
)
KEY_VAULT = NameRule(
    "Microsoft.KeyVault/vaults",
    "vaultName",
    r"^[a-zA-Z0-9-]{3,24}$",
    3,
    24,
    "all of Azure",
    SPECS
    + "keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keyvault.json (Vaults_CreateOrUpdate vaultName)",
)
CONTAINER_REGISTRY = NameRule(
    "Microsoft.ContainerRegistry/registries",
    "registryName",
    r"^[a-zA-Z0-9]*$",
    5,
    50,
    "all of Azure",
    SPECS
    + "containerregistry/resource-manager/Microsoft.ContainerRegistry/preview/2023-01-01-preview/containerregistry.json"
    "#/parameters/RegistryNameParameter",
)
LOG_ANALYTICS = NameRule(
    "Microsoft.OperationalInsights/workspaces",
    "workspaceName",
    r"^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$",
    4,
    63,
    "the resource group",
    SPECS + "operationalinsights/resource-manager/common/v1/types.json#/parameters/WorkspaceNameParameter "
    "(used by stable/2023-09-01)",
)
ML_WORKSPACE = NameRule(
    "Microsoft.MachineLearningServices/workspaces",
    "workspaceName",
    r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$",
    3,
    33,
    "the resource group",
    SPECS
    + "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2025-12-01 (workspaceName; "
    "as Azure/bicep-types-az "
    "generated/machinelearningservices/microsoft.machinelearningservices/2025-12-01/types.md states it)",
)
# For these types this package states no spec pattern: the rules below are conservative rules of this
# package (letters, digits and a few separators, short), not spec facts, so that a name it accepts is
# one Azure accepts too. The `spec` checks of `amlws preview` hold every name to the spec itself.
APPLICATION_INSIGHTS = NameRule(
    "Microsoft.Insights/components",
    "resourceName",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    1,
    260,
    "the resource group",
    "a conservative rule of this package, not a spec fact "
    "(applicationinsights/resource-manager/Microsoft.Insights/stable/2020-02-02)",
)
USER_ASSIGNED_IDENTITY = NameRule(
    "Microsoft.ManagedIdentity/userAssignedIdentities",
    "resourceName",
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    3,
    128,
    "the resource group",
    "a conservative rule of this package, not a spec fact "
    "(msi/resource-manager/Microsoft.ManagedIdentity/stable/2023-01-31)",
)
PRIVATE_ENDPOINT = NameRule(
    "Microsoft.Network/privateEndpoints",
    "privateEndpointName",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]$",
    2,
    64,
    "the resource group",
    "a conservative rule of this package, not a spec fact "
    "(network/resource-manager/Microsoft.Network/stable/2024-05-01)",
)
VIRTUAL_NETWORK = NameRule(
    "Microsoft.Network/virtualNetworks",
    "virtualNetworkName",
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]$",
    2,
    64,
    "the resource group",
    "a conservative rule of this package, not a spec fact "
    "(network/resource-manager/Microsoft.Network/stable/2024-05-01)",
)
SUBNET = NameRule(
    "Microsoft.Network/virtualNetworks/subnets",
    "subnetName",
    r"^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$",
    1,
    80,
    "its virtual network",
    "a conservative rule of this package, not a spec fact "
    "(network/resource-manager/Microsoft.Network/stable/2024-05-01)",
)
BUDGET = NameRule(
    "Microsoft.Consumption/budgets",
    "budgetName",
    r"^[A-Za-z0-9_-]+$",
    1,
    63,
    "its scope",
    "a conservative rule of this package, not a spec fact "
    "(consumption/resource-manager/Microsoft.Consumption/stable/2024-08-01)",
)


def name_violation(rule: NameRule, value: object) -> str | None:
    """None when `value` obeys `rule`; otherwise why not, quoting the rule."""
    if not isinstance(value, str):
        return f"a name is text; {rule.describe()}"
    problems = []
    if not rule.min_length <= len(value) <= rule.max_length:
        problems.append(f"is {len(value)} characters")
    if not re.match(rule.pattern, value):
        problems.append("does not match the pattern")
    if not problems:
        return None
    return f"{value!r} {' and '.join(problems)}: {rule.describe()}"


def unique_suffix(*seed: str, length: int = 6) -> str:
    """A short, stable, lowercase [a-z2-7] hash of `seed`: the same inputs always give the same suffix.

    Offline on purpose (no subscription ID): a preview must compute the same name `up` will create.
    """
    digest = hashlib.sha256("/".join(s.lower() for s in seed).encode()).digest()
    return base64.b32encode(digest).decode().lower()[:length]


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _hyphenated(text: str, allowed: str = "a-z0-9") -> str:
    cleaned = re.sub(rf"[^{allowed}]+", "-", text.lower())
    return re.sub(r"-{2,}", "-", cleaned).strip("-")


def compact_name(rule: NameRule, abbreviation: str, parts: list[str], seed: tuple[str, ...]) -> str:
    """`<abbr><parts...><suffix>`, letters and digits only, cut to the rule's length (storage, registry)."""
    suffix = unique_suffix(abbreviation, *parts, *seed)
    room = rule.max_length - len(abbreviation) - len(suffix)
    name = abbreviation + "".join(_alnum(p) for p in parts)[:room] + suffix
    return name.ljust(rule.min_length, "0")


def hyphenated_name(rule: NameRule, abbreviation: str, parts: list[str], seed: tuple[str, ...] | None = None) -> str:
    """`<abbr>-<part>-...[-<suffix>]`, cut to the rule's length without a trailing or doubled hyphen.

    A suffix is added when `seed` is given: for names unique in all of Azure (a key vault).
    """
    suffix = f"-{unique_suffix(abbreviation, *parts, *seed)}" if seed is not None else ""
    body = _hyphenated("-".join([abbreviation, *parts]))
    body = body[: rule.max_length - len(suffix)].rstrip("-")
    return body + suffix


# Key and secret names inside a vault (the pack's `resource-names-valid` checks them too; PSRule
# Azure.KeyVault.KeyName and Azure.KeyVault.SecretName).
KEY_VAULT_KEY = NameRule(
    "Microsoft.KeyVault/vaults/keys",
    "keyName",
    r"^[a-zA-Z0-9-]{1,127}$",
    1,
    127,
    "the vault",
    SPECS + "keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keys.json (Keys_CreateIfNotExist keyName)",
)
KEY_VAULT_SECRET = NameRule(
    "Microsoft.KeyVault/vaults/secrets",
    "secretName",
    r"^[a-zA-Z0-9-]{1,127}$",
    1,
    127,
    "the vault",
    SPECS
    + "keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/secrets.json (Secrets_CreateOrUpdate secretName)",
)

# `nameSuffix` / `name_suffix`: appended to the names a deletion blocks (a soft-deleted workspace's for 14 days,
# learn.microsoft.com/azure/machine-learning/concept-soft-delete; a soft-deleted key vault's). Lowercase letters and
# digits fit both the workspace (`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`) and the key vault (`^[a-zA-Z0-9-]{3,24}$`) rules.
NAME_SUFFIX_PATTERN = r"^[a-z0-9]{1,6}$"


def suffixed_name(rule: NameRule, name: str, suffix: str | None) -> str:
    """`<name>-<suffix>`, the suffix kept whole and `name` cut to make room for it within the rule's length."""
    if not suffix:
        return name
    return f"{name[: rule.max_length - len(suffix) - 1].rstrip('-')}-{suffix}"
