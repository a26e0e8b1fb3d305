"""Values Azure would refuse at `pulumi up` are refused before anything is declared, naming the stack
file, the key as the stack file spells it (camelCase), the value and what is allowed."""

from __future__ import annotations

import json

import pytest

from amlws.preview import PreviewError, run_program
from amlws.mocks import ArmMocks
from amlws.stacks.config import StackConfigError, parse_stack_config
from amlws.stacks.program import main
from amlws_rules.azure_values import STORAGE_KINDS, STORAGE_SKU_NAMES

STACK_FILE = "Pulumi.qa.yaml"
BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}
STORAGE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000"
    "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdata"
)
AI_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
)
LAW_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000"
    "/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"
)
VAULT_ID = STORAGE_ID.replace("Microsoft.Storage/storageAccounts/stdata", "Microsoft.KeyVault/vaults/kv-data")
ACR_ID = STORAGE_ID.replace("Microsoft.Storage/storageAccounts/stdata", "Microsoft.ContainerRegistry/registries/crdata")


def engine_config(config: dict) -> dict[str, str]:
    """What the engine hands the program: structured values as JSON text, top-level scalars as strings."""
    return {
        k: json.dumps(v) if isinstance(v, (dict, list)) else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in config.items()
    }


def refused(workspace: dict | None = None, provider_location: str | None = None, **stack) -> str:
    config = {**BASE, "workspaces": [workspace or {"project": "churn"}], **stack}
    with pytest.raises(StackConfigError) as err:
        parse_stack_config(engine_config(config), STACK_FILE, provider_location)
    message = str(err.value)
    assert message.startswith(f"{STACK_FILE}: invalid configuration:")
    return message


def accepted(workspace: dict | None = None, provider_location: str | None = None, **stack):
    return parse_stack_config(
        engine_config({**BASE, "workspaces": [workspace or {"project": "churn"}], **stack}),
        STACK_FILE,
        provider_location,
    )


# Storage enums ------------------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["storage", "shared"])
def test_a_storage_sku_outside_azures_enum_is_refused(section):
    if section == "shared":
        message = refused(shared={"storage": {"skuName": "Standard_XYZ"}})
        assert 'amlws:shared.storage.skuName = "Standard_XYZ": Azure accepts one of Standard_LRS,' in message
    else:
        message = refused({"project": "churn", "storage": {"skuName": "Standard_XYZ"}})
        assert 'amlws:workspaces[0].storage.skuName = "Standard_XYZ": Azure accepts one of Standard_LRS,' in message


def test_a_storage_kind_outside_azures_enum_is_refused():
    message = refused({"project": "churn", "storage": {"kind": "Banana"}})
    assert (
        'amlws:workspaces[0].storage.kind = "Banana": Azure accepts one '
        "of Storage, StorageV2, BlobStorage, FileStorage, BlockBlobStorage" in message
    )


def test_a_datastore_account_sku_outside_azures_enum_is_refused():
    message = refused({"project": "churn", "datastores": [{"name": "lake", "containerName": "raw", "skuName": "Gold"}]})
    assert 'amlws:workspaces[0].datastores[0].skuName = "Gold": Azure accepts one of' in message


def test_storage_enums_are_compared_like_arm_and_spelt_as_azure_does():
    assert (
        accepted({"project": "churn", "storage": {"skuName": "standard_zrs", "kind": "storagev2"}})
        .workspaces[0]
        .storage.sku_name
        == "Standard_ZRS"
    )


def test_storage_enums_are_the_sdks():
    from pulumi_azure_native.storage import Kind, SkuName

    assert set(STORAGE_SKU_NAMES) == {e.value for e in SkuName} and set(STORAGE_KINDS) == {e.value for e in Kind}


# Location -----------------------------------------------------------------------------------------


def test_a_location_that_is_not_an_azure_region_is_refused():
    message = refused(location="westeuropa")
    assert (
        'amlws:location = "westeuropa": not an Azure region name' in message
        and "amlws:allowUnlistedLocation" in message
    )


def test_region_display_names_are_regions_and_unlisted_ones_can_be_let_through():
    assert accepted(location="West Europe").location == "West Europe"
    assert accepted(location="mars-north", allowUnlistedLocation=True).location == "mars-north"


def test_an_ml_registry_replica_outside_azure_is_refused():
    message = refused(shared={"mlRegistry": {"registryName": "mlreg", "locations": ["westeurope", "atlantis"]}})
    assert "amlws:shared.mlRegistry.locations" in message and "not an Azure region name" in message


def test_a_location_that_differs_from_the_providers_must_say_so():
    message = refused(location="northeurope", provider_location="westeurope")
    assert 'amlws:location = "northeurope": differs from azure-native:location = "westeurope"' in message
    assert "amlws:locationDiffersFromProvider: true" in message
    accepted(location="northeurope", provider_location="westeurope", locationDiffersFromProvider=True)
    accepted(location="North Europe", provider_location="northeurope")  # one region, two spellings


def test_the_provider_location_is_read_from_the_stack_file_by_the_program():
    raw = {f"amlws:{k}": v for k, v in engine_config({**BASE, "workspaces": [{"project": "churn"}]}).items()}
    with pytest.raises(PreviewError) as err:
        run_program(main, "amlws", "qa", {**raw, "azure-native:location": "eastus"}, [], ArmMocks())
    assert "differs from azure-native:location" in str(err.value) and err.value.registrations == []


# Budget -------------------------------------------------------------------------------------------

BUDGET = {"amount": 100, "startDate": "2026-12-01", "contactEmails": ["ml-platform@contoso.com"]}


def test_a_budget_amount_azure_cannot_hold_is_refused():
    message = refused({"project": "churn", "budget": {**BUDGET, "amount": 1e308}})
    assert (
        "amlws:workspaces[0].budget" in message
        and "amount 1e+308 must be greater than 0 and at most 79228162514264337593543950335" in message
    )


def test_contact_emails_must_be_email_addresses():
    message = refused({"project": "churn", "budget": {**BUDGET, "contactEmails": ["ml-platform"]}})
    assert 'amlws:workspaces[0].budget.contactEmails[0] = "ml-platform": value is not a valid email address' in message


# No silent coercion -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "workspace, key, shown",
    [
        (
            {"computeClusters": [{"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": True}]},
            "computeClusters[0].maxNodeCount",
            "true",
        ),
        (
            {"computeClusters": [{"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": 2.5}]},
            "computeClusters[0].maxNodeCount",
            "2.5",
        ),
        ({"hbiWorkspace": "yes"}, "hbiWorkspace", '"yes"'),
        ({"keyVault": {"softDeleteRetentionInDays": "30"}}, "keyVault.softDeleteRetentionInDays", '"30"'),
        ({"budget": {**BUDGET, "amount": "100"}}, "budget.amount", '"100"'),
        ({"tags": {"costCenter": 1234}}, "tags.costCenter", "1234"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_coerced(workspace, key, shown):
    message = refused({"project": "churn", **workspace})
    assert f"amlws:workspaces[0].{key} = {shown}: Input should be a valid" in message


def test_top_level_booleans_arrive_as_strings_and_are_read_as_booleans():
    assert accepted(protect=True).protect is True
    assert 'amlws:protect = "yes": Input should be a valid boolean' in refused(protect="yes")


# Settings beside existingId -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "section, key",
    [
        ({"storage": {"existingId": STORAGE_ID, "skuName": "Standard_GRS"}}, "storage.skuName"),
        ({"keyVault": {"existingId": VAULT_ID, "enablePurgeProtection": False}}, "keyVault.enablePurgeProtection"),
        ({"containerRegistry": {"existingId": ACR_ID, "skuName": "Premium"}}, "containerRegistry.skuName"),
        (
            {"monitoring": {"existingApplicationInsightsId": AI_ID, "disableLocalAuth": False}},
            "monitoring.disableLocalAuth",
        ),
        (
            {"monitoring": {"existingLogAnalyticsWorkspaceId": LAW_ID, "retentionInDays": 90}},
            "monitoring.retentionInDays",
        ),
        (
            {
                "datastores": [
                    {"name": "lake", "containerName": "raw", "existingStorageId": STORAGE_ID, "kind": "StorageV2"}
                ]
            },
            "datastores[0].kind",
        ),
    ],
)
def test_settings_beside_an_existing_id_are_refused(section, key):
    message = refused({"project": "churn", **section})
    assert f"amlws:workspaces[0].{key} = " in message and "ignored beside existing" in message


def test_a_new_app_insights_on_an_existing_log_analytics_workspace_keeps_its_settings():
    accepted({"project": "churn", "monitoring": {"existingLogAnalyticsWorkspaceId": LAW_ID, "disableLocalAuth": False}})


# Cost tags ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["project", "Project", "ENVIRONMENT"])
def test_workspace_tags_cannot_override_the_cost_tags(tag):
    message = refused({"project": "churn", "tags": {tag: "other"}})
    assert (
        "amlws:workspaces[0].tags" in message
        and f"the tag {tag!r} would override the mandatory cost tag {tag.lower()!r}" in message
    )


def test_stack_tags_cannot_override_the_cost_tags_or_repeat_a_name_in_another_case():
    assert "would override the mandatory cost tag 'environment'" in refused(tags={"owner": "me", "Environment": "x"})
    assert "are one tag to Azure" in refused(tags={"owner": "me", "costCenter": "1", "CostCenter": "2"})


# Component refusals surface with the stack file's keys ---------------------------------------------


def test_component_refusals_name_the_camel_case_key():
    raw = {
        f"amlws:{k}": v
        for k, v in engine_config(
            {**BASE, "workspaces": [{"project": "churn", "storage": {"existingId": STORAGE_ID}}]}
        ).items()
    }
    with pytest.raises(PreviewError) as err:
        run_program(main, "amlws", "qa", raw, [], ArmMocks({STORAGE_ID: None}))
    message = str(err.value)
    assert (
        f'amlws:workspaces[0].storage.existingId = "{STORAGE_ID}": no such Microsoft.Storage/storageAccounts exists'
        in message
    )
    assert "existing_id" not in message and err.value.registrations == []
