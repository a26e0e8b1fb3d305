"""Additional storage behind datastores: where premium and HNS (ADLS Gen2) accounts belong.

The docs forbid such accounts as the workspace's own storage and send them here instead, so the
workspace-storage rules do not apply; the datastore rules do (`amlws_rules.datastore`): an ADLS Gen2
datastore needs a hierarchical namespace, and access is identity-based (`credentialsType: None`), so
no account key or SAS token is ever stored in the workspace. The workspace's identity gets Storage
Blob Data Contributor on each account instead.
"""

import re
from typing import NamedTuple, NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import machinelearningservices as ml
from pulumi_azure_native import storage

from amlws_rules import datastore_violations, parse_arm_id
from amlws_rules.naming import STORAGE_ACCOUNT, compact_name
from amlws_rules.roles import STORAGE_BLOB_DATA_CONTRIBUTOR

from . import defaults
from ._common import ComponentInputError, check_name, child, default_seed, keep_earlier_name
from .access import assign_role, builtin_role
from .locks import LockArgs, lock_resource
from .lookups import Lookups
from .storage import lookup_existing_storage, protect_account_data, sas_policy

_NAME = re.compile(r"^[A-Za-z0-9_]{1,255}$")
_CONTAINER = re.compile(r"^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")


class DatastoreSettings(TypedDict):
    """A datastore on additional storage: a new account (premium and HNS allowed) or an existing one."""

    name: str
    """Datastore name: letters, digits and underscores."""
    datastore_type: NotRequired[str]
    """`datastoreType`: `AzureBlob` (default) or `AzureDataLakeGen2` (needs a hierarchical namespace)."""
    container_name: str
    """Blob container (`containerName`) or ADLS Gen2 file system (`filesystem`); created in a new account."""
    existing_storage_id: NotRequired[str]
    """Resource ID of an existing account; looked up and held to the datastore rules. The container must exist."""
    account_name: NotRequired[str]
    (
        "`accountName` of a new account (3-24 lowercase letters and digits, unique in all of Azure); by default "
        "`st<datastore name><suffix>`."
    )
    sku_name: NotRequired[str]
    """`sku.name` of a new account, default `Standard_ZRS`; premium SKUs are fine here."""
    kind: NotRequired[str]
    """`kind` of a new account, default `StorageV2` (`BlockBlobStorage` for premium block blobs)."""
    is_hns_enabled: NotRequired[bool]
    """`isHnsEnabled` of a new account; default true for `AzureDataLakeGen2`, false otherwise."""
    description: NotRequired[str]
    """`description` of the datastore."""


class PlannedDatastore(NamedTuple):
    """A validated datastore (its existing account looked up): what `declare_accounts` declares from."""

    settings: DatastoreSettings
    datastore_type: str
    existing_id: str | None
    subresource: str = "blob"

    @property
    def slug(self) -> str:
        """The datastore's name as it appears in logical names (lowercase, hyphens)."""
        return self.settings["name"].lower().replace("_", "-")


class DatastoreAccount(NamedTuple):
    """The account behind a datastore, as declared (created) or brought (an existing ID)."""

    planned: PlannedDatastore
    account_id: pulumi.Input[str]
    account_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]


def validate_datastores(
    component: str, datastores: Sequence[DatastoreSettings], lookups: Lookups | None = None
) -> list[PlannedDatastore]:
    """Names, containers and the datastore rules, for new and existing (looked-up) accounts."""
    planned: list[PlannedDatastore] = []
    seen: set[str] = set()
    for i, ds in enumerate(datastores):
        setting = f"datastores[{i}]"
        name = ds.get("name", "")
        if not _NAME.match(name):
            raise ComponentInputError(component, f"{setting}.name", name, "letters, digits and underscores only")
        if name.lower() in seen or name.lower() in (
            "workspaceblobstore",
            "workspacefilestore",
            "workspaceartifactstore",
            "workspaceworkingdirectory",
        ):
            raise ComponentInputError(
                component, f"{setting}.name", name, "already used in this workspace (or a system datastore name)"
            )
        seen.add(name.lower())
        container = ds.get("container_name", "")
        if not _CONTAINER.match(container):
            raise ComponentInputError(
                component, f"{setting}.container_name", container, "3-63 lowercase letters, digits and single hyphens"
            )
        kind_of = ds.get("datastore_type", "AzureBlob")
        check_name(component, f"{setting}.account_name", STORAGE_ACCOUNT, ds.get("account_name"))
        existing = ds.get("existing_storage_id")
        if existing:
            found = lookup_existing_storage(existing, component, f"{setting}.existing_storage_id", lookups)
            kind, hns, shown = found.kind, found.is_hns_enabled, existing
        else:
            kind, hns = ds.get("kind", defaults.STORAGE_KIND), ds.get("is_hns_enabled", kind_of == "AzureDataLakeGen2")
            shown = {"kind": kind, "is_hns_enabled": hns}
        problems = datastore_violations(kind_of, kind=kind, is_hns_enabled=hns, credentials_type=None)
        if problems:
            raise ComponentInputError(component, setting, shown, "; ".join(problems))
        planned.append(
            PlannedDatastore(ds, kind_of, existing, subresource="dfs" if kind_of == "AzureDataLakeGen2" else "blob")
        )
    return planned


def declare_accounts(
    parent: pulumi.Resource,
    name: str,
    planned: list[PlannedDatastore],
    *,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str] | None,
    tags: dict[str, str],
    protect: bool,
    public_network_access: str,
    lock: LockArgs | None = None,
) -> list[DatastoreAccount]:
    """The accounts (and containers) behind the datastores; they do not depend on the workspace, so a
    managed network's outbound rules can point at them."""
    accounts: list[DatastoreAccount] = []
    for ds in planned:
        s = ds.settings
        if ds.existing_id:
            arm = parse_arm_id(ds.existing_id)
            accounts.append(DatastoreAccount(ds, ds.existing_id, arm.name, arm.group))
            continue
        hns = s.get("is_hns_enabled", ds.datastore_type == "AzureDataLakeGen2")
        account = storage.StorageAccount(
            f"{name}-{s['name'].lower().replace('_', '-')}-st",
            account_name=s.get("account_name")
            or compact_name(STORAGE_ACCOUNT, "st", [s["name"]], default_seed(f"{name}/{s['name']}")),
            resource_group_name=resource_group_name,
            location=location,
            kind=s.get("kind", defaults.STORAGE_KIND),
            sku=storage.SkuArgs(name=s.get("sku_name", defaults.STORAGE_SKU_NAME)),
            is_hns_enabled=hns,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            enable_https_traffic_only=True,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            allow_cross_tenant_replication=False,
            default_to_o_auth_authentication=True,
            sas_policy=sas_policy(),
            public_network_access=public_network_access,
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action=storage.DefaultAction.DENY
                if public_network_access == "Disabled"
                else storage.DefaultAction.ALLOW,
                bypass="AzureServices",
            ),
            encryption=storage.EncryptionArgs(
                key_source="Microsoft.Storage",
                require_infrastructure_encryption=True,  # Azure Policy 4733ea7b; settable only at creation
                services=storage.EncryptionServicesArgs(
                    blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                ),
            ),
            tags=tags,
            opts=child(parent, protect=protect, ignore_changes=keep_earlier_name(s.get("account_name"), "accountName")),
        )
        account_label = f"{name}-{s['name'].lower().replace('_', '-')}-st"
        protect_account_data(parent, account_label, account, resource_group_name, file_shares=False)
        lock_resource(parent, account_label, account.id, lock)
        storage.BlobContainer(
            f"{name}-{s['name'].lower().replace('_', '-')}-container",
            container_name=s["container_name"],
            account_name=account.name,
            resource_group_name=resource_group_name,
            public_access=storage.PublicAccess.NONE,
            opts=child(parent, protect=protect),
        )
        accounts.append(DatastoreAccount(ds, account.id, account.name, resource_group_name))
    return accounts


def declare_datastores(
    parent: pulumi.Resource,
    name: str,
    accounts: list[DatastoreAccount],
    *,
    workspace: ml.Workspace,
    resource_group_name: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
    principal_id: pulumi.Input[str] | None,
    auth_identity: str = "WorkspaceSystemAssignedIdentity",
) -> dict[str, pulumi.Output[str]]:
    """Identity-based datastores, and the data role the workspace identity needs on each account.

    `auth_identity` is the datastores' `serviceDataAccessAuthIdentity` (`WorkspaceSystemAssignedIdentity` or
    `WorkspaceUserAssignedIdentity`, azure-native machinelearningservices ServiceDataAccessAuthIdentity) and
    `principal_id` that identity's principal, which gets Storage Blob Data Contributor on each account."""
    ids: dict[str, pulumi.Output[str]] = {}
    for account in accounts:
        ds = account.planned
        s = ds.settings
        slug = ds.slug
        grants = []
        if principal_id is not None:
            grants.append(
                assign_role(
                    parent,
                    f"{name}-{slug}-blob-data",
                    scope=account.account_id,
                    role=builtin_role(subscription_id, STORAGE_BLOB_DATA_CONTRIBUTOR),
                    principal_id=principal_id,
                    principal_type="ServicePrincipal",
                )
            )
        identity_based = ml.NoneDatastoreCredentialsArgs(credentials_type="None")
        properties: ml.AzureDataLakeGen2DatastoreArgs | ml.AzureBlobDatastoreArgs
        if ds.datastore_type == "AzureDataLakeGen2":
            properties = ml.AzureDataLakeGen2DatastoreArgs(
                datastore_type="AzureDataLakeGen2",
                filesystem=s["container_name"],
                account_name=account.account_name,
                credentials=identity_based,
                description=s.get("description"),
                resource_group=account.resource_group_name,
                subscription_id=subscription_id,
                service_data_access_auth_identity=auth_identity,
            )
        else:
            properties = ml.AzureBlobDatastoreArgs(
                datastore_type="AzureBlob",
                container_name=s["container_name"],
                account_name=account.account_name,
                credentials=identity_based,
                description=s.get("description"),
                resource_group=account.resource_group_name,
                subscription_id=subscription_id,
                service_data_access_auth_identity=auth_identity,
            )
        datastore = ml.Datastore(
            f"{name}-{slug}-datastore",
            name=s["name"],
            resource_group_name=resource_group_name,
            workspace_name=workspace.name,
            properties=properties,
            opts=child(parent, depends_on=grants),
        )
        ids[s["name"]] = datastore.id
    return ids
