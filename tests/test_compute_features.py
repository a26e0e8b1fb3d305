"""Compute-instance schedules and setup scripts, managed identities on computes: the inputs the Compute receives
(API 2025-12-01 shapes) and every refusal, with its setting path, before anything is declared."""

import base64

import pytest

from amlws.components import ComponentInputError, MachineLearningWorkspace
from amlws.components.compute_features import windows_time_zone_problem
from amlws_rules.compute import cron_expression_problem, script_timeout_problem
from harness import by_type, inputs, run

USER = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
UAI = SUB + "/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}"
INLINE = base64.b64encode(b"pip install lightgbm").decode()


def instance(**extra):
    return {
        "name": "ci-one",
        "vm_size": "Standard_DS3_v2",
        "idle_time_before_shutdown": "PT30M",
        "assigned_user_object_id": USER,
        **extra,
    }


def cluster(**extra):
    return {"name": "cc1", "vm_size": "Standard_DS3_v2", "max_node_count": 2, **extra}


def computes(instances=(), clusters=()):
    args = {
        "resource_group_name": "rg",
        "location": "westeurope",
        "compute_instances": list(instances),
        "compute_clusters": list(clusters),
    }
    result = run(lambda: MachineLearningWorkspace("w", args))
    return {r.name.removeprefix("w-"): inputs(r) for r in by_type(result, "machinelearningservices:Compute")}


def test_instance_schedules_become_cron_start_stop_schedules():
    got = computes(
        [
            instance(
                schedules=[
                    {"action": "Start", "cron": "0 8 * * 1-5", "time_zone": "W. Europe Standard Time"},
                    {"action": "Stop", "cron": "0 18 * * mon-fri"},
                ]
            )
        ]
    )["ci-one"]["properties"]["properties"]
    assert got["schedules"] == {
        "computeStartStop": [
            {
                "action": "Start",
                "triggerType": "Cron",
                "status": "Enabled",
                "cron": {"expression": "0 8 * * 1-5", "timeZone": "W. Europe Standard Time"},
            },
            {
                "action": "Stop",
                "triggerType": "Cron",
                "status": "Enabled",
                "cron": {"expression": "0 18 * * mon-fri", "timeZone": "UTC"},
            },
        ]
    }


def test_instance_setup_scripts_become_script_references():
    got = computes(
        [
            instance(
                setup_scripts={
                    "creation_script": {
                        "script_source": "workspaceStorage",
                        "script_data": "Users/admin/setup.sh",
                        "script_arguments": "--fast",
                        "timeout": "20m",
                    },
                    "startup_script": {"script_source": "inline", "script_data": INLINE},
                }
            )
        ]
    )["ci-one"]["properties"]["properties"]
    assert got["setupScripts"] == {
        "scripts": {
            "creationScript": {
                "scriptSource": "workspaceStorage",
                "scriptData": "Users/admin/setup.sh",
                "scriptArguments": "--fast",
                "timeout": "20m",
            },
            "startupScript": {"scriptSource": "inline", "scriptData": INLINE},
        }
    }


def test_without_the_new_settings_nothing_new_is_sent():
    got = computes([instance()], [cluster()])
    assert "identity" not in got["ci-one"]
    assert "schedules" not in got["ci-one"]["properties"]["properties"]
    assert "setupScripts" not in got["ci-one"]["properties"]["properties"]
    assert got["cc1"]["identity"] == {"type": "SystemAssigned"}


@pytest.mark.parametrize(
    "identities, expected",
    [
        ({"system_assigned": True}, {"type": "SystemAssigned"}),
        (
            {"user_assigned_resource_ids": [UAI.format("a"), UAI.format("b")]},
            {"type": "UserAssigned", "userAssignedIdentities": [UAI.format("a"), UAI.format("b")]},
        ),
    ],
)
def test_managed_identities_on_instances_and_clusters(identities, expected):
    got = computes([instance(managed_identities=identities)], [cluster(managed_identities=identities)])
    assert got["ci-one"]["identity"] == expected
    assert got["cc1"]["identity"] == expected


def test_asking_for_no_identity_drops_the_clusters_default_and_sends_nothing_for_an_instance():
    got = computes([instance(managed_identities={})], [cluster(managed_identities={"system_assigned": False})])
    assert "identity" not in got["ci-one"]
    assert got["cc1"]["identity"] == {"type": "None"}


@pytest.mark.parametrize(
    "settings, setting, match",
    [
        ({"schedules": [{"action": "Stop", "cron": "0 18 * *"}]}, "schedules[0].cron", "4 field"),
        (
            {"schedules": [{"action": "Stop", "cron": "0 18 * * *"}, {"action": "Start", "cron": "0 24 * * *"}]},
            "schedules[1].cron",
            "24 is outside 0-23",
        ),
        ({"schedules": [{"action": "Pause", "cron": "0 18 * * *"}]}, "schedules[0].action", "Start, Stop"),
        (
            {"schedules": [{"action": "Stop", "cron": "0 18 * * *", "time_zone": "Europe/Berlin"}]},
            "schedules[0].time_zone",
            "W. Europe Standard Time",
        ),
        (
            {"schedules": [{"action": "Stop", "cron": "0 18 * * *", "time_zone": "Pacific Standrd Time"}]},
            "schedules[0].time_zone",
            "did you mean 'Pacific Standard Time'",
        ),
        (
            {"schedules": [{"action": "Stop", "cron": "0 18 * * *", "timezone": "UTC"}]},
            "schedules[0].timezone",
            "did you mean 'time_zone'",
        ),
        ({"schedules": [{"action": "Stop"}]}, "schedules[0].cron", "required"),
        ({"schedules": [{"action": "Stop", "cron": f"0 {h} * * *"} for h in range(5)]}, "schedules", "at most 4"),
        (
            {"setup_scripts": {"creation_script": {"script_source": "blob", "script_data": "x.sh"}}},
            "setup_scripts.creation_script.script_source",
            "workspaceStorage, inline",
        ),
        (
            {"setup_scripts": {"creation_script": {"script_source": "inline", "script_data": "pip install x"}}},
            "setup_scripts.creation_script.script_data",
            "base64",
        ),
        (
            {"setup_scripts": {"startup_script": {"script_source": "workspaceStorage", "script_data": "/setup.sh"}}},
            "setup_scripts.startup_script.script_data",
            "not absolute",
        ),
        (
            {
                "setup_scripts": {
                    "startup_script": {"script_source": "inline", "script_data": INLINE, "timeout": "PT20M"}
                }
            },
            "setup_scripts.startup_script.timeout",
            "not ISO 8601",
        ),
        ({"setup_scripts": {"startupscript": {}}}, "setup_scripts.startupscript", "did you mean 'startup_script'"),
        ({"setup_scripts": {}}, "setup_scripts", "creation_script, a startup_script"),
        (
            {"managed_identities": {"system_assigned": True, "user_assigned_resource_ids": [UAI.format("a")]}},
            "managed_identities.system_assigned",
            "not both",
        ),
        (
            {
                "managed_identities": {
                    "user_assigned_resource_ids": [
                        "/subscriptions/00000000-0000-0000-0000-000000000000"
                        "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
                    ]
                }
            },
            "managed_identities.user_assigned_resource_ids[0]",
            "userAssignedIdentities",
        ),
        (
            {"managed_identities": {"user_assigned_resource_ids": [UAI.format("a"), UAI.format("A")]}},
            "managed_identities.user_assigned_resource_ids[1]",
            "listed twice",
        ),
        (
            {"managed_identities": {"system_assigned": "yes"}},
            "managed_identities.system_assigned",
            "true or false|valid boolean",
        ),
    ],
)
def test_instance_refusals_name_the_setting(settings, setting, match):
    with pytest.raises(ComponentInputError, match=match) as err:
        computes([instance(), instance(name="ci-two", **settings)])
    assert err.value.setting == f"compute_instances[1].{setting}"


def test_cluster_identity_refusal_names_the_setting():
    with pytest.raises(ComponentInputError, match="not of the form|is not|expected") as err:
        computes(clusters=[cluster(managed_identities={"user_assigned_resource_ids": ["uami-prod"]})])
    assert err.value.setting == "compute_clusters[0].managed_identities.user_assigned_resource_ids[0]"


@pytest.mark.parametrize(
    "expression",
    ["0 18 * * *", "*/15 9-17 * * 1-5", "0 8 1,15 jan-jun MON", "30 6 * * sat,sun", "0 0 1-31/2 * *", "5 4 * * 6-0"],
)
def test_ncrontab_expressions_azure_takes(expression):
    assert cron_expression_problem(expression) is None


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "0 18 * * * *",
        "0 18 * *",
        "61 * * * *",
        "0 18 * * 7",
        "0 18 0 * *",
        "0 18 * 13 *",
        "0 18 * * xyz",
        "0 */0 * * *",
        "0 18 ,1 * *",
        "@daily",
    ],
)
def test_ncrontab_expressions_azure_refuses(expression):
    assert cron_expression_problem(expression) is not None


def test_time_zones_are_windows_ids():
    assert windows_time_zone_problem("UTC") is None
    assert windows_time_zone_problem("Tokyo Standard Time") is None
    assert "did you mean 'UTC'" in windows_time_zone_problem("utc")
    assert "'Tokyo Standard Time'" in windows_time_zone_problem("Asia/Tokyo")
    assert windows_time_zone_problem("") is not None and windows_time_zone_problem(None) is not None


@pytest.mark.parametrize("value, ok", [("20m", True), ("900", True), ("1.5h", True), ("PT20M", False), ("0", False)])
def test_script_timeout_is_a_timeout_command_duration(value, ok):
    assert (script_timeout_problem(value) is None) is ok


def test_an_instance_with_an_identity_is_warned_that_idle_shutdown_needs_contributor():
    args = {
        "resource_group_name": "rg",
        "location": "westeurope",
        "compute_instances": [instance(managed_identities={"system_assigned": True}), instance(name="ci-two")],
    }
    result = run(lambda: MachineLearningWorkspace("w", args))
    notes = [w for w in result.warnings if "Contributor on the workspace" in str(w)]
    assert len(notes) == 1 and "'ci-one'" in str(notes[0])


SUBNET = SUB + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-serverless"


def workspace_inputs(**extra):
    args = {"resource_group_name": "rg", "location": "westeurope", **extra}
    result = run(lambda: MachineLearningWorkspace("w", args))
    return inputs(by_type(result, "machinelearningservices:Workspace")[0])


@pytest.mark.parametrize(
    "settings, expected",
    [
        ({"subnet_id": SUBNET}, {"serverlessComputeCustomSubnet": SUBNET, "serverlessComputeNoPublicIP": True}),
        (
            {"subnet_id": SUBNET, "no_public_ip": False},
            {"serverlessComputeCustomSubnet": SUBNET, "serverlessComputeNoPublicIP": False},
        ),
        ({"no_public_ip": True}, {"serverlessComputeNoPublicIP": True}),
    ],
)
def test_serverless_compute_settings_on_the_workspace(settings, expected):
    assert workspace_inputs(serverless_compute=settings)["serverlessComputeSettings"] == expected


def test_no_serverless_compute_settings_unless_asked():
    assert "serverlessComputeSettings" not in workspace_inputs()


@pytest.mark.parametrize(
    "settings, setting, match",
    [
        ({"subnet_id": SUBNET.rsplit("/subnets/", 1)[0]}, "serverless_compute.subnet_id", "virtualNetworks/subnets"),
        ({"subnet_id": "snet-serverless"}, "serverless_compute.subnet_id", "virtualNetworks/subnets"),
        ({"no_public_ip": "yes"}, "serverless_compute.no_public_ip", "true or false|valid boolean"),
        ({"subnetId": SUBNET}, "serverless_compute.subnetId", "did you mean 'subnet_id'"),
        ({}, "serverless_compute", "leave it out"),
    ],
)
def test_serverless_compute_refusals_name_the_setting(settings, setting, match):
    with pytest.raises(ComponentInputError, match=match) as err:
        workspace_inputs(serverless_compute=settings)
    assert err.value.setting == setting
