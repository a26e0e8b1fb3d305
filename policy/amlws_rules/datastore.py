"""Rules for additional storage registered as a datastore.

The docs send premium and hierarchical-namespace (ADLS Gen2) accounts here: they may not be the
workspace's own storage, but they may be added as datastores. What a datastore does require is a
matching account: an ADLS Gen2 datastore needs an account with a hierarchical namespace, and a blob
datastore a kind that serves blobs.
"""

from __future__ import annotations

DATASTORE_TYPES = ("AzureBlob", "AzureDataLakeGen2")
BLOB_KINDS = ("StorageV2", "Storage", "BlobStorage", "BlockBlobStorage")


def datastore_violations(
    datastore_type: str, *, kind: str | None, is_hns_enabled: bool | None, credentials_type: str | None
) -> list[str]:
    """What is wrong with registering this account as a datastore of this type (empty when fine)."""
    problems: list[str] = []
    if datastore_type not in DATASTORE_TYPES:
        problems.append(f"datastore type {datastore_type!r} is not one of {', '.join(DATASTORE_TYPES)}")
    if datastore_type == "AzureDataLakeGen2" and is_hns_enabled is False:
        problems.append("an AzureDataLakeGen2 datastore needs an account with a hierarchical namespace (isHnsEnabled)")
    if kind is not None and kind not in BLOB_KINDS:
        problems.append(f"account kind {kind!r} serves no blobs; use one of {', '.join(BLOB_KINDS)}")
    if credentials_type not in (None, "None"):
        problems.append(
            f"credentials type {credentials_type!r} stores a secret in the workspace; use identity-based access "
            "(credentialsType None) and grant the identity a Storage Blob Data role"
        )
    return problems
