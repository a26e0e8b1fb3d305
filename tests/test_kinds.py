"""Workspace kinds (Default, Hub, Project, FeatureStore): the ARM inputs each kind sends, what each kind refuses,
the stack file's `hub` / `hubResourceId` / `featureStore` / `workspaceHubConfig`, `nameSuffix`, and the prod
protection warning (components/kinds.py, stacks/kinds.py, docs/workspace-kinds.md, docs/soft-delete.md)."""

from __future__ import annotations

import json
import shutil
from typing import cast

import pytest

from amlws.cli import main as cli_main
from amlws.components import MachineLearningWorkspace
from amlws.components.workspace import ComponentInputError, MachineLearningWorkspaceArgs
from amlws.preview import PreviewError, preview_stack
from harness import ROOT, by_type, inputs, one, run
from test_stacks import BASE, preview_config

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
HUB_ID = f"{SUB}/resourceGroups/rg-hub/providers/Microsoft.MachineLearningServices/workspaces/mlw-hub"
STORAGE_ID = f"{SUB}/resourceGroups/rg-hub/providers/Microsoft.Storage/storageAccounts/stextra"
LAW_ID = f"{SUB}/resourceGroups/rg-hub/providers/Microsoft.OperationalInsights/workspaces/log-hub"
ASSOCIATED = ("storageAccount", "keyVault", "applicationInsights", "containerRegistry")


def workspace_inputs(result, name: str) -> dict:
    return inputs(next(r for r in by_type(result, "machinelearningservices:Workspace") if r.name == f"{name}-mlw"))


def declare(**args):
    def program():
        MachineLearningWorkspace("ws", cast(MachineLearningWorkspaceArgs, {"resource_group_name": "rg", **args}))

    return run(program)


def test_a_default_workspace_sends_no_kind_and_keeps_its_associated_resources():
    sent = workspace_inputs(declare(), "ws")
    assert "kind" not in sent and "hubResourceId" not in sent and "featureStoreSettings" not in sent
    assert all(sent.get(prop) for prop in ("storageAccount", "keyVault", "applicationInsights"))


def test_a_hub_sends_its_kind_and_workspace_hub_config():
    config = {
        "additional_workspace_storage_accounts": [STORAGE_ID],
        "default_workspace_resource_group": f"{SUB}/resourceGroups/rg-projects",
    }
    result = declare(
        kind="Hub", managed_network_isolation_mode="AllowOnlyApprovedOutbound", workspace_hub_config=config
    )
    sent = workspace_inputs(result, "ws")
    assert sent["kind"] == "Hub"
    assert sent["workspaceHubConfig"] == {
        "additionalWorkspaceStorageAccounts": [STORAGE_ID],
        "defaultWorkspaceResourceGroup": f"{SUB}/resourceGroups/rg-projects",
    }
    assert all(sent.get(prop) for prop in ("storageAccount", "keyVault", "applicationInsights"))
    assert result.warnings == []


def test_a_hub_whose_network_is_not_isolated_is_warned_about():
    result = declare(kind="Hub", managed_network_isolation_mode="Disabled")
    assert any("the Hub's managedNetwork.isolationMode is Disabled" in w for w in result.warnings), result.warnings
    assert declare(kind="Hub").warnings == []  # the secure default isolates it


def test_a_project_sends_its_hub_and_nothing_its_hub_decides():
    result = declare(kind="Project", hub_resource_id=HUB_ID)
    sent = workspace_inputs(result, "ws")
    assert sent["kind"] == "Project" and sent["hubResourceId"] == HUB_ID
    for prop in (*ASSOCIATED, "managedNetwork", "publicNetworkAccess", "encryption", "systemDatastoresAuthMode"):
        assert prop not in sent, prop
    types = {r.type for r in result.registrations}
    for made in ("storage:StorageAccount", "keyvault:Vault", "applicationinsights:Component", "Workspace"):
        assert any(t.endswith(made) for t in types) == (made == "Workspace"), made
    assert by_type(result, "monitor:DiagnosticSetting") == []  # no Log Analytics workspace of its own


def test_a_projects_resource_logs_go_to_the_log_analytics_workspace_it_is_given():
    result = declare(kind="Project", hub_resource_id=HUB_ID, diagnostics_workspace_id=LAW_ID)
    setting = one(result, "monitor:DiagnosticSetting")
    assert inputs(setting)["workspaceId"] == LAW_ID


def test_a_feature_store_sends_its_settings():
    settings = {
        "spark_runtime_version": "3.4",
        "offline_store_connection_name": "offline-adls",
        "online_store_connection_name": "online-redis",
    }
    sent = workspace_inputs(declare(kind="FeatureStore", feature_store=settings), "ws")
    assert sent["kind"] == "FeatureStore"
    assert sent["featureStoreSettings"] == {
        "computeRuntime": {"sparkRuntimeVersion": "3.4"},
        "offlineStoreConnectionName": "offline-adls",
        "onlineStoreConnectionName": "online-redis",
    }
    assert sent["storageAccount"] and sent["keyVault"] and sent["applicationInsights"]


def test_a_project_waits_for_the_hub_it_names_by_output():
    def program():
        hub = MachineLearningWorkspace(
            "hub",
            {"resource_group_name": "rg", "kind": "Hub", "managed_network_isolation_mode": "AllowInternetOutbound"},
        )
        MachineLearningWorkspace(
            "p1", {"resource_group_name": "rg", "kind": "Project", "hub_resource_id": hub.workspace_id}
        )

    result = run(program)
    hub = next(r for r in by_type(result, "machinelearningservices:Workspace") if r.name == "hub-mlw")
    project = next(r for r in by_type(result, "machinelearningservices:Workspace") if r.name == "p1-mlw")
    assert inputs(project)["hubResourceId"].endswith("/workspaces/mlw-hub")
    assert hub.urn in project.property_dependencies["hubResourceId"]


PROJECT = {"kind": "Project", "hub_resource_id": HUB_ID}


@pytest.mark.parametrize(
    "args, setting, says",
    [
        ({"kind": "Lakehouse"}, "kind", "Default, Hub, Project, FeatureStore"),
        ({"kind": "Project"}, "hub_resource_id", "must name its hub in hubResourceId"),
        ({**PROJECT, "hub_resource_id": STORAGE_ID}, "hub_resource_id", "Microsoft.MachineLearningServices/workspaces"),
        ({**PROJECT, "storage": {}}, "storage", "uses its hub's storageAccount"),
        ({**PROJECT, "key_vault": {"existing_id": "x"}}, "key_vault", "uses its hub's keyVault"),
        ({**PROJECT, "monitoring": {}}, "monitoring", "uses its hub's applicationInsights"),
        ({**PROJECT, "container_registry": {}}, "container_registry", "uses its hub's containerRegistry"),
        ({**PROJECT, "customer_managed_key": {"key_name": "k"}}, "customer_managed_key", "customer-managed key"),
        ({**PROJECT, "managed_network_isolation_mode": "Disabled"}, "managed_network_isolation_mode", "network"),
        ({**PROJECT, "managed_network_outbound_rules": {}}, "managed_network_outbound_rules", "add the rule"),
        ({**PROJECT, "public_network_access": "Enabled"}, "public_network_access", "on the hub"),
        (
            {**PROJECT, "private_endpoints": {"subnet_id": "s", "private_dns_zone_ids": {}}},
            "private_endpoints",
            "hub's private endpoints",
        ),
        ({**PROJECT, "workspace_identity": {}}, "workspace_identity", "give the hub the workspace identity"),
        ({**PROJECT, "environments": []}, "environments", "register environments on the hub"),
        ({**PROJECT, "image_build_compute": "c"}, "image_build_compute", "on the hub"),
        ({**PROJECT, "diagnostics": True}, "diagnostics", "set diagnostics_workspace_id"),
        ({**PROJECT, "diagnostics_workspace_id": STORAGE_ID}, "diagnostics_workspace_id", "OperationalInsights"),
        ({"hub_resource_id": HUB_ID}, "hub_resource_id", "only a Project takes it (kind is Default)"),
        ({"kind": "Hub", "diagnostics_workspace_id": LAW_ID}, "diagnostics_workspace_id", "only a Project"),
        ({"workspace_hub_config": {}}, "workspace_hub_config", "only a Hub takes it (kind is Default)"),
        (
            {"kind": "Hub", "workspace_hub_config": {"additional_workspace_storage_accounts": [HUB_ID]}},
            "workspace_hub_config.additional_workspace_storage_accounts[0]",
            "not an ARM ID of a Microsoft.Storage/storageAccounts",
        ),
        (
            {"kind": "Hub", "workspace_hub_config": {"default_workspace_resource_group": "rg-projects"}},
            "workspace_hub_config.default_workspace_resource_group",
            "is not an ARM ID of a Microsoft.Resources/resourceGroups",
        ),
        ({"kind": "Hub", "feature_store": {"spark_runtime_version": "3.4"}}, "feature_store", "kind is Hub"),
        ({"kind": "FeatureStore"}, "feature_store", "Required if kind is set to FeatureStore"),
        (
            {"kind": "FeatureStore", "feature_store": {"spark_runtime_version": "latest"}},
            "feature_store.spark_runtime_version",
            "as major.minor",
        ),
        (
            {
                "kind": "FeatureStore",
                "feature_store": {"spark_runtime_version": "3.4", "online_store_connection_name": "r"},
            },
            "feature_store.online_store_connection_name",
            "a workspace connection name",
        ),
        ({"name_suffix": "Two_1"}, "name_suffix", "lowercase letters and digits"),
    ],
)
def test_what_a_kind_does_not_take_is_refused_by_name(args, setting, says):
    with pytest.raises(ComponentInputError) as err:
        declare(**args)
    assert err.value.setting == setting
    assert says in err.value.problem


def test_kind_is_compared_without_regard_to_case_and_sent_as_azure_spells_it():
    assert (
        workspace_inputs(declare(kind="featurestore", feature_store={"spark_runtime_version": "3.4"}), "ws")["kind"]
        == "FeatureStore"
    )


def test_name_suffix_changes_the_workspace_and_key_vault_names_only():
    plain, suffixed = declare(), declare(name_suffix="r2")
    assert workspace_inputs(plain, "ws")["workspaceName"] == "mlw-ws"
    assert workspace_inputs(suffixed, "ws")["workspaceName"] == "mlw-ws-r2"
    vault = [inputs(one(r, "keyvault:Vault"))["vaultName"] for r in (plain, suffixed)]
    assert vault[0] != vault[1] and vault[1].startswith("kv-ws-keyvault-r2-")
    account = [inputs(one(r, "storage:StorageAccount"))["accountName"] for r in (plain, suffixed)]
    assert account[0] == account[1]
    given = declare(name_suffix="r2", workspace_name="mlw-mine")
    assert workspace_inputs(given, "ws")["workspaceName"] == "mlw-mine"


# The stack file: hub / hubResourceId / featureStore / workspaceHubConfig / nameSuffix.

HUB = {"project": "genai", "kind": "Hub", "managedNetworkIsolationMode": "AllowInternetOutbound"}


def stack(*workspaces, **extra):
    return {**BASE, **extra, "workspaces": list(workspaces)}


def test_a_stack_resolves_hub_by_project_in_any_order():
    before = preview_config(stack({"project": "bot", "kind": "Project", "hub": "genai"}, HUB))
    after = preview_config(stack(HUB, {"project": "bot", "kind": "Project", "hub": "genai"}))
    for result in (before, after):
        hub = next(r for r in by_type(result, "machinelearningservices:Workspace") if r.name == "genai-mlw")
        bot = next(r for r in by_type(result, "machinelearningservices:Workspace") if r.name == "bot-mlw")
        assert inputs(bot)["hubResourceId"].endswith("/workspaces/mlw-genai-qa")
        assert inputs(bot)["kind"] == "Project" and "storageAccount" not in inputs(bot)
        assert hub.urn in bot.dependencies
        law = inputs(one(result, "operationalinsights:Workspace"))["workspaceName"]
        diag = next(r for r in by_type(result, "monitor:DiagnosticSetting") if r.name == "bot-mlw-diag")
        assert inputs(diag)["workspaceId"].endswith(f"/workspaces/{law}")  # the hub's Log Analytics workspace
    assert sorted(r.urn for r in before.registrations) == sorted(r.urn for r in after.registrations)


def test_a_stack_sends_feature_store_and_hub_config_and_hub_resource_id():
    result = preview_config(
        stack(
            {**HUB, "workspaceHubConfig": {"additionalWorkspaceStorageAccounts": [STORAGE_ID]}},
            {"project": "ext", "kind": "Project", "hubResourceId": HUB_ID},
            {"project": "feat", "kind": "FeatureStore", "featureStore": {"sparkRuntimeVersion": "3.4"}},
        )
    )
    assert workspace_inputs(result, "genai")["workspaceHubConfig"] == {
        "additionalWorkspaceStorageAccounts": [STORAGE_ID]
    }
    assert workspace_inputs(result, "ext")["hubResourceId"] == HUB_ID
    assert workspace_inputs(result, "feat")["featureStoreSettings"] == {
        "computeRuntime": {"sparkRuntimeVersion": "3.4"}
    }


@pytest.mark.parametrize(
    "workspaces, expected",
    [
        (
            [{"project": "bot", "kind": "Project", "hub": "nope"}, HUB],
            'amlws:workspaces[0].hub = "nope": names no workspace of this stack (its Hub workspaces: genai)',
        ),
        (
            [{"project": "bot", "kind": "Project", "hub": "plain"}, {"project": "plain"}],
            'amlws:workspaces[0].hub = "plain": hub names workspace plain, of kind Default, not a Hub',
        ),
        (
            [{"project": "bot", "kind": "Project", "hub": "genai", "hubResourceId": HUB_ID}, HUB],
            'amlws:workspaces[0].hub = "genai": give one of hub (a Hub workspace of this stack) or hubResourceId',
        ),
        ([{"project": "bot", "hub": "genai"}, HUB], "only a Project names a hub (kind is Default)"),
        ([{"project": "bot", "kind": "Project"}], 'amlws:workspaces[0].kind = "Project": a Project names its hub'),
        (
            [{"project": "bot", "kind": "Project", "hub": "genai", "storage": {}}, HUB],
            "a Project workspace uses its hub's storageAccount; it declares none of its own (storageAccount is set): "
            "remove storage (project bot",
        ),
        (
            [{"project": "feat", "kind": "FeatureStore"}],
            "amlws:workspaces[0].featureStore = null: a FeatureStore needs featureStoreSettings",
        ),
        ([{"project": "xy", "workspaceHubConfig": {}}], "amlws:workspaces[0].workspaceHubConfig = {}: only a Hub"),
        ([{"project": "xy", "kind": "Lake"}], "amlws:workspaces[0].kind = \"Lake\": Input should be 'Default'"),
    ],
)
def test_stack_refusals_name_the_key_as_written(workspaces, expected):
    with pytest.raises(PreviewError) as err:
        preview_config(stack(*workspaces))
    assert "Pulumi.qa.yaml" in str(err.value) and expected in str(err.value), str(err.value)
    assert err.value.registrations == []


def test_a_bad_hub_is_named_with_its_line_in_the_stack_file(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, project / name)
    text = (
        "config:\n  azure-native:location: westeurope\n  amlws:environment: qa\n  amlws:location: westeurope\n"
        "  amlws:tags: {owner: qa}\n  amlws:workspaces:\n    - project: genai\n      kind: Hub\n"
        "    - project: bot\n      kind: Project\n      hub: genia\n"
    )
    (project / "Pulumi.qa.yaml").write_text(text)
    with pytest.raises(PreviewError) as err:
        preview_stack(project, "qa")
    assert 'Pulumi.qa.yaml:11:7: amlws:workspaces[1].hub = "genia": names no workspace of this stack' in str(err.value)


def test_name_suffix_in_a_stack_renames_workspaces_and_key_vaults_only():
    plain = preview_config(stack({"project": "churn"}))
    suffixed = preview_config(stack({"project": "churn"}, nameSuffix="b"))
    assert workspace_inputs(plain, "churn")["workspaceName"] == "mlw-churn-qa"
    assert workspace_inputs(suffixed, "churn")["workspaceName"] == "mlw-churn-qa-b"
    names = [
        {
            r.type.split(":")[-1]: inputs(r).get(key)
            for r in result.registrations
            for key in ("vaultName", "accountName")
            if key in inputs(r)
        }
        for result in (plain, suffixed)
    ]
    assert names[0]["Vault"] != names[1]["Vault"] and names[0]["StorageAccount"] == names[1]["StorageAccount"]


def test_name_suffix_is_kept_whole_in_a_long_workspace_name():
    long = preview_config(stack({"project": "a-very-long-project-x"}, nameSuffix="abc123", environment="production"))
    name = workspace_inputs(long, "a-very-long-project-x")["workspaceName"]
    assert name.endswith("-abc123") and len(name) <= 33


@pytest.mark.parametrize("suffix", ["", "UPPER", "toolong7", "a-b"])
def test_a_bad_name_suffix_is_refused(suffix):
    with pytest.raises(PreviewError) as err:
        preview_config(stack({"project": "churn"}, nameSuffix=suffix))
    assert "amlws:nameSuffix" in str(err.value)


@pytest.mark.parametrize("protect, warned", [(False, True), (True, False)])
def test_an_unprotected_prod_stack_is_warned_about(protect, warned):
    result = preview_config(stack({"project": "churn"}, environment="prod", protect=protect))
    found = [w for w in result.warnings if "amlws:environment is prod but amlws:protect is false" in w]
    assert bool(found) == warned, result.warnings
    if warned:
        assert "docs/soft-delete.md" in found[0]


def test_an_unprotected_dev_stack_is_not_warned_about():
    result = preview_config(stack({"project": "churn"}, protect=False))
    assert not [w for w in result.warnings if "amlws:protect" in w]


def test_the_foundry_example_previews_with_the_pack_and_no_mandatory_violation(tmp_path, capsys):
    """examples/foundry: a Hub, two Projects declared before it, and a FeatureStore, under the policy pack."""
    out = tmp_path / "foundry.json"
    code = cli_main(
        [
            "preview",
            "dev",
            "--cwd",
            str(ROOT / "examples/foundry"),
            "--policy-pack",
            str(ROOT / "policy"),
            "--policy-config",
            str(ROOT / "policy/config/dev.json"),
            "--json",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0, capsys.readouterr()
    report = json.loads(out.read_text())
    kinds = {
        r["name"]: r["inputs"].get("kind")
        for r in report["resources"]
        if r["type"] == "azure-native:machinelearningservices:Workspace"
    }
    assert kinds == {
        "genai-mlw": "Hub",
        "support-bot-mlw": "Project",
        "doc-search-mlw": "Project",
        "features-mlw": "FeatureStore",
    }
    assert not [v for v in report["violations"] if v["level"] == "mandatory"]
    (connection,) = [
        r for r in report["resources"] if r["type"] == "azure-native:machinelearningservices:WorkspaceConnection"
    ]
    assert connection["parent"].endswith("::genai") and connection["inputs"]["properties"]["authType"] == "AAD"
    openai_user = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"  # Cognitive Services OpenAI User, on the account
    assert [
        r["inputs"]["scope"]
        for r in report["resources"]
        if r["type"] == "azure-native:authorization:RoleAssignment"
        and r["inputs"]["roleDefinitionId"].endswith(openai_user)
    ] == [connection["inputs"]["properties"]["metadata"]["ResourceId"]]
