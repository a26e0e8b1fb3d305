"""Component inputs under the recording mock monitor, and the refusals before anything is declared."""

import pytest

from amlws.components import (
    ComponentInputError,
    MachineLearningWorkspace,
    WorkspaceContainerRegistry,
    WorkspaceKeyVault,
    WorkspaceMonitoring,
    WorkspaceStorage,
    WorkspaceStorageError,
)
from harness import GOOD_STORAGE_ID, by_type, inputs, one, run, storage_fixture


INSTANCE_USER = {"assigned_user_object_id": "00000000-0000-0000-0000-000000000001"}


def workspace(**overrides):
    args = {"resource_group_name": "rg", "location": "westeurope", "tags": {"project": "p"}}
    args.update(overrides)
    return lambda: MachineLearningWorkspace("w", args)


def test_created_storage_has_secure_defaults():
    result = run(lambda: WorkspaceStorage("s", {"resource_group_name": "rg"}))
    got = inputs(one(result, "storage:StorageAccount"))
    assert got["kind"] == "StorageV2" and got["sku"] == {"name": "Standard_ZRS"}  # zone-redundant, as AVM's
    assert got["publicNetworkAccess"] == "Disabled" and got["networkRuleSet"]["defaultAction"] == "Deny"
    assert got["isHnsEnabled"] is False
    assert got["minimumTlsVersion"] == "TLS1_2"
    assert got["enableHttpsTrafficOnly"] is True
    assert got["allowBlobPublicAccess"] is False
    assert got["allowSharedKeyAccess"] is False
    assert got["networkRuleSet"]["bypass"] == "AzureServices"


@pytest.mark.parametrize(
    "settings, quote",
    [
        ({"kind": "BlobStorage"}, "account of type BlobStorage"),
        ({"sku_name": "Premium_LRS"}, "Premium_LRS and Premium_GRS"),
        ({"sku_name": "Premium_GRS"}, "Premium_LRS and Premium_GRS"),
        ({"sku_name": "Premium_ZRS"}, "Premium_LRS and Premium_GRS"),
        ({"kind": "FileStorage"}, "exists only as a premium account"),
        ({"kind": "BlockBlobStorage"}, "exists only as a premium account"),
        ({"is_hns_enabled": True}, "hierarchical namespace"),
    ],
)
def test_forbidden_created_storage_is_refused_before_anything_is_declared(settings, quote):
    with pytest.raises(WorkspaceStorageError, match=quote):
        run(lambda: WorkspaceStorage("s", {"resource_group_name": "rg", **settings}))
    with pytest.raises(WorkspaceStorageError, match=quote):
        run(workspace(storage=settings))


@pytest.mark.parametrize(
    "kind, sku, hns, quote",
    [
        ("BlobStorage", "Standard_LRS", False, "account of type BlobStorage"),
        ("StorageV2", "Premium_LRS", False, "premium account"),
        ("BlockBlobStorage", "Premium_LRS", False, "premium account"),
        ("StorageV2", "Standard_LRS", True, "hierarchical namespace"),
    ],
)
def test_forbidden_existing_storage_is_refused(kind, sku, hns, quote):
    fixtures = storage_fixture("stbad", kind, sku, hns)
    bad_id = next(iter(fixtures))
    with pytest.raises(WorkspaceStorageError, match=quote) as err:
        run(workspace(storage={"existing_id": bad_id}), fixtures)
    with pytest.raises(WorkspaceStorageError, match=quote):
        run(lambda: WorkspaceStorage("s", {"existing_id": bad_id}), fixtures)
    assert "storage.existing_id" in str(err.value) and "stbad" in str(err.value)


def test_existing_storage_is_used_without_creating_one():
    fixtures = storage_fixture("stgood", "StorageV2", "Standard_GRS", False)
    result = run(workspace(storage={"existing_id": GOOD_STORAGE_ID}), fixtures)
    assert by_type(result, "storage:StorageAccount") == []
    assert inputs(one(result, "machinelearningservices:Workspace"))["storageAccount"] == GOOD_STORAGE_ID


def test_general_purpose_v1_existing_storage_warns():
    fixtures = storage_fixture("stgood", "Storage", "Standard_LRS", None)
    result = run(workspace(storage={"existing_id": GOOD_STORAGE_ID}), fixtures)
    assert any("general-purpose v1" in w for w in result.warnings)


def test_existing_storage_without_a_fixture_is_a_clear_error_naming_the_setting():
    with pytest.raises(ComponentInputError, match=r"storage\.existing_id=.*no fixture for accountName='stgood'"):
        run(workspace(storage={"existing_id": GOOD_STORAGE_ID}))


def test_key_vault_is_rbac_with_purge_protection_and_no_access_policies():
    result = run(lambda: WorkspaceKeyVault("k", {"resource_group_name": "rg"}))
    props = inputs(one(result, "keyvault:Vault"))["properties"]
    assert props["enableRbacAuthorization"] is True
    assert props["enableSoftDelete"] is True and props["softDeleteRetentionInDays"] == 90
    assert props["enablePurgeProtection"] is True
    assert "accessPolicies" not in props
    assert props["tenantId"] == "11111111-1111-1111-1111-111111111111"


def test_key_vault_purge_protection_off_is_sent_as_unset():
    result = run(lambda: WorkspaceKeyVault("k", {"resource_group_name": "rg", "enable_purge_protection": False}))
    assert "enablePurgeProtection" not in inputs(one(result, "keyvault:Vault"))["properties"]


def test_key_vault_retention_out_of_range_is_refused():
    with pytest.raises(ComponentInputError, match="7 to 90"):
        run(lambda: WorkspaceKeyVault("k", {"resource_group_name": "rg", "soft_delete_retention_in_days": 5}))


def test_monitoring_is_workspace_based_application_insights():
    result = run(lambda: WorkspaceMonitoring("m", {"resource_group_name": "rg"}))
    law = one(result, "operationalinsights:Workspace")
    ai = one(result, "applicationinsights:Component")
    got = inputs(ai)
    assert got["ingestionMode"] == "LogAnalytics" and got["disableLocalAuth"] is True
    assert got["workspaceResourceId"] == law.id
    assert ai.property_dependencies["workspaceResourceId"] == [law.urn]


def test_monitoring_with_existing_ids_creates_nothing():
    ai = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
    )
    law = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
    )
    result = run(
        lambda: WorkspaceMonitoring(
            "m", {"existing_application_insights_id": ai, "existing_log_analytics_workspace_id": law}
        ),
        {ai: {"kind": "web"}, law: {}},
    )
    assert [r.type for r in result.registrations] == ["amlws:index:WorkspaceMonitoring"]


def test_existing_monitoring_that_does_not_exist_is_refused():
    ai = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
    )
    law = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
    )
    with pytest.raises(
        ComponentInputError,
        match=r"monitoring.existing_application_insights_id=.*no such Microsoft.Insights/components exists",
    ):
        run(
            lambda: WorkspaceMonitoring(
                "m", {"existing_application_insights_id": ai, "existing_log_analytics_workspace_id": law}
            ),
            {ai: None, law: {}},
        )


def test_registry_is_tagged_with_admin_and_anonymous_pull_off():
    result = run(lambda: WorkspaceContainerRegistry("r", {"resource_group_name": "rg", "tags": {"project": "p"}}))
    got = inputs(one(result, "containerregistry:Registry"))
    assert got["tags"] == {"project": "p"}
    assert got["adminUserEnabled"] is False and got["anonymousPullEnabled"] is False


@pytest.mark.parametrize(
    "args, match",
    [
        ({"resource_group_name": "rg"}, "must carry tags"),
        (
            {"resource_group_name": "rg", "tags": {"a": "b"}, "public_network_access": "Disabled"},
            "only a Premium registry",
        ),
        (
            {
                "existing_id": "/subscriptions/00000000-0000-0000-0000-000000000000"
                "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x"
            },
            "not an ARM ID of a Microsoft.ContainerRegistry/registries",
        ),
    ],
)
def test_registry_refusals(args, match):
    with pytest.raises(ComponentInputError, match=match):
        run(lambda: WorkspaceContainerRegistry("r", args))


def test_workspace_is_wired_to_its_resources_by_property_dependencies():
    result = run(workspace(container_registry={"sku_name": "Standard"}))
    ws = one(result, "machinelearningservices:Workspace")
    deps = ws.property_dependencies
    assert deps["storageAccount"] == [one(result, "storage:StorageAccount").urn]
    assert deps["keyVault"] == [one(result, "keyvault:Vault").urn]
    assert deps["applicationInsights"] == [one(result, "applicationinsights:Component").urn]
    assert deps["containerRegistry"] == [one(result, "containerregistry:Registry").urn]
    got = inputs(ws)
    assert got["identity"] == {"type": "SystemAssigned"}
    assert got["systemDatastoresAuthMode"] == "identity"
    assert got["publicNetworkAccess"] == "Disabled" and got["hbiWorkspace"] is False  # secure by default (AVM)
    assert got["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert all(r.parent for r in result.registrations if r.type != "amlws:index:MachineLearningWorkspace")


def test_workspace_without_registry_has_none():
    result = run(workspace())
    assert by_type(result, "containerregistry:Registry") == []
    assert "containerRegistry" not in inputs(one(result, "machinelearningservices:Workspace"))


def test_protect_data_protects_data_resources_but_not_computes():
    result = run(
        workspace(
            protect_data=True,
            container_registry={},
            compute_clusters=[{"name": "cc1", "vm_size": "Standard_DS3_v2", "max_node_count": 2}],
        )
    )
    protected = {r.type.split(":")[-1] for r in result.registrations if r.protect}
    assert {"StorageAccount", "Vault", "Registry", "Workspace", "Component"} <= protected
    assert not one(result, "machinelearningservices:Compute").protect


def test_compute_instance_and_cluster_inputs():
    result = run(
        workspace(
            compute_instances=[
                {
                    "name": "ci-one",
                    "vm_size": "Standard_DS3_v2",
                    "idle_time_before_shutdown": "PT30M",
                    "assigned_user_object_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                }
            ],
            compute_clusters=[
                {"name": "cc1", "vm_size": "Standard_DS3_v2", "max_node_count": 4, "vm_priority": "LowPriority"}
            ],
        )
    )
    ci, cc = sorted(by_type(result, "machinelearningservices:Compute"), key=lambda r: r.name)[::-1]
    ci_props = inputs(ci)["properties"]
    assert ci_props["computeType"] == "ComputeInstance" and ci_props["disableLocalAuth"] is True
    assert ci_props["properties"]["idleTimeBeforeShutdown"] == "PT30M"
    assert ci_props["properties"]["sshSettings"] == {"sshPublicAccess": "Disabled"}
    assert (
        ci_props["properties"]["personalComputeInstanceSettings"]["assignedUser"]["objectId"]
        == "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
    )
    cc_props = inputs(cc)["properties"]
    assert cc_props["computeType"] == "AmlCompute" and cc_props["disableLocalAuth"] is True
    assert cc_props["properties"]["scaleSettings"] == {
        "minNodeCount": 0,
        "maxNodeCount": 4,
        "nodeIdleTimeBeforeScaleDown": "PT120S",
    }
    assert cc_props["properties"]["vmPriority"] == "LowPriority"
    assert cc_props["properties"]["remoteLoginPortPublicAccess"] == "Disabled"
    assert inputs(cc)["identity"] == {"type": "SystemAssigned"}
    assert inputs(cc)["workspaceName"] == inputs(one(result, "machinelearningservices:Workspace")).get(
        "workspaceName", "w-mlw"
    )


@pytest.mark.parametrize(
    "computes, match",
    [
        (
            {
                "compute_instances": [
                    {**INSTANCE_USER, "name": "ci1", "vm_size": "Standard_DS3_v2", "idle_time_before_shutdown": "PT10M"}
                ]
            },
            "outside the 15 minutes to 3 days",
        ),
        (
            {
                "compute_instances": [
                    {**INSTANCE_USER, "name": "ci1", "vm_size": "Standard_DS3_v2", "idle_time_before_shutdown": "P4D"}
                ]
            },
            "outside the 15 minutes to 3 days",
        ),
        (
            {
                "compute_instances": [
                    {
                        "name": "ci1",
                        "vm_size": "Standard_DS3_v2",
                        "idle_time_before_shutdown": "PT1H",
                        "ssh_public_access": "Enabled",
                        "assigned_user_object_id": "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    }
                ]
            },
            "ssh_admin_public_key",
        ),
        (
            {
                "compute_clusters": [
                    {"name": "c1", "vm_size": "Standard_DS3_v2", "min_node_count": 3, "max_node_count": 2}
                ]
            },
            "greater than max_node_count",  # spelt as the Args spell it
        ),
        (
            {
                "compute_clusters": [
                    {"name": "a-name-that-is-too-long", "vm_size": "Standard_DS3_v2", "max_node_count": 2}
                ]
            },
            "2-16 letters",
        ),
        (
            {
                "compute_clusters": [
                    {"name": "c1", "vm_size": "Standard_DS3_v2", "max_node_count": 2},
                    {"name": "C1", "vm_size": "Standard_DS3_v2", "max_node_count": 2},
                ]
            },
            "another compute",
        ),
    ],
)
def test_compute_refusals_happen_before_anything_is_declared(computes, match):
    with pytest.raises(ComponentInputError, match=match):
        run(workspace(**computes))


def test_user_assigned_identity_needs_ids():
    with pytest.raises(ComponentInputError, match="user_assigned_identity_ids"):
        run(workspace(identity_type="UserAssigned"))


def test_general_purpose_v1_warning_is_logged_once_for_a_created_account():
    result = run(workspace(storage={"kind": "Storage"}))
    assert sum("general-purpose v1" in w for w in result.warnings) == 1


def test_general_purpose_v1_warning_is_logged_once_for_an_existing_account_through_the_stack():
    from amlws.stacks.program import main
    import json

    fixtures = storage_fixture("stgood", "Storage", "Standard_LRS", None)
    config = {
        "amlws:environment": "qa",
        "amlws:location": "westeurope",
        "amlws:tags": json.dumps({"owner": "qa"}),
        "amlws:workspaces": json.dumps([{"project": "churn", "storage": {"existingId": GOOD_STORAGE_ID}}]),
    }
    result = run(main, fixtures, stack="qa", config=config)
    assert sum("general-purpose v1" in w for w in result.warnings) == 1
