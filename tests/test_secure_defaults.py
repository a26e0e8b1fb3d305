"""Secure defaults the policy pack asks for, set by the components themselves, and AVM `lock`."""

import pytest

from amlws.components import (
    ComponentInputError,
    MachineLearningWorkspace,
    WorkspaceContainerRegistry,
    WorkspaceMonitoring,
    WorkspaceStorage,
)
from harness import by_type, inputs, one, run

RG = {"resource_group_name": "rg", "location": "westeurope"}
LAW = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"


def test_storage_has_a_sas_policy_and_soft_delete_for_blobs_containers_and_file_shares():
    result = run(lambda: WorkspaceStorage("s", {**RG}))
    account = one(result, "storage:StorageAccount")
    assert inputs(account)["sasPolicy"] == {"sasExpirationPeriod": "1.00:00:00", "expirationAction": "Block"}
    assert inputs(account)["encryption"]["requireInfrastructureEncryption"] is True
    blob = inputs(one(result, "storage:BlobServiceProperties"))
    assert blob["blobServicesName"] == "default"
    assert blob["deleteRetentionPolicy"] == {"enabled": True, "days": 7} == blob["containerDeleteRetentionPolicy"]
    files = one(result, "storage:FileServiceProperties")
    assert inputs(files)["shareDeleteRetentionPolicy"] == {"enabled": True, "days": 7}
    assert files.property_dependencies["accountName"] == [account.urn]


def test_datastore_accounts_get_infrastructure_encryption_soft_delete_and_the_lock():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated", "is_hns_enabled": True}
    result = run(
        lambda: MachineLearningWorkspace(
            "w",
            {
                **RG,
                "tags": {"project": "p"},
                "datastores": [lake],
                "lock": {"kind": "CanNotDelete"},
                "managed_network_isolation_mode": "Disabled",  # a managed network's workspace takes no lock
            },
        )
    )
    accounts = {r.name: r for r in by_type(result, "storage:StorageAccount")}
    assert set(accounts) == {"w-storage-st", "w-lake-st"}
    assert inputs(accounts["w-lake-st"])["encryption"]["requireInfrastructureEncryption"] is True
    assert inputs(accounts["w-lake-st"])["sasPolicy"]["expirationAction"] == "Block"
    services = {r.name for r in by_type(result, "storage:BlobServiceProperties")}
    assert services == {"w-storage-st-blob-service", "w-lake-st-blob-service"}
    assert {r.name for r in by_type(result, "storage:FileServiceProperties")} == {"w-storage-st-file-service"}
    locks = {r.name: r for r in by_type(result, "authorization:ManagementLockByScope")}
    assert set(locks) == {"w-storage-st-lock", "w-keyvault-kv-lock", "w-lake-st-lock", "w-mlw-lock"}
    workspace = one(result, "machinelearningservices:Workspace")
    assert (
        inputs(locks["w-mlw-lock"])["level"] == "CanNotDelete"
        and inputs(locks["w-mlw-lock"])["lockName"] == "lock-w-mlw"
    )
    assert locks["w-mlw-lock"].property_dependencies["scope"] == [workspace.urn]


@pytest.mark.parametrize("mode", ["AllowInternetOutbound", "AllowOnlyApprovedOutbound"])
def test_a_managed_network_workspace_gets_no_lock_of_its_own_but_its_data_resources_keep_theirs(mode, monkeypatch):
    # how-to-managed-network, Limitations: "Make sure there are no scope locks on the Azure Machine Learning resources
    # and resource group. Internal operations related to managed virtual network might be blocked."
    # (MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-managed-network.md
    # @ d675e2ffa1225f61fc3f8eb22b04c935b0dd21df)
    told: list[str] = []
    monkeypatch.setattr("pulumi.log.info", lambda msg, *a, **k: told.append(msg))
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated", "is_hns_enabled": True}
    args = {
        **RG,
        "tags": {"project": "p"},
        "datastores": [lake],
        "lock": {"kind": "CanNotDelete"},
        "managed_network_isolation_mode": mode,
    }
    result = run(lambda: MachineLearningWorkspace("w", args))
    locks = {r.name: r for r in by_type(result, "authorization:ManagementLockByScope")}
    assert set(locks) == {"w-storage-st-lock", "w-keyvault-kv-lock", "w-lake-st-lock"}
    workspace = one(result, "machinelearningservices:Workspace")
    assert all(workspace.urn not in lock.property_dependencies.get("scope", []) for lock in locks.values())
    [message] = [m for m in told if "MachineLearningWorkspace w:" in m]
    assert "not to the workspace" in message and mode in message and "how-to-managed-network#limitations" in message


def test_without_a_managed_network_the_workspace_keeps_its_lock_and_nothing_is_said(monkeypatch):
    told: list[str] = []
    monkeypatch.setattr("pulumi.log.info", lambda msg, *a, **k: told.append(msg))
    base = {**RG, "tags": {"project": "p"}}
    result = run(
        lambda: MachineLearningWorkspace(
            "w", {**base, "lock": {"kind": "CanNotDelete"}, "managed_network_isolation_mode": "Disabled"}
        )
    )
    assert "w-mlw-lock" in {r.name for r in by_type(result, "ManagementLockByScope")}
    for args in (
        {"managed_network_isolation_mode": "AllowOnlyApprovedOutbound"},
        {"lock": {"kind": "None"}, "managed_network_isolation_mode": "AllowOnlyApprovedOutbound"},
    ):
        assert by_type(run(lambda: MachineLearningWorkspace("v", {**base, **args})), "ManagementLockByScope") == []
    assert not [m for m in told if "MachineLearningWorkspace" in m], told


def test_no_lock_unless_asked_and_a_wrong_kind_is_refused_first():
    assert by_type(run(lambda: WorkspaceStorage("s", {**RG})), "ManagementLockByScope") == []
    assert by_type(run(lambda: WorkspaceStorage("s", {**RG, "lock": {"kind": "None"}})), "ManagementLockByScope") == []
    with pytest.raises(ComponentInputError, match="kind must be one of CanNotDelete, ReadOnly, None"):
        run(lambda: WorkspaceStorage("s", {**RG, "lock": {"kind": "DoNotDelete"}}))


def test_premium_registry_is_zone_redundant_private_without_exports_and_arm_tokens_with_retention():
    args = {
        **RG,
        "tags": {"project": "p"},
        "sku_name": "Premium",
        "public_network_access": "Disabled",
        "diagnostics_workspace_id": LAW,
        "lock": {"kind": "CanNotDelete", "name": "keep-images"},
    }
    result = run(lambda: WorkspaceContainerRegistry("r", args))
    got = inputs(one(result, "containerregistry:Registry"))
    assert got["zoneRedundancy"] == "Enabled"
    assert got["policies"] == {
        "azureADAuthenticationAsArmPolicy": {"status": "disabled"},
        "exportPolicy": {"status": "disabled"},
        "retentionPolicy": {"status": "enabled", "days": 7},
    }
    assert inputs(one(result, "monitor:DiagnosticSetting"))["workspaceId"] == LAW
    assert inputs(one(result, "ManagementLockByScope"))["lockName"] == "keep-images"


def test_basic_registry_keeps_what_its_sku_allows():
    got = inputs(
        one(
            run(lambda: WorkspaceContainerRegistry("r", {**RG, "tags": {"project": "p"}})), "containerregistry:Registry"
        )
    )
    assert got["zoneRedundancy"] == "Disabled" and got["policies"] == {
        "azureADAuthenticationAsArmPolicy": {"status": "disabled"}
    }
    with pytest.raises(ComponentInputError, match="zone redundancy needs a Premium registry"):
        run(lambda: WorkspaceContainerRegistry("r", {**RG, "tags": {"project": "p"}, "zone_redundancy": "Enabled"}))


def test_log_analytics_refuses_shared_key_ingestion():
    result = run(lambda: WorkspaceMonitoring("m", {**RG}))
    assert inputs(one(result, "operationalinsights:Workspace"))["features"] == {"disableLocalAuth": True}
