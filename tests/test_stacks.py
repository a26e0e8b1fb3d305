"""The dev and prod stacks, and configuration errors that name the stack file, key and value."""

import json

import pytest

from amlws.preview import PreviewError, preview_stack, run_program
from amlws.mocks import ArmMocks
from amlws.stacks.program import main
from harness import ROOT, by_type, inputs, one


def preview_config(config: dict, fixtures: dict | None = None, stack: str = "qa"):
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    return run_program(main, "amlws", stack, raw, [], ArmMocks(fixtures or {}))


BASE = {"environment": "qa", "location": "westeurope", "workspaces": [{"project": "churn"}]}


def test_dev_is_cheap_and_open():
    result = preview_stack(ROOT, "dev")
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["publicNetworkAccess"] == "Enabled"
    assert by_type(result, "containerregistry:Registry") == []
    cluster = [c for c in by_type(result, "Compute") if inputs(c)["properties"]["computeType"] == "AmlCompute"][0]
    scale = inputs(cluster)["properties"]["properties"]
    assert scale["vmPriority"] == "LowPriority" and scale["scaleSettings"]["minNodeCount"] == 0
    assert not any(r.protect for r in result.registrations)
    assert "enablePurgeProtection" not in inputs(one(result, "keyvault:Vault"))["properties"]


def test_prod_is_locked_down():
    result = preview_stack(ROOT, "prod")
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["publicNetworkAccess"] == "Disabled" and ws["hbiWorkspace"] is True
    assert inputs(one(result, "keyvault:Vault"))["properties"]["enablePurgeProtection"] is True
    assert inputs(one(result, "keyvault:Vault"))["properties"]["publicNetworkAccess"] == "Disabled"
    acr = inputs(one(result, "containerregistry:Registry"))
    assert acr["sku"] == {"name": "Premium"} and acr["publicNetworkAccess"] == "Disabled"
    assert acr["tags"]["environment"] == "prod" and acr["tags"]["project"] == "churn"
    assert inputs(one(result, "storage:StorageAccount"))["publicNetworkAccess"] == "Disabled"
    for kind in ("Workspace", "StorageAccount", "Vault", "Registry"):
        assert all(r.protect for r in by_type(result, f":{kind}")), kind


def test_every_resource_carries_cost_allocation_tags():
    result = preview_stack(ROOT, "prod")
    for reg in result.registrations:
        if reg.custom:
            tags = inputs(reg).get("tags", {})
            assert {"project", "environment", "owner"} <= set(tags), reg.urn


def test_several_workspaces_in_one_stack_get_their_own_resources():
    config = {**BASE, "workspaces": [{"project": "churn"}, {"project": "fraud", "containerRegistry": {}}]}
    result = preview_config(config)
    names = sorted(inputs(r)["workspaceName"] for r in by_type(result, "machinelearningservices:Workspace"))
    assert names == ["mlw-churn-qa", "mlw-fraud-qa"]
    assert len(by_type(result, "storage:StorageAccount")) == 2
    assert len(by_type(result, "containerregistry:Registry")) == 1


@pytest.mark.parametrize(
    "config, expected",
    [
        ({**BASE, "workspaces": [{"project": "churn", "storag": {}}]}, "amlws:workspaces[0].storag: unknown setting"),
        ({**BASE, "workspaces": [{"project": "churn", "storage": {"skuName": "Premium_LRS"}}]}, 'amlws:workspaces[0].storage = '),
        ({**BASE, "workspaces": [{"project": "churn", "storage": {"isHnsEnabled": True}}]}, "hierarchical namespace"),
        ({**BASE, "workspaces": [{"project": "churn", "computeClusters": [{"name": "c1", "vmSize": "x", "maxNodeCount": 1, "minNodeCount": 2}]}]}, "minNodeCount 2 is greater than maxNodeCount 1"),
        ({**BASE, "workspaces": [{"project": "churn", "computeInstances": [{"name": "ci1", "vmSize": "x", "idleTimeBeforeShutdown": "PT5M"}]}]}, 'computeInstances[0].idleTimeBeforeShutdown = "PT5M"'),
        ({**BASE, "workspaces": [{"project": "churn", "computeInstances": [{"name": "ci1", "vmSize": "x"}]}]}, "computeInstances[0].idleTimeBeforeShutdown: required setting is missing"),
        ({**BASE, "workspaces": [{"project": "churn", "publicNetworkAccess": "Off"}]}, "amlws:workspaces[0].publicNetworkAccess = \"Off\": Input should be 'Enabled' or 'Disabled'"),
        ({**BASE, "workspaces": []}, "amlws:workspaces = []"),
        ({**BASE, "workspaces": [{"project": "churn"}, {"project": "churn"}]}, "one workspace per stack: churn"),
        ({"location": "westeurope", "workspaces": [{"project": "churn"}]}, "amlws:environment: required setting is missing"),
        ({**BASE, "workspaces": [{"project": "churn", "containerRegistry": {"publicNetworkAccess": "Disabled"}}]}, "only a Premium registry"),
    ],
)
def test_config_errors_name_the_stack_file_key_and_value(config, expected):
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert "Pulumi.qa.yaml" in str(err.value)
    assert expected in str(err.value)
    assert err.value.registrations == []


def test_all_config_errors_are_reported_together():
    config = {**BASE, "workspaces": [{"project": "churn", "storage": {"kind": "BlobStorage"}, "hbiWorkspace": "maybe"}]}
    with pytest.raises(PreviewError) as err:
        preview_config(config)
    assert "BlobStorage" in str(err.value) and "hbiWorkspace" in str(err.value)


def test_a_bad_existing_storage_in_the_second_workspace_declares_nothing():
    bad = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/adls"
    fixtures = {bad: {"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "isHnsEnabled": True}}
    config = {**BASE, "workspaces": [{"project": "churn"}, {"project": "fraud", "storage": {"existingId": bad}}]}
    with pytest.raises(PreviewError) as err:
        preview_config(config, fixtures)
    assert "amlws:workspaces[1] (project fraud)" in str(err.value)
    assert "hierarchical namespace" in str(err.value)
    assert err.value.registrations == []


def test_missing_stack_file_is_named(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: amlws\nruntime: python\n")
    with pytest.raises(PreviewError, match="Pulumi.nope.yaml: no such stack file"):
        preview_stack(tmp_path, "nope")
