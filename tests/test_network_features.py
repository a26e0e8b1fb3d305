"""Managed network firewall SKU, provision-now, Spark on private endpoint rules, diagnostic settings to several
destinations, private endpoints without a DNS zone group and the system datastores' auth mode: the ARM inputs each
feature declares, and each refusal with its setting path."""

import pytest

from amlws.components import ComponentInputError, MachineLearningWorkspace
from amlws.mocks import SUBSCRIPTION_ID
from harness import by_type, inputs, one, run, storage_fixture

RG = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-ops/providers"
LAW = f"{RG}/Microsoft.OperationalInsights/workspaces/law-audit"
ARCHIVE = f"{RG}/Microsoft.Storage/storageAccounts/starchive"
HUB_RULE = f"{RG}/Microsoft.EventHub/namespaces/evh-siem/authorizationRules/RootManageSharedAccessKey"
BLOB_TARGET = f"{RG}/Microsoft.Storage/storageAccounts/stdata"
VAULT_TARGET = f"{RG}/Microsoft.KeyVault/vaults/kv-data"
NET = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network"
SUBNET = f"{NET}/virtualNetworks/vnet/subnets/pe"


def workspace(**overrides):
    args = {"resource_group_name": "rg", "location": "westeurope", "workspace_name": "mlw-w", "tags": {"project": "p"}}
    args.update(overrides)
    return lambda: MachineLearningWorkspace("w", args)


def workspace_inputs(**overrides) -> dict:
    return inputs(one(run(workspace(**overrides)), "machinelearningservices:Workspace"))


def refused(setting: str, match: str, fixtures: dict | None = None, **overrides) -> None:
    with pytest.raises(ComponentInputError) as caught:
        run(workspace(**overrides), fixtures)
    assert caught.value.setting == setting, str(caught.value)
    assert caught.match(match)


# Managed network: firewall SKU, provision now, Spark ----------------------------------------------------------


def test_firewall_sku_is_sent_with_approved_outbound_in_the_spec_spelling():
    got = workspace_inputs(
        managed_network_isolation_mode="AllowOnlyApprovedOutbound", managed_network_firewall_sku="basic"
    )
    assert got["managedNetwork"]["firewallSku"] == "Basic"
    assert got["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"


def test_no_firewall_sku_is_sent_unless_asked():
    got = workspace_inputs()
    assert "firewallSku" not in got["managedNetwork"] and "provisionNetworkNow" not in got


def test_firewall_sku_with_the_default_isolation_is_sent():
    # The component's default isolation is AllowOnlyApprovedOutbound (outbound.DEFAULT_ISOLATION_MODE).
    assert workspace_inputs(managed_network_firewall_sku="Standard")["managedNetwork"]["firewallSku"] == "Standard"


@pytest.mark.parametrize("mode", ["AllowInternetOutbound", "Disabled"])
def test_firewall_sku_without_approved_outbound_is_refused(mode):
    network = {"managed_network_isolation_mode": mode}
    refused(
        "managed_network_firewall_sku",
        "only with managed_network_isolation_mode AllowOnlyApprovedOutbound",
        managed_network_firewall_sku="Standard",
        **network,
    )


def test_unknown_firewall_sku_is_refused():
    refused(
        "managed_network_firewall_sku",
        "must be one of Basic, Standard",
        managed_network_isolation_mode="AllowOnlyApprovedOutbound",
        managed_network_firewall_sku="Premium",
    )


def test_provision_network_now_is_a_workspace_property():
    got = workspace_inputs(managed_network_isolation_mode="AllowInternetOutbound", provision_network_now=True)
    assert got["provisionNetworkNow"] is True


def test_provision_network_now_without_a_managed_network_is_refused():
    refused(
        "provision_network_now", "there is none", provision_network_now=True, managed_network_isolation_mode="Disabled"
    )
    refused(
        "provision_network_now",
        "valid boolean",
        managed_network_isolation_mode="AllowInternetOutbound",
        provision_network_now="yes",
    )


def rule(**extra):
    return {"type": "PrivateEndpoint", "service_resource_id": BLOB_TARGET, "subresource_target": "blob", **extra}


def test_spark_enabled_reaches_the_private_endpoint_destination_and_stays_false_by_default():
    got = workspace_inputs(
        managed_network_isolation_mode="AllowInternetOutbound",
        managed_network_outbound_rules={"spark": rule(spark_enabled=True), "plain": rule()},
    )
    rules = got["managedNetwork"]["outboundRules"]
    assert rules["spark"]["destination"]["sparkEnabled"] is True
    assert rules["plain"]["destination"]["sparkEnabled"] is False


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"type": "ServiceTag", "service_tag": "AzureMonitor", "spark_enabled": True}, "only a PrivateEndpoint rule"),
        (rule(service_resource_id=VAULT_TARGET, subresource_target="vault", spark_enabled=True), "Azure Storage"),
        (rule(spark_enabled="true"), "valid boolean"),
    ],
)
def test_spark_where_azure_has_none_is_refused(bad, match):
    refused(
        "managed_network_outbound_rules.r.spark_enabled",
        match,
        managed_network_isolation_mode="AllowOnlyApprovedOutbound",
        managed_network_outbound_rules={"r": bad},
    )


# System datastores auth mode ---------------------------------------------------------------------------------


def test_auth_mode_default_is_unchanged():
    assert workspace_inputs()["systemDatastoresAuthMode"] == "identity"
    shared = workspace_inputs(storage={"allow_shared_key_access": True})
    assert shared["systemDatastoresAuthMode"] == "accessKey"


@pytest.mark.parametrize(
    "given, storage, sent",
    [
        ("identity", {}, "identity"),
        ("Identity", {"allow_shared_key_access": True}, "identity"),
        ("UserDelegationSAS", {}, "UserDelegationSAS"),
        ("AccessKey", {"allow_shared_key_access": True}, "accessKey"),
    ],
)
def test_explicit_auth_mode_is_sent(given, storage, sent):
    got = workspace_inputs(system_datastores_auth_mode=given, storage=storage)
    assert got["systemDatastoresAuthMode"] == sent


def test_access_key_on_storage_without_shared_keys_is_refused():
    refused(
        "system_datastores_auth_mode",
        "storage.allow_shared_key_access is false",
        system_datastores_auth_mode="AccessKey",
    )
    refused(
        "system_datastores_auth_mode",
        "must be one of AccessKey, Identity, UserDelegationSAS",
        system_datastores_auth_mode="Key",
    )


def test_access_key_on_an_existing_account_follows_its_looked_up_setting():
    keyless = storage_fixture("stkeyless", "StorageV2", "Standard_LRS", False)
    account_id = next(iter(keyless))
    keyless[account_id]["allowSharedKeyAccess"] = False
    refused(
        "system_datastores_auth_mode",
        "existing account's allowSharedKeyAccess is false",
        keyless,
        system_datastores_auth_mode="AccessKey",
        storage={"existing_id": account_id},
    )
    keyed = storage_fixture("stkeyed", "StorageV2", "Standard_LRS", False)  # allowSharedKeyAccess null: true
    got = inputs(
        one(
            run(workspace(system_datastores_auth_mode="AccessKey", storage={"existing_id": next(iter(keyed))}), keyed),
            "machinelearningservices:Workspace",
        )
    )
    assert got["systemDatastoresAuthMode"] == "accessKey"


# Private endpoints without a DNS zone group --------------------------------------------------------------------


def test_private_endpoints_without_a_zone_group_declare_no_dns_records():
    result = run(workspace(private_endpoints={"subnet_id": SUBNET, "private_dns_zone_group": False}))
    assert {r.name for r in by_type(result, "network:PrivateEndpoint")} == {
        "w-pe-mlw",
        "w-pe-st-blob",
        "w-pe-st-file",
        "w-pe-kv",
    }
    assert by_type(result, "network:PrivateDnsZoneGroup") == []


def test_zone_ids_beside_no_zone_group_are_refused():
    zone = f"{NET}/privateDnsZones/privatelink.api.azureml.ms"
    refused(
        "private_endpoints.private_dns_zone_ids",
        "would be ignored",
        private_endpoints={
            "subnet_id": SUBNET,
            "private_dns_zone_group": False,
            "private_dns_zone_ids": {"privatelink.api.azureml.ms": zone},
        },
    )
    refused(
        "private_endpoints.private_dns_zone_group",
        "valid boolean",
        private_endpoints={"subnet_id": SUBNET, "private_dns_zone_group": "no"},
    )


# Diagnostic settings to several destinations -----------------------------------------------------------------


def settings_of(result) -> dict[str, dict]:
    return {inputs(r)["name"]: inputs(r) for r in by_type(result, "monitor:DiagnosticSetting")}


def test_a_list_sends_the_workspace_to_several_destinations_and_keeps_the_associated_defaults():
    result = run(
        workspace(
            diagnostic_settings=[
                {"name": "to-audit-law", "workspace_resource_id": LAW, "log_analytics_destination_type": "dedicated"},
                {
                    "name": "to-archive",
                    "storage_account_resource_id": ARCHIVE,
                    "log_categories_and_groups": [
                        {"category": "AmlComputeJobEvent"},
                        {"category_group": "AUDIT", "enabled": False},
                    ],
                },
                {
                    "event_hub_authorization_rule_resource_id": HUB_RULE,
                    "event_hub_name": "aml",
                    "metric_categories": [{"category": "AllMetrics"}],
                },
            ]
        )
    )
    workspace_settings = {
        reg.name: inputs(reg)
        for reg in by_type(result, "monitor:DiagnosticSetting")
        if reg.name.startswith("w-mlw-diag")
    }
    assert set(workspace_settings) == {"w-mlw-diag-to-audit-law", "w-mlw-diag-to-archive", "w-mlw-diag-diagnostics-3"}
    law = workspace_settings["w-mlw-diag-to-audit-law"]
    assert law["workspaceId"] == LAW and law["logAnalyticsDestinationType"] == "Dedicated"
    assert law["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert law["metrics"] == [{"category": "AllMetrics", "enabled": True}]
    archive = workspace_settings["w-mlw-diag-to-archive"]
    assert archive["storageAccountId"] == ARCHIVE and "metrics" not in archive
    assert archive["logs"] == [
        {"category": "AmlComputeJobEvent", "enabled": True},
        {"categoryGroup": "audit", "enabled": False},
    ]
    hub = workspace_settings["w-mlw-diag-diagnostics-3"]
    assert hub["eventHubAuthorizationRuleId"] == HUB_RULE and hub["eventHubName"] == "aml" and "logs" not in hub
    # The created storage's services and vault keep their one setting to the stack's Log Analytics workspace.
    others = {r.name for r in by_type(result, "monitor:DiagnosticSetting")} - set(workspace_settings)
    assert others == {"w-keyvault-kv-diag", "w-storage-blob-diag", "w-storage-file-diag"}


def test_true_keeps_today_one_setting_on_the_workspace():
    names = {r.name for r in by_type(run(workspace(diagnostics=True)), "monitor:DiagnosticSetting")}
    assert names == {"w-mlw-diag", "w-keyvault-kv-diag", "w-storage-blob-diag", "w-storage-file-diag"}


def test_false_with_a_list_leaves_the_associated_resources_without_settings():
    result = run(workspace(diagnostics=False, diagnostic_settings=[{"workspace_resource_id": LAW}]))
    assert [r.name for r in by_type(result, "monitor:DiagnosticSetting")] == ["w-mlw-diag-diagnostics-1"]


@pytest.mark.parametrize(
    "settings, setting, match",
    [
        ([{"workspace_resource_id": LAW, "name": f"s{i}"} for i in range(6)], "diagnostic_settings", "at most 5"),
        ([], "diagnostic_settings", "is empty"),
        ([{"name": "x"}], "diagnostic_settings[0]", "needs a destination"),
        ([{"workspace_resource_id": ARCHIVE}], "diagnostic_settings[0].workspace_resource_id", "OperationalInsights"),
        (
            [{"storage_account_resource_id": LAW}],
            "diagnostic_settings[0].storage_account_resource_id",
            "Microsoft.Storage",
        ),
        (
            [{"workspace_resource_id": LAW, "event_hub_name": "x"}],
            "diagnostic_settings[0].event_hub_name",
            "needs event_hub",
        ),
        (
            [{"storage_account_resource_id": ARCHIVE, "log_analytics_destination_type": "Dedicated"}],
            "diagnostic_settings[0].log_analytics_destination_type",
            "needs workspace_resource_id",
        ),
        (
            [{"workspace_resource_id": LAW, "log_analytics_destination_type": "Tables"}],
            "diagnostic_settings[0].log_analytics_destination_type",
            "Dedicated, AzureDiagnostics",
        ),
        (
            [
                {
                    "workspace_resource_id": LAW,
                    "log_categories_and_groups": [{"category": "a", "category_group": "allLogs"}],
                }
            ],
            "diagnostic_settings[0].log_categories_and_groups[0]",
            "exactly one of category or category_group",
        ),
        (
            [{"workspace_resource_id": LAW, "log_categories_and_groups": [{"category_group": "everything"}]}],
            "diagnostic_settings[0].log_categories_and_groups[0].category_group",
            "allLogs, audit",
        ),
        (
            [{"workspace_resource_id": LAW, "metric_categories": [{"enabled": True}]}],
            "diagnostic_settings[0].metric_categories[0].category",
            "required",
        ),
        (
            [{"workspace_resource_id": LAW, "log_categories_and_groups": [], "metric_categories": []}],
            "diagnostic_settings[0]",
            "sends nothing",
        ),
        (
            [{"workspace_resourceid": LAW}],
            "diagnostic_settings[0].workspace_resourceid",
            "did you mean 'workspace_resource_id'",
        ),
        (
            [{"name": "a", "workspace_resource_id": LAW}, {"name": "A", "storage_account_resource_id": ARCHIVE}],
            "diagnostic_settings[1].name",
            "already in the list",
        ),
        (
            [{"name": "send-to-log-analytics", "workspace_resource_id": LAW}],
            "diagnostic_settings[0].name",
            "choose another",
        ),
        (
            [
                {"workspace_resource_id": LAW},
                {
                    "workspace_resource_id": LAW.upper().replace("/SUBSCRIPTIONS", "/subscriptions"),
                    "log_categories_and_groups": [{"category": "AmlComputeJobEvent"}],
                },
            ],
            "diagnostic_settings[1]",
            "allLogs .*Data sinks can't be reused",
        ),
        (
            [
                {"workspace_resource_id": LAW, "metric_categories": [{"category": "AllMetrics"}]},
                {"workspace_resource_id": LAW, "metric_categories": [{"category": "Active Cores"}]},
            ],
            "diagnostic_settings[1]",
            "AllMetrics",
        ),
    ],
)
def test_diagnostic_settings_azure_would_refuse_are_refused(settings, setting, match):
    refused(setting, match, diagnostic_settings=settings)


def test_one_destination_may_take_different_categories_from_two_settings():
    result = run(
        workspace(
            diagnostics=False,
            diagnostic_settings=[
                {
                    "name": "logs",
                    "workspace_resource_id": LAW,
                    "log_categories_and_groups": [{"category_group": "allLogs"}],
                },
                {"name": "metrics", "workspace_resource_id": LAW, "metric_categories": [{"category": "AllMetrics"}]},
            ],
        )
    )
    assert set(settings_of(result)) == {"logs", "metrics"}


# A Project uses its hub's network and storage -------------------------------------------------------------------

HUB = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-hub/providers/Microsoft.MachineLearningServices/workspaces/hub"
)


@pytest.mark.parametrize(
    "setting, value",
    [
        ("managed_network_firewall_sku", "Basic"),
        ("provision_network_now", True),
        ("system_datastores_auth_mode", "Identity"),
    ],
)
def test_a_project_refuses_its_hubs_network_and_storage_settings(setting, value):
    refused(setting, "hub", kind="Project", hub_resource_id=HUB, **{setting: value})


def test_a_project_sends_no_system_datastores_auth_mode():
    project = {"resource_group_name": "rg", "kind": "Project", "hub_resource_id": HUB}
    result = run(lambda: MachineLearningWorkspace("p", project))  # type: ignore[arg-type]
    assert "systemDatastoresAuthMode" not in inputs(one(result, "machinelearningservices:Workspace"))
