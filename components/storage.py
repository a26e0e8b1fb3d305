"""The workspace's default storage account: created with secure defaults, or brought by ID.

Either way the documented workspace-storage rules (`amlws_rules.storage`) are applied before any
resource is declared, so a premium, BlobStorage or HNS account never gets as far as the workspace.
"""

from typing import Optional

import pulumi
from pulumi_azure_native import storage


from amlws_rules.sas import DEFAULT_SAS_POLICY
from amlws_rules.naming import STORAGE_ACCOUNT, compact_name


from . import defaults
from .schema import check_component_args
from ._common import (
    child,
    default_seed,
    keep_earlier_name,
    required,
    token,
)
from .diagnostics import STORAGE_SERVICE_METRICS, send_diagnostics
from .role_assignments import declare_own_role_assignments, own_role_assignments
from .locks import lock_resource

from .storage_plan import (  # noqa: F401 (moved to storage_plan; imported from here before)
    ExistingStorage,
    ExistingStorageFacts,
    STORAGE_ACCOUNT_TYPE,
    StoragePlan,
    WorkspaceStorageArgs,
    WorkspaceStorageError,
    _account_name,
    _get_account,
    _new_account,
    _planned_found,
    _vouched_storage,
    check_workspace_storage,
    checked_storage_id,
    existing_workspace_storage,
    lookup_existing_storage,
    plan_storage,
    planned_storage,
    storage_facts,
    validate_storage_args,
    warn_workspace_storage,
)


# Secure by default, as the Azure Verified Modules are (avm/res/storage/storage-account: publicNetworkAccess
# Disabled without an explicit choice, networkAcls defaultAction Deny, zone-redundant SKU); the pack's mandatory
# storage-public-network-access-disabled, storage-network-default-deny and storage-zone-redundant hold
# for a workspace declared with only its required inputs. Open access is a setting the caller writes down.
DEFAULT_SKU = defaults.STORAGE_SKU_NAME
DEFAULT_PUBLIC_NETWORK_ACCESS = defaults.STORAGE_PUBLIC_NETWORK_ACCESS
DEFAULT_NETWORK_DEFAULT_ACTION = defaults.STORAGE_NETWORK_DEFAULT_ACTION


# Soft delete keeps a deleted blob, container or file share for this many days (Azure Policy 9fbd64e3's
# default; PSRule Azure.Storage.SoftDelete, ContainerSoftDelete, FileShareSoftDelete).
SOFT_DELETE_DAYS = 7


def sas_policy() -> storage.SasPolicyArgs:
    """SAS tokens signed with an account key expire within a day, and longer ones are refused
    (`Block`): Azure Policy 7aa1c9d5 denies accounts without such a policy by default."""
    return storage.SasPolicyArgs(
        sas_expiration_period=DEFAULT_SAS_POLICY["sasExpirationPeriod"],
        expiration_action=storage.ExpirationAction(DEFAULT_SAS_POLICY["expirationAction"]),
    )


def protect_account_data(
    parent: pulumi.Resource,
    name: str,
    account: storage.StorageAccount,
    resource_group_name: pulumi.Input[str],
    *,
    file_shares: bool,
) -> None:
    """Soft delete for blobs and containers (and file shares where the account holds them), so a
    deleted artifact, notebook or container can be restored."""
    retention = storage.DeleteRetentionPolicyArgs(enabled=True, days=SOFT_DELETE_DAYS)
    storage.BlobServiceProperties(
        f"{name}-blob-service",
        account_name=account.name,
        resource_group_name=resource_group_name,
        blob_services_name="default",
        delete_retention_policy=retention,
        container_delete_retention_policy=retention,
        opts=child(parent),
    )
    if file_shares:
        storage.FileServiceProperties(
            f"{name}-file-service",
            account_name=account.name,
            resource_group_name=resource_group_name,
            file_services_name="default",
            share_delete_retention_policy=retention,
            opts=child(parent),
        )


class WorkspaceStorage(pulumi.ComponentResource):
    """The storage account an Azure ML workspace uses for its artifacts, logs and notebooks."""

    id: pulumi.Output[str]
    """Resource ID of the account (created or existing)."""
    account_name: pulumi.Output[str]
    """Name of the account."""

    def __init__(
        self,
        name: str,
        args: WorkspaceStorageArgs,
        opts: Optional[pulumi.ResourceOptions] = None,
        *,
        plan: StoragePlan | None = None,
    ):
        # `plan`: the section as checked already with its parent's Args (MachineLearningWorkspace's plan,
        # SharedWorkspaceResources' section plans), so it is not checked again.
        if plan is None:
            check_component_args("WorkspaceStorage", name, args, WorkspaceStorageArgs)
        found = _planned_found(args, plan) if plan is not None else validate_storage_args(args)
        roles = own_role_assignments("WorkspaceStorage", args, "existing_id")
        super().__init__(token("WorkspaceStorage"), name, None, opts)
        existing = args.get("existing_id")
        self.facts: ExistingStorageFacts | None = None  # handed on with the ID (a shared account)
        if existing and found is None:  # an Output known only later: checked when it is
            self.id = checked_storage_id(existing)
            self.account_name = self.id.apply(_account_name)
        elif found is not None:
            if isinstance(existing, str):
                warn_workspace_storage("WorkspaceStorage", "storage.existing_id", existing, kind=found.kind)
            self.id = pulumi.Output.from_input(found.id)
            self.account_name = pulumi.Output.from_input(found.name) if found.name else self.id.apply(_account_name)
            self.facts = storage_facts(found)
        else:
            kind = args.get("kind", defaults.STORAGE_KIND)
            warn_workspace_storage("WorkspaceStorage", "kind", kind, kind=kind)
            account = storage.StorageAccount(
                f"{name}-st",
                account_name=args.get("account_name")
                or compact_name(STORAGE_ACCOUNT, "st", [name], default_seed(name)),
                resource_group_name=required(args, "resource_group_name", "WorkspaceStorage"),
                location=args.get("location"),
                kind=kind,
                sku=storage.SkuArgs(name=args.get("sku_name", defaults.STORAGE_SKU_NAME)),
                is_hns_enabled=False,
                minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
                enable_https_traffic_only=True,
                allow_blob_public_access=False,
                allow_shared_key_access=args.get("allow_shared_key_access", False),
                allow_cross_tenant_replication=False,
                default_to_o_auth_authentication=True,
                sas_policy=sas_policy(),
                public_network_access=args.get("public_network_access", DEFAULT_PUBLIC_NETWORK_ACCESS),
                network_rule_set=storage.NetworkRuleSetArgs(
                    default_action=storage.DefaultAction(
                        args.get("network_default_action", DEFAULT_NETWORK_DEFAULT_ACTION)
                    ),
                    bypass="AzureServices",
                ),
                encryption=storage.EncryptionArgs(
                    key_source="Microsoft.Storage",
                    require_infrastructure_encryption=True,
                    services=storage.EncryptionServicesArgs(
                        blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                        file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    ),
                ),
                tags=args.get("tags"),
                opts=child(
                    self,
                    protect=args.get("protect", False),
                    ignore_changes=keep_earlier_name(args.get("account_name"), "accountName"),
                ),
            )
            self.id = account.id
            self.account_name = account.name
            self.facts = storage_facts(_new_account(args))
            protect_account_data(
                self, f"{name}-st", account, required(args, "resource_group_name", "WorkspaceStorage"), file_shares=True
            )
            lock_resource(self, f"{name}-st", account.id, args.get("lock"))
            diagnostics_workspace_id = args.get("diagnostics_workspace_id")
            if diagnostics_workspace_id is not None:
                for service in ("blobServices", "fileServices"):
                    send_diagnostics(
                        self,
                        f"{name}-{service[:4]}-diag",
                        account.id.apply(lambda i, s=service: f"{i}/{s}/default"),
                        diagnostics_workspace_id,
                        metrics_only=False,
                        metric_categories=STORAGE_SERVICE_METRICS,
                    )
        declare_own_role_assignments(roles, self, name, self.id)
        self.register_outputs({"id": self.id, "account_name": self.account_name})
