"""The REST API 2025-12-01 facts of the new surface (docs/spec-facts.md): raw azure-native programs under the
offline preview send hub, project, connection and compute-schedule inputs; what the spec refuses is refused."""

import pytest
from pulumi_azure_native import machinelearningservices as ml

from amlws import spec
from amlws.preview import PreviewError
from harness import inputs, one, run

RG = "rg-ml"
HUB_ID = f"/subscriptions/0/resourceGroups/{RG}/providers/Microsoft.MachineLearningServices/workspaces/hub-churn"
SUBNET = f"/subscriptions/0/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/serverless"


def refused(program) -> str:
    with pytest.raises(PreviewError) as caught:
        run(program)
    return str(caught.value)


def workspace(**extra):
    return ml.Workspace("ws", resource_group_name=RG, workspace_name="mlw-churn", **extra)


def connection(name="aoai-churn", **properties):
    return ml.WorkspaceConnection(
        "conn",
        resource_group_name=RG,
        workspace_name="mlw-churn",
        connection_name=name,
        properties={
            "authType": "AAD",
            "category": "AzureOpenAI",
            "target": "https://aoai.openai.azure.com/",
            **properties,
        },
    )


def test_the_facts_come_from_the_api_version_azure_native_uses():
    for kind in ("Workspace", "WorkspaceConnection", "Compute"):
        found = spec.resource_facts(f"azure-native:machinelearningservices:{kind}")
        assert found is not None and found["apiVersion"] == "2025-12-01", kind
    conn = spec.resource_facts("azure-native:machinelearningservices:WorkspaceConnection")
    assert conn is not None
    assert conn["name"]["pattern"] == r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$"
    assert "stable/2025-12-01/workspaceRP.json" in conn["name"]["source"]
    assert conn["name"]["autoname"] == "copy"  # a child resource keeps its logical name


def test_hub_project_and_feature_store_inputs_pass():
    def program():
        workspace(
            kind="Hub",
            workspace_hub_config={
                "additional_workspace_storage_accounts": ["/subscriptions/0/resourceGroups/rg/providers/x/y/z"],
                "default_workspace_resource_group": f"/subscriptions/0/resourceGroups/{RG}",
            },
            managed_network={"isolation_mode": "AllowOnlyApprovedOutbound", "firewall_sku": "basic"},
            provision_network_now=True,
            serverless_compute_settings={
                "serverless_compute_custom_subnet": SUBNET,
                "serverless_compute_no_public_ip": True,
            },
            system_datastores_auth_mode="identity",
        )
        ml.Workspace(
            "proj", resource_group_name=RG, workspace_name="proj-churn", kind="Project", hub_resource_id=HUB_ID
        )
        ml.Workspace(
            "fs",
            resource_group_name=RG,
            workspace_name="fs-churn",
            kind="FeatureStore",
            feature_store_settings={
                "compute_runtime": {"spark_runtime_version": "3.4"},
                "offline_store_connection_name": "offline",
                "online_store_connection_name": "online",
            },
        )

    result = run(program)
    hub = inputs(next(r for r in result.registrations if r.name == "ws"))
    assert hub["managedNetwork"]["firewallSku"] == "basic"
    assert hub["serverlessComputeSettings"] == {
        "serverlessComputeCustomSubnet": SUBNET,
        "serverlessComputeNoPublicIP": True,
    }
    assert hub["workspaceHubConfig"]["defaultWorkspaceResourceGroup"].endswith(RG)


@pytest.mark.parametrize(
    "extra, rule",
    [
        (
            {"managed_network": {"firewall_sku": "Premium"}},
            "'managedNetwork.firewallSku' is 'Premium' but expected one of",
        ),
        ({"system_datastores_auth_mode": "keys"}, "'systemDatastoresAuthMode' is 'keys' but expected one of"),
        (
            {"managed_network": {"outbound_rules": {"aoai": {"type": "PrivateEndpoint", "status": "Gone"}}}},
            "'managedNetwork.outboundRules.aoai.status' is 'Gone'",
        ),
    ],
)
def test_values_outside_the_spec_are_refused(extra, rule):
    assert rule in refused(lambda: workspace(**extra))


def test_a_keyless_connection_passes_and_keeps_its_logical_name_without_one():
    result = run(lambda: connection())
    assert inputs(one(result, "WorkspaceConnection"))["properties"]["authType"] == "AAD"
    unnamed = run(
        lambda: ml.WorkspaceConnection(
            "search-churn",
            resource_group_name=RG,
            workspace_name="mlw-churn",
            properties={"authType": "ManagedIdentity", "category": "CognitiveSearch", "credentials": {"clientId": "c"}},
        )
    )
    assert inputs(one(unnamed, "WorkspaceConnection"))["connectionName"] == "search-churn"


@pytest.mark.parametrize(
    "name, properties, rule",
    [
        ("ab", {}, "'connectionName' does not match expression"),
        ("-aoai", {}, "'connectionName' does not match expression"),
        ("aoai", {"authType": "DelegatedSAS"}, "'properties.authType' is 'DelegatedSAS' but expected one of ['AAD'"),
        ("aoai", {"authType": "ApiKey", "category": "NotACategory"}, "'properties.category' is 'NotACategory'"),
        ("aoai", {"group": "Azure"}, "'properties.group' is read-only"),
    ],
)
def test_connections_the_spec_refuses(name, properties, rule):
    assert rule in refused(lambda: connection(name, **properties))


def test_compute_instance_schedules_setup_scripts_and_identity():
    def instance(action="Stop", identity_type="UserAssigned"):
        return lambda: ml.Compute(
            "ci",
            resource_group_name=RG,
            workspace_name="mlw-churn",
            compute_name="ci-churn-01a",
            identity={"type": identity_type, "user_assigned_identities": ["/subscriptions/0/x/id"]},
            properties={
                "compute_type": "ComputeInstance",
                "properties": {
                    "vm_size": "Standard_DS3_v2",
                    "schedules": {
                        "compute_start_stop": [
                            {
                                "action": action,
                                "trigger_type": "Cron",
                                "cron": {"expression": "0 19 * * 1-5", "time_zone": "W. Europe Standard Time"},
                            }
                        ]
                    },
                    "setup_scripts": {
                        "scripts": {"creation_script": {"script_source": "inline", "script_data": "eA=="}}
                    },
                },
            },
        )

    sent = inputs(one(run(instance()), "Compute"))
    schedule = sent["properties"]["properties"]["schedules"]["computeStartStop"][0]
    assert schedule["cron"] == {"expression": "0 19 * * 1-5", "timeZone": "W. Europe Standard Time"}
    assert sent["properties"]["properties"]["setupScripts"]["scripts"]["creationScript"]["scriptSource"] == "inline"
    assert "'properties.properties.schedules.computeStartStop[0].action' is 'Pause'" in refused(instance("Pause"))
    assert "'identity.type' is 'Managed' but expected one of" in refused(instance(identity_type="Managed"))
