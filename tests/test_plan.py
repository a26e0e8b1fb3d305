"""Plan once, then declare (issue 18): each workspace's storage and key vault are checked exactly once per
preview, a plan is frozen, and the order of the workspaces in a stack file moves no resource."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from amlws.components import MachineLearningWorkspace, key_vault, key_vault_plan, storage, storage_plan
from amlws.components.workspace import plan_workspace
from amlws.mocks import ArmMocks
from amlws.monitor import RecordingMonitor
from amlws.preview import preview_stack, run_program
from amlws.stacks.program import main
from harness import by_type, inputs, one, run

ROOT = Path(__file__).resolve().parent.parent
VAULT = (
    "/subscriptions/00000000-0000-0000-0000-000000000000"
    "/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central"
)
VAULT_FIXTURE = {VAULT: {"properties": {"enablePurgeProtection": True, "enableSoftDelete": True}}}


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Counter[str]:
    """Count the calls of `module.name` by the project whose args they check (workspace tags carry it)."""
    calls: Counter[str] = Counter()
    original = getattr(module, name)

    def spy(args: Any, *rest: Any, **kwargs: Any) -> Any:
        calls[(args.get("tags") or {}).get("project", "?")] += 1
        return original(args, *rest, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_each_workspace_storage_and_key_vault_are_checked_once_per_preview(stack, monkeypatch):
    # validate_storage_args lives in storage_plan (issue 18's split); storage re-imports it, so count both names.
    storage_checks = _counting(monkeypatch, storage_plan, "validate_storage_args")
    storage_checks.update(_counting(monkeypatch, storage, "validate_storage_args"))
    # validate_key_vault_args likewise lives in key_vault_plan, and key_vault re-imports it.
    vault_checks = _counting(monkeypatch, key_vault_plan, "validate_key_vault_args")
    vault_checks.update(_counting(monkeypatch, key_vault, "validate_key_vault_args"))
    result = preview_stack(ROOT, stack)
    projects = {r.name for r in by_type(result, "MachineLearningWorkspace")}
    assert projects, "the stack declares workspaces"
    for project in projects:
        assert storage_checks[project] == 1, (project, storage_checks)
        assert vault_checks[project] == 1, (project, vault_checks)


def _cmk_stack(projects: list[str]) -> dict[str, str]:
    workspaces = [
        {"project": p, "keyVault": {"existingId": VAULT}, "customerManagedKey": {"keyName": f"cmk-{p}"}}
        for p in projects
    ]
    config = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa"}, "workspaces": workspaces}
    return {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}


def test_the_order_of_workspaces_in_a_stack_changes_no_urn(monkeypatch):
    aliases: dict[str, list[tuple[str, str]]] = {}
    register = RecordingMonitor.RegisterResource

    def recording(self: Any, request: Any) -> Any:
        aliases[request.name] = [(a.spec.name, a.spec.parentUrn) for a in request.aliases]
        return register(self, request)

    monkeypatch.setattr(RecordingMonitor, "RegisterResource", recording)
    first = run_program(main, "amlws", "qa", _cmk_stack(["churn", "fraud"]), [], ArmMocks(VAULT_FIXTURE))
    second = run_program(main, "amlws", "qa", _cmk_stack(["fraud", "churn"]), [], ArmMocks(VAULT_FIXTURE))
    assert sorted(r.urn for r in first.registrations) == sorted(r.urn for r in second.registrations)
    # The deployer's grant on the existing vault: one, owned by the program (no parent), named after the vault,
    # and both workspaces' keys wait for it.
    [grant] = [r for r in first.registrations if "deployer-crypto-officer" in r.name]
    assert grant.name == "deployer-crypto-officer-kv-central" and grant.parent.endswith("pulumi:pulumi:Stack::amlws-qa")
    assert inputs(grant)["scope"] == VAULT
    keys = by_type(first, "keyvault:Key")
    assert len(keys) == 2 and all(grant.urn in k.dependencies for k in keys)
    # Earlier versions made it inside whichever workspace came first: an alias for each keeps it in place.
    component = "urn:pulumi:qa::amlws::amlws:index:MachineLearningWorkspace::"
    assert aliases[grant.name] == [(f"{p}-cmk-deployer-crypto-officer", component + p) for p in ("churn", "fraud")]


def test_a_workspace_declared_alone_grants_the_deployer_on_an_existing_vault_itself():
    def program() -> None:
        MachineLearningWorkspace(
            "solo",
            {
                "resource_group_name": "rg",
                "key_vault": {"existing_id": VAULT},
                "customer_managed_key": {"key_name": "cmk"},
            },
        )

    result = run(program, VAULT_FIXTURE)
    grant = next(r for r in result.registrations if r.name == "solo-cmk-deployer-crypto-officer")
    assert grant.parent.endswith("MachineLearningWorkspace::solo") and inputs(grant)["scope"] == VAULT
    assert grant.urn in one(result, "keyvault:Key").dependencies


def test_a_plan_is_frozen_and_declares_what_planning_the_same_args_again_would():
    args: Any = {"resource_group_name": "rg", "datastores": [{"name": "raw", "container_name": "raw"}]}
    holder: dict[str, Any] = {}

    def program() -> None:
        plan = plan_workspace("ws", args)
        holder["plan"] = plan
        MachineLearningWorkspace("ws", args, plan=plan)

    result = run(program)
    plan = holder["plan"]
    with pytest.raises(AttributeError):  # a NamedTuple has no setter
        plan.names = None
    with pytest.raises(AttributeError):  # a NamedTuple has no setter
        plan.datastores[0].existing_id = "x"
    alone = run(lambda: MachineLearningWorkspace("ws", args))
    assert sorted(r.urn for r in result.registrations) == sorted(r.urn for r in alone.registrations)
    shown = repr(plan)
    assert shown.startswith("WorkspacePlan(names=WorkspaceNames(") and "checks=" not in shown  # the args again


def test_a_planned_connections_repr_leaves_its_key_out():
    from amlws.components.connections import PlannedConnection

    planned = PlannedConnection("c", "CustomKeys", "https://x", "", "CustomKeys", {}, True, secret="s3cr3t-key")
    assert (
        "s3cr3t-key" not in repr(planned) and "secret=" not in repr(planned) and "target='https://x'" in repr(planned)
    )
    assert planned._replace(secret="other").secret == "other"


def test_two_workspaces_bringing_one_storage_account_ask_azure_once_per_run(monkeypatch):
    """The stack program's Lookups answers the second workspace's question (it is the program's, not global)."""
    asked: list[str] = []
    original = storage_plan._get_account  # moved there from storage (issue 18's split)

    def counting(name: str, resource_group_name: str) -> Any:
        asked.append(name)
        return original(name, resource_group_name)

    monkeypatch.setattr(storage_plan, "_get_account", counting)
    account = (
        "/subscriptions/00000000-0000-0000-0000-000000000000"
        "/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stshared"
    )
    fixtures = {account: {"kind": "StorageV2", "sku": {"name": "Standard_LRS"}}}
    workspaces = [{"project": p, "storage": {"existingId": account}} for p in ("churn", "fraud")]
    config = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa"}, "workspaces": workspaces}
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    result = run_program(main, "amlws", "qa", raw, [], ArmMocks(fixtures))
    assert asked == ["stshared"]
    assert {inputs(w)["storageAccount"] for w in by_type(result, "machinelearningservices:Workspace")} == {account}


def test_a_plan_made_for_other_args_is_refused():
    from amlws.components import ComponentInputError

    args: Any = {"resource_group_name": "rg"}

    def program() -> None:
        plan = plan_workspace("ws", args)
        MachineLearningWorkspace("ws", {**args, "hbi_workspace": True}, plan=plan)

    with pytest.raises(ComponentInputError) as err:
        run(program)
    assert err.value.setting == "plan" and "other args" in err.value.problem
