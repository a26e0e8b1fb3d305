"""Which storage accounts may back a workspace, quoting the Azure ML docs (concept-workspace).

> You can't use an existing Azure Storage account if it is:
>   - An account of type BlobStorage
>   - A premium account (Premium_LRS and Premium_GRS)
>   - An account with hierarchical namespace (used with Azure Data Lake Storage Gen2).
> You can use premium storage or hierarchical namespace as additional storage by creating a datastore.

The same rules hold for an account we create: the workspace cannot tell the two apart.
"""

from __future__ import annotations

from dataclasses import dataclass

DOC_URL = "https://learn.microsoft.com/azure/machine-learning/concept-workspace#associated-resources"

RULE_BLOB_STORAGE = "You can't use an existing Azure Storage account if it is an account of type BlobStorage."
RULE_PREMIUM = (
    "You can't use an existing Azure Storage account if it is a premium account (Premium_LRS and Premium_GRS)."
)
RULE_HNS = (
    "You can't use an existing Azure Storage account if it is an account with hierarchical namespace "
    "(used with Azure Data Lake Storage Gen2)."
)
DATASTORE_HINT = "You can use premium storage or hierarchical namespace as additional storage by creating a datastore."
NOTE_GPV1 = (
    "If you bring an existing general-purpose v1 storage account, you may upgrade this to "
    "general-purpose v2 after the workspace has been created. "
    "Do not enable hierarchical namespace on the storage account after upgrading to general-purpose v2."
)

# The same rules, worded for an account the workspace's own deployment creates: "existing" would misdirect
# the reader to an account they never brought (issue 19).
NEW_RULE_BLOB_STORAGE = "A workspace can't use a storage account of type BlobStorage (concept-workspace)."
NEW_RULE_PREMIUM = "A workspace can't use a premium storage account (Premium_LRS and Premium_GRS) (concept-workspace)."
NEW_RULE_HNS = (
    "A workspace can't use a storage account with hierarchical namespace (used with Azure Data Lake Storage Gen2) "
    "(concept-workspace)."
)

# Kinds that only exist with premium performance (their SKUs are always Premium_*).
PREMIUM_ONLY_KINDS = frozenset({"FileStorage", "BlockBlobStorage"})
GENERAL_PURPOSE_V1 = "Storage"


@dataclass(frozen=True)
class StorageFinding:
    """One finding about a would-be workspace storage account.

    `rule` is a stable id (`blob-storage-kind`, `premium`, `hierarchical-namespace`, `general-purpose-v1`);
    `severity` is `error` (the workspace cannot use the account) or `warning` (allowed, but read this).
    """

    rule: str
    severity: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def is_premium_sku(sku_name: str | None) -> bool:
    """Premium_LRS, Premium_ZRS, Premium_GRS (named by the docs) and any other Premium_* SKU."""
    return bool(sku_name) and str(sku_name).lower().startswith("premium")


def workspace_storage_findings(
    *, kind: str | None, sku_name: str | None, is_hns_enabled: bool | None, existing: bool = True
) -> list[StorageFinding]:
    """Every finding for an account of this kind, SKU and HNS setting.

    A value of None means "not known" (an existing account that does not report it, or a preview
    value not yet computed) and raises nothing: the rules only refuse what they can see. `existing`:
    the account is one the user brings (the docs' words); False words the rule for an account being created.
    """
    findings: list[StorageFinding] = []
    RULE_BLOB_STORAGE, RULE_PREMIUM, RULE_HNS = _rules(existing)
    if kind == "BlobStorage":
        findings.append(StorageFinding("blob-storage-kind", "error", f"kind is BlobStorage. {RULE_BLOB_STORAGE}"))
    if is_premium_sku(sku_name):
        findings.append(
            StorageFinding("premium", "error", f"SKU {sku_name} is premium. {RULE_PREMIUM} {DATASTORE_HINT}")
        )
    elif kind in PREMIUM_ONLY_KINDS:
        findings.append(
            StorageFinding(
                "premium",
                "error",
                f"kind {kind} exists only as a premium account. {RULE_PREMIUM} {DATASTORE_HINT}",
            )
        )
    if is_hns_enabled:
        findings.append(
            StorageFinding(
                "hierarchical-namespace",
                "error",
                f"hierarchical namespace (isHnsEnabled) is on. {RULE_HNS} {DATASTORE_HINT}",
            )
        )
    if kind == GENERAL_PURPOSE_V1:
        findings.append(
            StorageFinding("general-purpose-v1", "warning", f"kind is Storage (general-purpose v1). {NOTE_GPV1}")
        )
    return findings


def workspace_storage_violations(
    *, kind: str | None, sku_name: str | None, is_hns_enabled: bool | None, existing: bool = True
) -> list[StorageFinding]:
    """Only the findings that make the account unusable as a workspace's storage."""
    findings = workspace_storage_findings(
        kind=kind, sku_name=sku_name, is_hns_enabled=is_hns_enabled, existing=existing
    )
    return [f for f in findings if f.is_error]


def _rules(existing: bool) -> tuple[str, str, str]:
    if existing:
        return RULE_BLOB_STORAGE, RULE_PREMIUM, RULE_HNS
    return NEW_RULE_BLOB_STORAGE, NEW_RULE_PREMIUM, NEW_RULE_HNS
