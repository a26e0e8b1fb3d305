from datetime import timedelta

import pytest

from amlws_rules import (
    cluster_scale_violations,
    idle_shutdown_violation,
    is_any_type,
    is_type,
    parse_arm_id,
    parse_duration,
    workspace_storage_findings,
    workspace_storage_violations,
    with_aliases,
)
from amlws_rules.storage import RULE_BLOB_STORAGE, RULE_HNS, RULE_PREMIUM


@pytest.mark.parametrize(
    "kind, sku, hns, rule, quote",
    [
        ("BlobStorage", "Standard_LRS", False, "blob-storage-kind", RULE_BLOB_STORAGE),
        ("StorageV2", "Premium_LRS", False, "premium", RULE_PREMIUM),
        ("StorageV2", "Premium_GRS", False, "premium", RULE_PREMIUM),
        ("StorageV2", "Premium_ZRS", False, "premium", RULE_PREMIUM),
        ("FileStorage", None, False, "premium", RULE_PREMIUM),
        ("BlockBlobStorage", None, False, "premium", RULE_PREMIUM),
        ("StorageV2", "Standard_LRS", True, "hierarchical-namespace", RULE_HNS),
    ],
)
def test_each_forbidden_storage_is_an_error_quoting_the_docs(kind, sku, hns, rule, quote):
    [finding] = workspace_storage_violations(kind=kind, sku_name=sku, is_hns_enabled=hns)
    assert finding.rule == rule
    assert quote in finding.message


def test_premium_and_hns_name_the_datastore_alternative():
    findings = workspace_storage_violations(kind="StorageV2", sku_name="Premium_LRS", is_hns_enabled=True)
    assert {f.rule for f in findings} == {"premium", "hierarchical-namespace"}
    assert all("additional storage by creating a datastore" in f.message for f in findings)


@pytest.mark.parametrize("sku", ["Standard_LRS", "Standard_GRS", "Standard_ZRS", "Standard_RAGZRS"])
def test_standard_general_purpose_v2_is_fine(sku):
    assert workspace_storage_findings(kind="StorageV2", sku_name=sku, is_hns_enabled=False) == []


def test_general_purpose_v1_is_a_warning_not_an_error():
    [finding] = workspace_storage_findings(kind="Storage", sku_name="Standard_LRS", is_hns_enabled=None)
    assert finding.severity == "warning" and "upgrade this to general-purpose v2" in finding.message
    assert workspace_storage_violations(kind="Storage", sku_name="Standard_LRS", is_hns_enabled=None) == []


def test_unknown_values_raise_nothing():
    assert workspace_storage_findings(kind=None, sku_name=None, is_hns_enabled=None) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("PT15M", timedelta(minutes=15)),
        ("PT120S", timedelta(seconds=120)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("pt30m", timedelta(minutes=30)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "30", "P1Y", "PT5X", "P1DT"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration(text)


@pytest.mark.parametrize(
    "value, ok",
    [
        ("PT15M", True),
        ("P3D", True),
        ("PT14M", False),
        ("P3DT1M", False),
        ("PT1H", True),
        (None, False),
        ("soon", False),
    ],
)
def test_idle_shutdown_range(value, ok):
    assert (idle_shutdown_violation(value) is None) is ok


@pytest.mark.parametrize(
    "low, high, problem",
    [
        (0, 4, None),
        (2, 2, None),
        (3, 2, "greater than"),
        (-1, 2, "negative"),
        (0, 0, "at least 1"),
        (0, None, "required"),
    ],
)
def test_cluster_scale(low, high, problem):
    problems = cluster_scale_violations(low, high)
    assert (problems == []) if problem is None else any(problem in p for p in problems)


def test_type_tokens_match_versioned_and_plain():
    assert is_type("azure-native:machinelearningservices:Workspace", "machinelearningservices", "Workspace")
    assert is_type("azure-native:machinelearningservices/v20240401:Workspace", "machinelearningservices", "Workspace")
    assert not is_type("azure-native:operationalinsights:Workspace", "machinelearningservices", "Workspace")
    assert is_type("azure-native:insights/v20200202:Component", "applicationinsights", "Component")  # v2's token
    assert not is_type("azure:insights:Component", "applicationinsights", "Component")  # another package
    assert not is_type("not-a-token", "applicationinsights", "Component")


@pytest.mark.parametrize(
    "token, matches",
    [
        ("azure-native:applicationinsights:Component", True),
        ("azure-native:insights/v20200202:Component", True),  # the token azure-native v2 gave the same type
        ("azure-native:operationalinsights/v20230901:Workspace", True),
        ("azure-native:machinelearningservices:Workspace", False),
        ("azure-native:insights:DiagnosticSetting", False),  # an alias of a type not asked for
        ("pulumi:pulumi:Stack", False),
        ("Component", False),
    ],
)
def test_any_of_several_types_with_their_aliases(token, matches):
    kinds = with_aliases([("applicationinsights", "Component"), ("operationalinsights", "Workspace")])
    assert is_any_type(token, kinds) is matches
    assert is_any_type(token, kinds) is any(is_type(token, module, name) for module, name in kinds)


def test_arm_ids():
    arm = parse_arm_id(
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
        "microsoft.storage/storageaccounts",
    )
    assert (arm.subscription_id, arm.resource_group_name, arm.name) == (
        "00000000-0000-0000-0000-000000000000",
        "rg",
        "acct",
    )
    with pytest.raises(ValueError, match="not an ARM ID of a Microsoft.KeyVault/vaults"):
        parse_arm_id(
            arm_id := "/subscriptions/00000000-0000-0000-0000-000000000000"
            "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct",
            "Microsoft.KeyVault/vaults",
        )
    with pytest.raises(ValueError, match="not an ARM resource ID"):
        parse_arm_id("acct")
    assert arm_id
