"""Stack files with compute schedules, setup scripts, managed identities and serverless compute: the ARM inputs
they preview to, and their bad values refused with the stack file and the key as the stack file spells it."""

from __future__ import annotations

import base64
import json

import pytest

from amlws.mocks import ArmMocks
from amlws.preview import PreviewError, run_program
from amlws.stacks.program import main
from harness import by_type, inputs

USER = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
SUB = "00000000-0000-0000-0000-000000000000"
UAI = f"/subscriptions/{SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-train"
SUBNET = (
    f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-jobs"
)
INLINE = base64.b64encode(b"pip install lightgbm").decode()
BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}


def instance(**extra):
    return {
        "name": "ci-ana",
        "vmSize": "Standard_DS3_v2",
        "idleTimeBeforeShutdown": "PT30M",
        "assignedUserObjectId": USER,
        **extra,
    }


def preview(workspace: dict):
    config = {**BASE, "workspaces": [{"project": "churn", **workspace}]}
    raw = {f"amlws:{k}": json.dumps(v) if isinstance(v, (dict, list)) else str(v) for k, v in config.items()}
    return run_program(main, "amlws", "qa", raw, [], ArmMocks({}))


def refused(workspace: dict) -> str:
    with pytest.raises(PreviewError) as err:
        preview(workspace)
    assert err.value.registrations == []
    message = str(err.value)
    assert "Pulumi.qa.yaml" in message
    return message


def computes(result) -> dict[str, dict]:
    return {inputs(r)["computeName"]: inputs(r) for r in by_type(result, "machinelearningservices:Compute")}


def test_a_stack_with_the_compute_keys_previews_to_the_arm_inputs():
    result = preview(
        {
            "computeInstances": [
                instance(
                    schedules=[
                        {"action": "Start", "cron": "0 8 * * 1-5", "timeZone": "W. Europe Standard Time"},
                        {"action": "Stop", "cron": "0 19 * * 1-5"},
                    ],
                    setupScripts={
                        "creationScript": {"scriptSource": "inline", "scriptData": INLINE, "timeout": "10m"},
                        "startupScript": {"scriptSource": "workspaceStorage", "scriptData": "Users/ana/start.sh"},
                    },
                    managedIdentities={"userAssignedResourceIds": [UAI]},
                )
            ],
            "computeClusters": [
                {"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": 2},
                {"name": "gpu", "vmSize": "Standard_NC6s_v3", "maxNodeCount": 1, "managedIdentities": {}},
            ],
            "serverlessCompute": {"subnetId": SUBNET},
        }
    )
    got = computes(result)
    ci = got["ci-ana"]
    assert ci["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [UAI]}
    props = ci["properties"]["properties"]
    assert props["schedules"]["computeStartStop"] == [
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
            "cron": {"expression": "0 19 * * 1-5", "timeZone": "UTC"},
        },
    ]
    assert props["setupScripts"]["scripts"] == {
        "creationScript": {"scriptSource": "inline", "scriptData": INLINE, "timeout": "10m"},
        "startupScript": {"scriptSource": "workspaceStorage", "scriptData": "Users/ana/start.sh"},
    }
    assert got["cpu"]["identity"] == {"type": "SystemAssigned"}
    assert got["gpu"]["identity"] == {"type": "None"}
    workspace = inputs(by_type(result, "machinelearningservices:Workspace")[0])
    assert workspace["serverlessComputeSettings"] == {
        "serverlessComputeCustomSubnet": SUBNET,
        "serverlessComputeNoPublicIP": True,
    }
    assert any("Contributor on the workspace" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    "workspace, expected",
    [
        (
            {"computeInstances": [instance(schedules=[{"action": "Stop", "cron": "0 25 * * *"}])]},
            'amlws:workspaces[0].computeInstances[0].schedules[0].cron = "0 25 * * *": the hour field',
        ),
        (
            {
                "computeInstances": [
                    instance(schedules=[{"action": "Stop", "cron": "0 18 * * *", "timeZone": "Central European"}])
                ]
            },
            'amlws:workspaces[0].computeInstances[0].schedules[0].timeZone = "Central European": not a Windows time '
            "zone ID",
        ),
        (
            {"computeInstances": [instance(schedules=[{"action": "Stop", "cron": "0 18 * * *", "timezone": "UTC"}])]},
            "amlws:workspaces[0].computeInstances[0].schedules[0].timezone",
        ),
        (
            {
                "computeInstances": [
                    instance(setupScripts={"creationScript": {"scriptSource": "inline", "scriptData": "ls -la"}})
                ]
            },
            'amlws:workspaces[0].computeInstances[0].setupScripts.creationScript.scriptData = "ls -la": an inline',
        ),
        (
            {
                "computeClusters": [
                    {
                        "name": "cpu",
                        "vmSize": "Standard_DS3_v2",
                        "maxNodeCount": 2,
                        "managedIdentities": {"systemAssigned": True, "userAssignedResourceIds": [UAI]},
                    }
                ]
            },
            "amlws:workspaces[0].computeClusters[0].managedIdentities.systemAssigned = true: beside "
            "userAssignedResourceIds",
        ),
        (
            {
                "computeClusters": [
                    {
                        "name": "cpu",
                        "vmSize": "Standard_DS3_v2",
                        "maxNodeCount": 2,
                        "managedIdentities": {"userAssignedResourceIds": ["id-train"]},
                    }
                ]
            },
            'amlws:workspaces[0].computeClusters[0].managedIdentities.userAssignedResourceIds[0] = "id-train"',
        ),
        (
            {"serverlessCompute": {"subnetId": "snet-jobs"}},
            "amlws:workspaces[0].serverlessCompute.subnetId = \"snet-jobs\": 'snet-jobs' is not an ARM ID of a "
            "Microsoft.Network/virtualNetworks/subnets",
        ),
        ({"serverlessCompute": {"noPublicIP": True}}, "amlws:workspaces[0].serverlessCompute.noPublicIP"),
    ],
)
def test_bad_values_are_refused_with_the_stack_file_and_key(workspace, expected):
    message = refused(workspace)
    assert expected in message, message
    assert "time_zone" not in message and "script_data" not in message and "user_assigned" not in message


def test_a_stack_without_the_new_keys_sends_none_of_them():
    result = preview(
        {
            "computeInstances": [instance()],
            "computeClusters": [{"name": "cpu", "vmSize": "Standard_DS3_v2", "maxNodeCount": 1}],
        }
    )
    got = computes(result)
    assert "identity" not in got["ci-ana"] and got["cpu"]["identity"] == {"type": "SystemAssigned"}
    assert not {"schedules", "setupScripts"} & set(got["ci-ana"]["properties"]["properties"])
    assert "serverlessComputeSettings" not in inputs(by_type(result, "machinelearningservices:Workspace")[0])
