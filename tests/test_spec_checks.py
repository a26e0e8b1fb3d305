"""Raw azure-native programs under the offline preview: autonaming and the REST API spec checks
(amlws/spec.py), with the provider's wording, every violation of a run reported together."""

import json
import re
import subprocess
import sys
import textwrap

import pytest
from pulumi_azure_native import authorization, consumption, keyvault, machinelearningservices as ml, storage

from amlws import spec
from amlws.preview import PreviewError
from harness import ROOT, inputs, one, run

RG = "rg-data"


def refused(program) -> str:
    with pytest.raises(PreviewError) as caught:
        run(program)
    return str(caught.value)


def account(name: str, **extra):
    args = {"resource_group_name": RG, "kind": "StorageV2", "sku": storage.SkuArgs(name="Standard_LRS")}
    args.update(extra)
    return storage.StorageAccount(name, **args)


def test_storage_account_without_a_name_fails_with_the_providers_message():
    message = refused(lambda: account("my-data"))
    assert (
        "azure-native:storage:StorageAccount resource 'my-data' has a problem: "
        "'accountName' does not match expression '^[a-z0-9]+$'" in message
    )
    assert "property accountName = 'my-data" in message  # the autonamed value, shown in full
    assert (
        "azure-mgmt-storage==22.1.0: azure/mgmt/storage/v2024_01_01/operations/_storage_accounts_operations.py"
        in message
    )


def test_a_long_logical_name_is_too_long_once_the_suffix_is_added():
    message = refused(lambda: account("churnfeaturesstore"))  # 18 + 8 hex = 26
    assert "'accountName' is too long (26): at most 24 characters allowed" in message


def test_autonaming_follows_azure_native_and_is_deterministic():
    def program():
        account("mydata")
        storage.BlobContainer("raw", resource_group_name=RG, account_name="stexplicit01")
        authorization.RoleAssignment(
            "reader",
            principal_id="9d3b2a1c-0f4e-4d5c-8b7a-6e5f4d3c2b1a",
            role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
            scope=f"/subscriptions/0/resourceGroups/{RG}",
        )

    first, second = run(program), run(program)
    name = inputs(one(first, "StorageAccount"))["accountName"]
    assert name.startswith("mydata") and len(name) == len("mydata") + 8 and int(name[6:], 16) >= 0
    assert name == inputs(one(second, "StorageAccount"))["accountName"]  # repeatable offline
    assert one(first, "StorageAccount").id.endswith(f"/storageAccounts/{name}")  # the mock uses it too
    assert inputs(one(first, "BlobContainer"))["containerName"] == "raw"  # a child keeps its logical name
    guid = inputs(one(first, "RoleAssignment"))["roleAssignmentName"]
    assert len(guid) == 36 and guid.count("-") == 4


def test_valid_explicit_names_pass_and_are_kept():
    result = run(lambda: account("data", account_name="stchurndev01"))
    assert inputs(one(result, "StorageAccount"))["accountName"] == "stchurndev01"


def test_a_bad_enum_value_is_refused_naming_the_allowed_values():
    message = refused(lambda: account("data", account_name="stchurndev01", kind="StorageV3"))
    assert (
        "'kind' is 'StorageV3' but expected one of "
        "['Storage','StorageV2','BlobStorage','FileStorage','BlockBlobStorage']" in message
    )
    assert "refused by ARM at pulumi up" in message
    assert "azure/mgmt/storage/v2024_01_01/models/_storage_management_client_enums.py Kind" in message


def test_enums_are_compared_case_insensitively_like_azure():
    result = run(lambda: account("data", account_name="stchurndev01", kind="storagev2", sku={"name": "standard_lrs"}))
    assert inputs(one(result, "StorageAccount"))["kind"] == "storagev2"


def test_nested_enum_and_required_property_inside_an_object():
    message = refused(
        lambda: keyvault.Vault(
            "kv",
            resource_group_name=RG,
            vault_name="kv-churn-dev",
            properties={"tenantId": "11111111-1111-1111-1111-111111111111", "sku": {"family": "A", "name": "gold"}},
        )
    )
    assert "'properties.sku.name' is 'gold' but expected one of ['standard','premium']" in message


def test_a_missing_required_property_is_reported():
    message = refused(
        lambda: consumption.Budget(
            "budget",
            scope=f"/subscriptions/0/resourceGroups/{RG}",
            amount=100,
            category="Cost",
            time_grain="Monthly",
            time_period={"endDate": "2027-12-31T00:00:00Z"},
        )
    )  # type: ignore[typeddict-item]
    assert "missing required property 'timePeriod.startDate'" in message


def test_a_read_only_property_in_the_request_is_refused():
    message = refused(
        lambda: account("data", account_name="stchurndev01", sku={"name": "Standard_LRS", "tier": "Standard"})
    )
    assert "'sku.tier' is read-only: set by Azure, not accepted in a request" in message


def test_ranges_are_checked():
    from pulumi_azure_native import monitor

    message = refused(
        lambda: monitor.DiagnosticSetting(
            "diag",
            name="to-log-analytics",
            resource_uri=f"/subscriptions/0/resourceGroups/{RG}",
            workspace_id="/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log",
            logs=[{"categoryGroup": "allLogs", "enabled": True, "retentionPolicy": {"enabled": False, "days": -1}}],
        )
    )
    assert "'logs[0].retentionPolicy.days' is too low (-1.000000 < 0.000000)" in message


def test_discriminated_properties_are_checked_by_their_subtype():
    def program():
        ml.Compute(
            "cpu",
            resource_group_name=RG,
            workspace_name="mlw-churn-dev",
            compute_name="cpu-1",
            properties={"computeType": "AmlCompute", "properties": {"vmPriority": "Cheap"}},
        )

    message = refused(program)
    assert "'computeName' does not match expression" in message  # ends in -<digits>: ARM refuses it
    assert "'properties.properties.vmPriority' is 'Cheap' but expected one of ['Dedicated','LowPriority']" in message


def test_every_violation_of_a_run_is_reported_together():
    def program():
        account("first-data")
        account("second-data")

    message = refused(program)
    assert message.startswith("2 request(s) that azure-native or ARM would refuse")
    assert "'first-data'" in message and "'second-data'" in message


def test_every_declared_type_has_facts_with_sources():
    data = spec.facts()
    for token, facts in data["resources"].items():
        assert facts["apiVersion"] and facts["name"]["source"], token
        assert data["models"][facts["body"]]["source"].split(":")[0].count("==") == 1, token
    for enum in data["enums"].values():
        assert enum["values"] and enum["source"]


def test_the_cli_previews_a_consumer_project_and_exits_2(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: consumer\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "__main__.py").write_text(
        textwrap.dedent("""
        from pulumi_azure_native import storage
        storage.StorageAccount("my-data", resource_group_name="rg", kind="StorageV2", sku={"name": "Standard_LRS"})
    """)
    )
    done = subprocess.run(
        [sys.executable, "-m", "amlws.cli", "preview", "dev", "--cwd", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "resource 'my-data' has a problem: 'accountName' does not match expression '^[a-z0-9]+$'" in done.stderr
    assert "Traceback" not in done.stderr


def test_facts_file_is_what_the_generator_writes():
    """The data file is generated, not hand-edited: every resource names its SDK source and API version."""
    data = json.loads(spec.FACTS_FILE.read_text())
    assert "scripts/extract_spec_facts.py" in data["about"]
    versions = {token: facts["apiVersion"] for token, facts in data["resources"].items()}
    assert versions["azure-native:storage:StorageAccount"] == "2024-01-01"
    assert versions["azure-native:machinelearningservices:Workspace"] == "2025-12-01"


def test_a_global_name_used_twice_in_one_stack_is_refused():
    def program():
        account("first", account_name="stchurndev01")
        account("second", account_name="STCHURNDEV01")  # names compare case-insensitively

    message = refused(program)
    assert re.search(r"azure-native:storage:StorageAccount name '(stchurndev01|STCHURNDEV01)' is used by", message)
    assert (
        "unique across all of Azure (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
        in message
    )


def test_two_stacks_taking_the_same_global_or_tenant_wide_name_collide():
    def program():
        account("data", account_name="stchurn01")
        authorization.RoleAssignment(
            "reader",
            role_assignment_name="79bf95cf-809f-541d-96f1-2793f5c79cec",
            principal_id="9d3b2a1c-0f4e-4d5c-8b7a-6e5f4d3c2b1a",
            role_definition_id="/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
            scope=f"/subscriptions/0/resourceGroups/{RG}",
        )

    dev, prod = run(program, stack="dev"), run(program, stack="prod")
    clashes = spec.name_collisions([("dev", dev.registrations), ("prod", prod.registrations)])
    assert len(clashes) == 2
    assert any("name 'stchurn01'" in c and "(stack dev)" in c and "(stack prod)" in c for c in clashes)
    assert any("RoleAssignment name '79bf95cf" in c and "unique in the whole Entra tenant" in c for c in clashes)


def test_readme_facts_table_is_current():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts/extract_spec_facts.py"), "--readme-check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_singleton_child_is_named_default_and_nothing_else():
    def program(name=None):
        extra = {"blob_services_name": name} if name else {}
        storage.BlobServiceProperties(
            "blob-settings",
            resource_group_name=RG,
            account_name="stchurndev01",
            delete_retention_policy={"enabled": True, "days": 7},
            **extra,
        )

    assert inputs(one(run(program), "BlobServiceProperties"))["blobServicesName"] == "default"
    assert "'blobServicesName' must be 'default'" in refused(lambda: program("blobs"))
    message = refused(
        lambda: storage.BlobServiceProperties(
            "blob-settings",
            resource_group_name=RG,
            account_name="stchurndev01",
            delete_retention_policy={"enabled": True, "days": 0},
        )
    )
    assert "'deleteRetentionPolicy.days' is too low (0.000000 < 1.000000)" in message
