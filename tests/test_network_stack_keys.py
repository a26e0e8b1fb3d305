"""The stack keys of the managed network's firewall SKU and provision-now, Spark on outbound rules, the workspace's
diagnostic settings list, private endpoints without a DNS zone group and the system datastores' auth mode: a stack
file with them previews to the right ARM inputs; bad values are refused naming the stack file and the key as
written."""

from __future__ import annotations

import json

import pytest

from amlws.mocks import SUBSCRIPTION_ID, ArmMocks
from amlws.preview import PreviewError, run_program
from amlws.stacks.config import StackConfigError
from amlws.stacks.program import main
from harness import by_type, inputs, one

STACK_FILE = "Pulumi.qa.yaml"
BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}
OPS = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-ops/providers"
LAW = f"{OPS}/Microsoft.OperationalInsights/workspaces/law-audit"
ARCHIVE = f"{OPS}/Microsoft.Storage/storageAccounts/starchive"
DATA = f"{OPS}/Microsoft.Storage/storageAccounts/stdata"
VNET = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub"


def preview(workspace: dict, **stack):
    config = {**BASE, "workspaces": [{"project": "churn", **workspace}], **stack}
    raw = {f"amlws:{k}": json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in config.items()}
    return run_program(main, "amlws", "qa", raw, [], ArmMocks({}))


def refused(workspace: dict, **stack) -> str:
    with pytest.raises(PreviewError) as caught:
        preview(workspace, **stack)
    assert isinstance(caught.value.cause, StackConfigError), caught.value.cause
    assert caught.value.registrations == []
    message = str(caught.value.cause)
    assert message.startswith(f"{STACK_FILE}: invalid configuration:"), message
    return message


def test_a_stack_file_with_the_network_keys_previews_to_the_workspace_inputs():
    result = preview(
        {
            "managedNetworkIsolationMode": "AllowOnlyApprovedOutbound",
            "managedNetworkFirewallSku": "Basic",
            "provisionNetworkNow": True,
            "systemDatastoresAuthMode": "identity",
            "managedNetworkOutboundRules": {
                "data": {
                    "type": "PrivateEndpoint",
                    "serviceResourceId": DATA,
                    "subresourceTarget": "blob",
                    "sparkEnabled": True,
                }
            },
        }
    )
    got = inputs(one(result, "machinelearningservices:Workspace"))
    assert got["managedNetwork"]["firewallSku"] == "Basic" and got["provisionNetworkNow"] is True
    assert got["managedNetwork"]["outboundRules"]["data"]["destination"]["sparkEnabled"] is True
    assert got["systemDatastoresAuthMode"] == "identity"


def test_a_diagnostics_list_in_the_stack_file_becomes_the_workspace_settings():
    result = preview(
        {
            "diagnostics": [
                {"name": "audit", "workspaceResourceId": LAW, "logAnalyticsDestinationType": "Dedicated"},
                {"storageAccountResourceId": ARCHIVE, "logCategoriesAndGroups": [{"categoryGroup": "audit"}]},
            ]
        }
    )
    settings = {r.name: inputs(r) for r in by_type(result, "monitor:DiagnosticSetting") if "-mlw-diag" in r.name}
    assert {s["name"] for s in settings.values()} == {"audit", "diagnostics-2"}
    by_name = {s["name"]: s for s in settings.values()}
    assert by_name["audit"]["workspaceId"] == LAW and by_name["audit"]["logAnalyticsDestinationType"] == "Dedicated"
    assert by_name["diagnostics-2"]["storageAccountId"] == ARCHIVE
    assert by_name["diagnostics-2"]["logs"] == [{"categoryGroup": "audit", "enabled": True}]


def test_endpoints_without_a_zone_group_make_the_stack_create_no_dns_zones():
    network = {"virtualNetworkId": VNET}
    result = preview({"privateEndpoints": {"subnetName": "pe", "privateDnsZoneGroup": False}}, network=network)
    assert by_type(result, "network:PrivateEndpoint") and by_type(result, "network:PrivateDnsZoneGroup") == []
    assert by_type(result, "privatedns:PrivateZone") == []
    with_group = preview({"privateEndpoints": {"subnetName": "pe"}}, network=network)
    assert by_type(with_group, "privatedns:PrivateZone") and by_type(with_group, "network:PrivateDnsZoneGroup")


@pytest.mark.parametrize(
    "workspace, expected",
    [
        (
            {"managedNetworkIsolationMode": "AllowInternetOutbound", "managedNetworkFirewallSku": "Basic"},
            'amlws:workspaces[0].managedNetworkFirewallSku = "Basic": Azure deploys a firewall',
        ),
        ({"managedNetworkFirewallSku": "Premium"}, "amlws:workspaces[0].managedNetworkFirewallSku"),
        (
            {"managedNetworkIsolationMode": "Disabled", "provisionNetworkNow": True},
            "amlws:workspaces[0].provisionNetworkNow = true: provisions the managed network, and there is none",
        ),
        ({"systemDatastoresAuthMode": "sharedKey"}, "amlws:workspaces[0].systemDatastoresAuthMode"),
        (
            {"systemDatastoresAuthMode": "AccessKey"},
            'amlws:workspaces[0].systemDatastoresAuthMode = "AccessKey": the workspace storage refuses account keys '
            "(storage.allowSharedKeyAccess is false",
        ),
        (
            {
                "managedNetworkOutboundRules": {
                    "kv": {
                        "type": "PrivateEndpoint",
                        "serviceResourceId": f"{OPS}/Microsoft.KeyVault/vaults/kv-data",
                        "subresourceTarget": "vault",
                        "sparkEnabled": True,
                    }
                }
            },
            "amlws:workspaces[0].managedNetworkOutboundRules.kv.sparkEnabled = true: Spark is enabled only",
        ),
        (
            {"diagnostics": [{"name": f"s{i}", "workspaceResourceId": LAW} for i in range(6)]},
            "amlws:workspaces[0].diagnostics = ",
        ),
        (
            {"diagnostics": [{"workspaceResourceId": ARCHIVE}]},
            "amlws:workspaces[0].diagnostics[0].workspaceResourceId = ",
        ),
        (
            {"diagnostics": [{"workspaceResourceId": LAW}, {"workspaceResourceId": LAW}]},
            'amlws:workspaces[0].diagnostics[1] = "diagnostics-2": sends AllMetrics, allLogs to the '
            f"workspaceResourceId {LAW} that setting [0] (diagnostics-1)",
        ),
        ({"diagnostics": [{"workspaceResourceID": LAW}]}, "amlws:workspaces[0].diagnostics"),
    ],
)
def test_bad_values_are_refused_naming_the_stack_file_and_key(workspace, expected):
    message = refused(workspace)
    assert expected.lower() in message.lower(), message


def test_zone_ids_are_not_taken_beside_no_zone_group():
    message = refused(
        {"privateEndpoints": {"subnetName": "pe", "privateDnsZoneGroup": "no"}}, network={"virtualNetworkId": VNET}
    )
    assert "amlws:workspaces[0].privateEndpoints.privateDnsZoneGroup" in message
