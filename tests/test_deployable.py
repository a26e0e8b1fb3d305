"""Defects Azure would refuse at `pulumi up` although the mock engine accepts them (issue 9): storage
diagnostic metrics, the deployer's key rights for CMK, budget start dates, compute instance owners."""

import datetime as dt
import json

import pytest
import yaml

from amlws.components import ComponentInputError, MachineLearningWorkspace, WorkspaceStorage, monthly_budget
from amlws.components.encryption import deployer_crypto_officer, deployer_grant_name
from amlws.mocks import CLIENT_ID, SUBSCRIPTION_ID, ArmMocks
from amlws.preview import PreviewError, run_program
from amlws.stacks.program import main
from harness import ROOT, by_type, inputs, one, run, shared_preview

CRYPTO_OFFICER = (
    f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization"
    "/roleDefinitions/14b46e9e-c2b7-41b4-b07b-48a6ebf60603"
)
USER = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
LAW = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"


stack = shared_preview  # read only


def this_month() -> str:
    return dt.datetime.now(dt.timezone.utc).date().replace(day=1).isoformat() + "T00:00:00Z"


def preview_config(config: dict):
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    return run_program(main, "amlws", "qa", raw, [], ArmMocks({}))


BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}


# Storage diagnostic settings -------------------------------------------------------------------------


def test_storage_services_send_transaction_metrics_not_allmetrics():
    """Blob and file services refuse `AllMetrics` (Azure/azure-powershell#6520)."""
    result = run(lambda: WorkspaceStorage("s", {"resource_group_name": "rg", "diagnostics_workspace_id": LAW}))
    settings = [inputs(r) for r in by_type(result, "monitor:DiagnosticSetting")]
    assert len(settings) == 2
    for setting in settings:
        assert setting["resourceUri"].endswith(("/blobServices/default", "/fileServices/default"))
        assert setting["metrics"] == [{"category": "Transaction", "enabled": True}]


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_in_the_stacks_only_storage_services_differ_from_allmetrics(name):
    for reg in by_type(stack(name), "monitor:DiagnosticSetting"):
        got = inputs(reg)
        storage_service = "/blobServices/" in got["resourceUri"] or "/fileServices/" in got["resourceUri"]
        assert [m["category"] for m in got["metrics"]] == (["Transaction"] if storage_service else ["AllMetrics"]), (
            reg.name
        )


# The deployer's right to create the CMK key ----------------------------------------------------------


def test_the_deployer_gets_crypto_officer_on_the_vault_before_the_cmk_key_is_created():
    """Keys created through ARM in an RBAC vault need the caller's data-plane role (Azure/bicep#6539)."""
    result = run(
        lambda: MachineLearningWorkspace(
            "w", {"resource_group_name": "rg", "customer_managed_key": {"key_name": "cmk"}}
        )
    )
    vault, key = one(result, "keyvault:Vault"), one(result, "keyvault:Key")
    [grant] = [r for r in by_type(result, "RoleAssignment") if inputs(r)["roleDefinitionId"] == CRYPTO_OFFICER]
    got = inputs(grant)
    assert got["principalId"] == CLIENT_ID and got["scope"] == vault.id and got["principalType"] == "ServicePrincipal"
    assert grant.urn in key.property_dependencies["vaultName"]


def test_a_user_running_pulumi_up_is_granted_as_a_user():
    """The spec's principalType defaults to User and Azure refuses a mismatch, so the stack says who deploys."""
    result = preview_config(
        {
            **BASE,
            "deployerPrincipalType": "User",
            "workspaces": [{"project": "churn", "customerManagedKey": {"keyName": "cmk"}}],
        }
    )
    [grant] = [inputs(r) for r in by_type(result, "RoleAssignment") if inputs(r)["roleDefinitionId"] == CRYPTO_OFFICER]
    assert grant["principalType"] == "User"


def test_no_crypto_officer_grant_without_a_customer_managed_key():
    result = run(lambda: MachineLearningWorkspace("w", {"resource_group_name": "rg"}))
    assert not [r for r in by_type(result, "RoleAssignment") if inputs(r)["roleDefinitionId"] == CRYPTO_OFFICER]


def test_an_existing_vault_shared_by_two_cmk_workspaces_gets_one_deployer_grant():
    """The program owns the vault's grant and hands it to both workspaces (the stack program does the same);
    each workspace declared alone would make its own, and Azure has one assignment per scope, principal and role."""
    vault_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-existing"
    fixtures = {vault_id: {"properties": {"enablePurgeProtection": True, "enableSoftDelete": True}}}

    def program():
        grant = deployer_crypto_officer(deployer_grant_name(vault_id), vault_id, "ServicePrincipal")
        for project in ("a", "b"):
            MachineLearningWorkspace(
                project,
                {
                    "resource_group_name": "rg",
                    "key_vault": {"existing_id": vault_id},
                    "customer_managed_key": {"key_name": f"cmk-{project}"},
                },
                deployer_grants={vault_id: grant},
            )

    result = run(program, fixtures)
    [grant] = [r for r in by_type(result, "RoleAssignment") if inputs(r)["roleDefinitionId"] == CRYPTO_OFFICER]
    assert inputs(grant)["scope"] == vault_id
    for key in by_type(result, "keyvault:Key"):
        assert grant.urn in key.dependencies


def test_prod_grants_the_deployer_once_on_the_shared_vault_and_both_keys_wait_for_it():
    prod = stack("prod")
    vault = one(prod, "keyvault:Vault")
    [grant] = [r for r in by_type(prod, "RoleAssignment") if inputs(r)["roleDefinitionId"] == CRYPTO_OFFICER]
    assert inputs(grant)["scope"] == vault.id and inputs(grant)["principalId"] == CLIENT_ID
    keys = by_type(prod, "keyvault:Key")
    assert len(keys) == 2 and all(grant.urn in k.property_dependencies["vaultName"] for k in keys)


# Budget start dates ----------------------------------------------------------------------------------

BUDGET = {"amount": 100, "contact_emails": ["a@b.c"]}
RG = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg"


def test_a_budget_without_a_start_date_starts_this_month_and_later_runs_leave_it():
    result = run(lambda: monthly_budget("b", dict(BUDGET), scope=RG))  # type: ignore[arg-type]
    budget = one(result, "consumption:Budget")
    assert inputs(budget)["timePeriod"] == {"startDate": this_month()}
    assert budget.ignore_changes == ["timePeriod.startDate"]


def test_an_explicit_start_date_is_applied():
    start = (dt.datetime.now(dt.timezone.utc).date().replace(day=1) + dt.timedelta(days=40)).replace(day=1).isoformat()
    budget = one(run(lambda: monthly_budget("b", {**BUDGET, "start_date": start}, scope=RG)), "consumption:Budget")  # type: ignore[arg-type]
    assert inputs(budget)["timePeriod"] == {"startDate": f"{start}T00:00:00Z"} and budget.ignore_changes == []


def test_a_start_date_more_than_twelve_months_ahead_is_refused():
    too_far = dt.date(dt.datetime.now(dt.timezone.utc).year + 2, 1, 1).isoformat()
    with pytest.raises(ComponentInputError, match="at most 12 months ahead"):
        run(lambda: monthly_budget("b", {**BUDGET, "start_date": too_far}, scope=RG))  # type: ignore[arg-type]
    with pytest.raises(PreviewError, match=r"budget: startDate .*at most 12 months ahead"):
        preview_config(
            {
                **BASE,
                "workspaces": [
                    {"project": "churn", "budget": {"amount": 1, "startDate": too_far, "contactEmails": ["a@b.c"]}}
                ],
            }
        )


def test_a_start_date_in_a_past_month_is_warned_about():
    result = run(lambda: monthly_budget("b", {**BUDGET, "start_date": "2020-01-01"}, scope=RG))  # type: ignore[arg-type]
    assert any("past month" in w for w in result.warnings), result.warnings


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_the_stacks_fix_no_budget_date(name):
    config = yaml.safe_load((ROOT / f"Pulumi.{name}.yaml").read_text())["config"]
    assert all("startDate" not in w.get("budget", {}) for w in config["amlws:workspaces"])
    for budget in by_type(stack(name), "consumption:Budget"):
        assert inputs(budget)["timePeriod"] == {"startDate": this_month()}


# Compute instance owner ------------------------------------------------------------------------------

INSTANCE = {"name": "ci-one", "vm_size": "Standard_DS3_v2", "idle_time_before_shutdown": "PT30M"}


def test_a_compute_instance_without_an_assigned_user_is_refused_before_anything_is_declared():
    with pytest.raises(
        ComponentInputError,
        match=r"compute_instances\[0\].assigned_user_object_id=None: required: .*belongs to whoever creates it",
    ):
        run(lambda: MachineLearningWorkspace("w", {"resource_group_name": "rg", "compute_instances": [dict(INSTANCE)]}))  # type: ignore[list-item]
    with pytest.raises(ComponentInputError, match="is a GUID"):
        run(
            lambda: MachineLearningWorkspace(
                "w", {"resource_group_name": "rg", "compute_instances": [{**INSTANCE, "assigned_user_object_id": "me"}]}
            )
        )  # type: ignore[list-item]


def test_the_stack_file_names_the_missing_assigned_user():
    instance = {"name": "ci-one", "vmSize": "Standard_DS3_v2", "idleTimeBeforeShutdown": "PT30M"}
    with pytest.raises(PreviewError) as caught:
        preview_config({**BASE, "workspaces": [{"project": "churn", "computeInstances": [instance]}]})
    assert "Pulumi.qa.yaml" in str(caught.value)
    assert "amlws:workspaces[0].computeInstances[0].assignedUserObjectId: required setting is missing" in str(
        caught.value
    )
    assert "belongs to whoever creates it" in str(caught.value) and caught.value.registrations == []


def test_the_instance_is_assigned_to_its_user_in_the_deployers_tenant():
    result = run(
        lambda: MachineLearningWorkspace(
            "w", {"resource_group_name": "rg", "compute_instances": [{**INSTANCE, "assigned_user_object_id": USER}]}
        )
    )  # type: ignore[list-item]
    [instance] = [inputs(r) for r in by_type(result, "machinelearningservices:Compute")]
    user = instance["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]
    assert user["objectId"] == USER and user["tenantId"]
    dev = [
        inputs(r)
        for r in by_type(stack("dev"), "machinelearningservices:Compute")
        if inputs(r)["properties"]["computeType"] == "ComputeInstance"
    ]
    assert dev and all(
        c["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]["objectId"] for c in dev
    )
