"""Existing IDs given as Outputs: any Output (a StackReference's, one from another language's program, a
new object around a component's `id`) is accepted, and checked once its value is known, before the
workspace that uses it is created. Nothing is keyed by object identity."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.runtime import mocks

from amlws.components import ComponentInputError, MachineLearningWorkspace, WorkspaceKeyVault
from amlws.components.storage import WorkspaceStorageError
from amlws.mocks import SUBSCRIPTION_ID, ArmMocks
from amlws.preview import PreviewError, run_program
from harness import GOOD_STORAGE_ID, by_type, inputs, one, storage_fixture

RG = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-shared/providers"
VAULT_ID = f"{RG}/Microsoft.KeyVault/vaults/kvshared"
AI_ID = f"{RG}/Microsoft.Insights/components/appi-shared"
LAW_ID = f"{RG}/Microsoft.OperationalInsights/workspaces/log-shared"
ACR_ID = f"{RG}/Microsoft.ContainerRegistry/registries/acrshared"
PREMIUM_ID = f"{RG}/Microsoft.Storage/storageAccounts/stpremium"

FIXTURES: dict[str, Any] = {
    **storage_fixture("stgood", "StorageV2", "Standard_LRS", False),
    **storage_fixture("stpremium", "StorageV2", "Premium_LRS", False),
    VAULT_ID: {"properties": {"enableSoftDelete": True, "enablePurgeProtection": True}},
    AI_ID: {},
    LAW_ID: {},
    ACR_ID: {"loginServer": "acrshared.azurecr.io"},
}


class StackReferenceMocks(ArmMocks):
    """Answers a StackReference with the outputs of another stack, as the engine does."""

    def __init__(self, outputs: dict[str, str]):
        super().__init__(FIXTURES)
        self.outputs = outputs

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict]:
        if args.typ == "pulumi:pulumi:StackReference":
            return args.name, {"name": args.name, "outputs": self.outputs, "secretOutputNames": []}
        return super().new_resource(args)


def _ws(**sections: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "w", {"resource_group_name": "rg", "workspace_name": "mlw-w", "tags": {"project": "p"}, **sections}
    )  # type: ignore[typeddict-item]


def _fails(program, the_mocks: ArmMocks | None = None) -> PreviewError:
    with pytest.raises(PreviewError) as err:
        run_program(program, "amlws", "test", {}, [], the_mocks or ArmMocks(FIXTURES))
    assert not [r for r in err.value.registrations if r.type == "azure-native:machinelearningservices:Workspace"]
    return err.value


def test_ids_from_a_stack_reference_are_looked_up_once_known_and_used():
    ids = {"storage": GOOD_STORAGE_ID, "vault": VAULT_ID, "ai": AI_ID, "law": LAW_ID, "acr": ACR_ID}

    def program():
        ref = pulumi.StackReference("org/platform/prod")
        _ws(
            storage={"existing_id": ref.get_output("storage")},
            key_vault={"existing_id": ref.get_output("vault")},
            monitoring={
                "existing_application_insights_id": ref.get_output("ai"),
                "existing_log_analytics_workspace_id": ref.get_output("law"),
            },
            container_registry={"existing_id": ref.get_output("acr")},
        )

    result = run_program(program, "amlws", "test", {}, [], StackReferenceMocks(ids))
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert (ws["storageAccount"], ws["keyVault"], ws["applicationInsights"], ws["containerRegistry"]) == (
        GOOD_STORAGE_ID,
        VAULT_ID,
        AI_ID,
        ACR_ID,
    )
    for kind in (
        "storage:StorageAccount",
        "keyvault:Vault",
        "applicationinsights:Component",
        "containerregistry:Registry",
    ):
        assert not by_type(result, kind), kind  # brought, not created


def test_a_stack_reference_id_that_breaks_the_storage_rules_fails_the_run_before_the_workspace():
    def program():
        ref = pulumi.StackReference("org/platform/prod")
        _ws(storage={"existing_id": ref.get_output("storage")})

    err = _fails(program, StackReferenceMocks({"storage": PREMIUM_ID}))
    assert isinstance(err.cause, WorkspaceStorageError)
    assert f"storage.existing_id={PREMIUM_ID!r}" in str(err) and "premium" in str(err).lower()


def test_a_later_known_premium_account_fails_the_run_and_nothing_uses_it():
    def program():
        _ws(storage={"existing_id": pulumi.Output.from_input("x").apply(lambda _: PREMIUM_ID)})

    err = _fails(program)
    assert isinstance(err.cause, WorkspaceStorageError)
    uses = [
        r.type
        for r in err.registrations
        if "storageAccount" in r.property_dependencies or r.type.endswith("RoleAssignment")
    ]
    assert uses == []  # neither the workspace nor the identity's grants on the account were declared


def test_a_later_known_id_of_nothing_is_refused_by_setting():
    gone = f"{RG}/Microsoft.Storage/storageAccounts/stgone"
    err = _fails(
        lambda: _ws(storage={"existing_id": pulumi.Output.from_input(gone)}), ArmMocks({**FIXTURES, gone: None})
    )
    assert isinstance(err.cause, ComponentInputError)
    assert f"storage.existing_id={gone!r}: no such Microsoft.Storage/storageAccounts exists" in str(err)


def test_output_from_input_of_a_created_vault_id_holds_the_customer_managed_key():
    def program():
        vault = WorkspaceKeyVault(
            "kv", {"resource_group_name": "rg-sec", "vault_name": "kvcreated", "tags": {"project": "p"}}
        )
        _ws(key_vault={"existing_id": pulumi.Output.from_input(vault.id)}, customer_managed_key={"key_name": "cmk"})

    result = run_program(program, "amlws", "test", {}, [], ArmMocks(FIXTURES))
    vault_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kvcreated"
    key = inputs(one(result, "keyvault:Key"))
    assert (key["vaultName"], key["resourceGroupName"]) == ("kvcreated", "rg-sec")
    ws = inputs(one(result, "machinelearningservices:Workspace"))
    assert ws["keyVault"] == vault_id and ws["encryption"]["keyVaultProperties"]["keyVaultArmId"] == vault_id


def test_a_later_known_vault_without_purge_protection_cannot_hold_the_customer_managed_key():
    def program():
        vault = WorkspaceKeyVault(
            "kv", {"resource_group_name": "rg-sec", "vault_name": "kvloose", "enable_purge_protection": False}
        )
        _ws(key_vault={"existing_id": pulumi.Output.from_input(vault.id)}, customer_managed_key={"key_name": "cmk"})

    err = _fails(program)
    assert isinstance(err.cause, ComponentInputError) and "purge protection" in str(err)
    assert not by_type_in(err, "keyvault:Key")


def by_type_in(err: PreviewError, suffix: str) -> list:
    return [r for r in err.registrations if r.type.endswith(suffix)]


def test_facts_given_with_an_output_are_judged_at_once_without_a_lookup():
    def program():
        _ws(
            storage={
                "existing_id": pulumi.Output.from_input(PREMIUM_ID),
                "existing_facts": {"kind": "StorageV2", "sku_name": "Premium_LRS", "is_hns_enabled": False},
            }
        )

    with pytest.raises(PreviewError) as err:
        run_program(program, "amlws", "test", {}, [], ArmMocks({}))  # no fixture: a lookup would fail differently
    assert isinstance(err.value.cause, WorkspaceStorageError) and err.value.registrations == []
