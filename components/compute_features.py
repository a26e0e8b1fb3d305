"""What a compute does beyond its size and scale: start/stop schedules and setup scripts of a compute instance, the
managed identities of instances and clusters, and the workspace's serverless compute.

Each setting is named after the Azure property it sets (API 2025-12-01, the version azure-native 3.x uses for
machinelearningservices: specification/machinelearningservices/resource-manager/Microsoft.MachineLearningServices/
stable/2025-12-01/machineLearningServices.json for `ComputeInstanceProperties.schedules` / `setupScripts` and
`ComputeResource.identity`, workspaceRP.json for `ServerlessComputeSettings`). Each is checked here, once, with the
setting path of the value that is wrong, before anything is declared.
"""

import base64
import binascii
import difflib
from typing import Any, Mapping, NotRequired, TypedDict

from pulumi_azure_native import machinelearningservices as ml

from amlws_rules.arm import SUBNET, USER_ASSIGNED_IDENTITY
from amlws_rules.compute import (
    MAX_INSTANCE_SCHEDULES,
    SCHEDULE_ACTIONS,
    SCRIPT_SOURCES,
    cron_expression_problem,
    script_timeout_problem,
)

from ._common import ComponentInputError, check_arm_id

DEFAULT_TIME_ZONE = "UTC"  # `Cron.timeZone` default in machineLearningServices.json 2025-12-01


class ComputeScheduleSettings(TypedDict):
    """One start/stop schedule of a compute instance (`schedules.computeStartStop[]`, trigger type `Cron`)."""

    action: str
    """`action`: `Start` or `Stop` (ComputePowerAction)."""
    cron: str
    """`cron.expression`, NCrontab's five fields `minute hour day-of-month month day-of-week`, e.g. `0 18 * * 1-5`."""
    time_zone: NotRequired[str]
    """`cron.timeZone`, a Windows time zone ID such as `W. Europe Standard Time` (not an IANA name); default `UTC`."""


class ScriptReferenceSettings(TypedDict):
    """One setup script (`ScriptReference`)."""

    script_source: str
    """`scriptSource`: `workspaceStorage` (a file in the workspace's notebooks file share) or `inline`."""
    script_data: str
    (
        "`scriptData`: the path in the notebooks file share (`Users/admin/setup.sh`) for `workspaceStorage`, the "
        "base64-encoded command for `inline`."
    )
    script_arguments: NotRequired[str]
    """`scriptArguments`: command-line arguments for the script (`$1`, `$2`, ...)."""
    timeout: NotRequired[str]
    (
        "`timeout`: how long the script may run, a number with an optional unit s/m/h/d (`20m`); Azure's default is "
        "15 minutes."
    )


class SetupScriptsSettings(TypedDict):
    """`setupScripts.scripts` of a compute instance."""

    creation_script: NotRequired[ScriptReferenceSettings]
    """`creationScript`: runs once, when the instance is created."""
    startup_script: NotRequired[ScriptReferenceSettings]
    """`startupScript`: runs every time the instance starts (including creation)."""


class ManagedIdentitiesSettings(TypedDict):
    """The Azure Verified Modules' `managedIdentities` interface, for a compute."""

    system_assigned: NotRequired[bool]
    """A system-assigned identity (default false when `managed_identities` is given)."""
    user_assigned_resource_ids: NotRequired[list[str]]
    """ARM IDs of user-assigned identities (`Microsoft.ManagedIdentity/userAssignedIdentities`)."""


class ServerlessComputeSettings(TypedDict):
    """The workspace's `serverlessComputeSettings`: where serverless compute jobs run."""

    subnet_id: NotRequired[str]
    """`serverlessComputeCustomSubnet`: an existing subnet for serverless compute nodes."""
    no_public_ip: NotRequired[bool]
    """`serverlessComputeNoPublicIP`: no public IP on the nodes; default true when `subnet_id` is set."""


def _error(component: str, setting: str, value: Any, problem: str) -> ComponentInputError:
    return ComponentInputError(component, setting, value, problem)


def _mapping(component: str, setting: str, value: Any, allowed: tuple[str, ...], required: tuple[str, ...] = ()):
    """`value` must be a mapping whose keys are `allowed` (misspellings named with a "did you mean")."""
    if not isinstance(value, Mapping):
        raise _error(component, setting, value, f"must be a mapping with the keys {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise _error(
                component, f"{setting}.{key}", value[key], f"unknown setting; {hint}allowed: {', '.join(allowed)}"
            )
    for key in required:
        if value.get(key) is None:
            raise _error(component, f"{setting}.{key}", None, "required")
    return value


def windows_time_zone_problem(value: object) -> str | None:
    """Why `value` is not a Windows time zone ID, with a "did you mean"; None when it is one.

    `cron.timeZone` "should follow Windows time zone format" (Cron in machineLearningServices.json 2025-12-01). The
    IDs are CLDR's windowsZones.xml, as the tzlocal package ships them (`tzlocal.windows_tz`, generated by its
    update_windows_mappings.py); an IANA name (`Europe/Berlin`) is answered with its Windows ID.
    """
    from tzlocal.windows_tz import tz_win, win_tz  # on use: few stacks schedule; tzlocal costs ~10 M instructions

    if isinstance(value, str) and value in win_tz:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if text and text in tz_win:
        return f"{text!r} is an IANA name; Azure takes the Windows time zone ID {tz_win[text]!r}"
    by_lower = {name.lower(): name for name in win_tz}
    if text.lower() in by_lower:
        return f"did you mean {by_lower[text.lower()]!r}? (Windows time zone IDs are written as Windows spells them)"
    close = difflib.get_close_matches(text, list(win_tz), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"not a Windows time zone ID (such as 'UTC', 'W. Europe Standard Time', 'Pacific Standard Time'){hint}"


def validate_schedules(component: str, setting: str, schedules: object) -> None:
    if schedules is None:
        return
    if not isinstance(schedules, (list, tuple)):
        raise _error(component, setting, schedules, "must be a list of {action, cron, time_zone}")
    if len(schedules) > MAX_INSTANCE_SCHEDULES:
        raise _error(
            component,
            setting,
            f"{len(schedules)} schedules",
            f"Azure ML allows at most {MAX_INSTANCE_SCHEDULES} schedules per compute instance "
            "(how-to-create-compute-instance, 'Schedule automatic start and stop')",
        )
    for i, schedule in enumerate(schedules):
        where = f"{setting}[{i}]"
        _mapping(component, where, schedule, ("action", "cron", "time_zone"), ("action", "cron"))
        if schedule["action"] not in SCHEDULE_ACTIONS:
            raise _error(
                component, f"{where}.action", schedule["action"], f"must be one of {', '.join(SCHEDULE_ACTIONS)}"
            )
        problem = cron_expression_problem(schedule["cron"])
        if problem:
            raise _error(component, f"{where}.cron", schedule["cron"], problem)
        problem = windows_time_zone_problem(schedule.get("time_zone") or DEFAULT_TIME_ZONE)
        if problem:
            raise _error(component, f"{where}.time_zone", schedule.get("time_zone"), problem)


def _validate_script(component: str, setting: str, script: object) -> None:
    _mapping(
        component,
        setting,
        script,
        ("script_source", "script_data", "script_arguments", "timeout"),
        ("script_source", "script_data"),
    )
    assert isinstance(script, Mapping)
    source, data = script["script_source"], script["script_data"]
    if source not in SCRIPT_SOURCES:
        raise _error(component, f"{setting}.script_source", source, f"must be one of {', '.join(SCRIPT_SOURCES)}")
    if not isinstance(data, str) or not data.strip():
        raise _error(component, f"{setting}.script_data", data, "must be a non-empty string")
    if source == "inline":
        try:
            base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise _error(
                component,
                f"{setting}.script_data",
                data,
                "an inline script is the base64-encoded command (how-to-customize-compute-instance)",
            ) from None
    elif data.startswith("/") or not data.endswith(".sh"):
        raise _error(
            component,
            f"{setting}.script_data",
            data,
            "a path in the notebooks file share to a .sh file, such as Users/admin/setup.sh (not absolute)",
        )
    for key in ("script_arguments", "timeout"):
        if script.get(key) is not None and not isinstance(script[key], str):
            raise _error(component, f"{setting}.{key}", script[key], "must be a string")
    if script.get("timeout") is not None:
        problem = script_timeout_problem(script["timeout"])
        if problem:
            raise _error(component, f"{setting}.timeout", script["timeout"], problem)


def validate_setup_scripts(component: str, setting: str, scripts: object) -> None:
    if scripts is None:
        return
    _mapping(component, setting, scripts, ("creation_script", "startup_script"))
    assert isinstance(scripts, Mapping)
    if not scripts:
        raise _error(component, setting, scripts, "give a creation_script, a startup_script or both, or leave it out")
    for key, script in scripts.items():
        if script is not None:
            _validate_script(component, f"{setting}.{key}", script)


def validate_managed_identities(component: str, setting: str, identities: object) -> None:
    if identities is None:
        return
    _mapping(component, setting, identities, ("system_assigned", "user_assigned_resource_ids"))
    assert isinstance(identities, Mapping)
    system = identities.get("system_assigned") or False
    if not isinstance(system, bool):
        raise _error(component, f"{setting}.system_assigned", system, "must be true or false")
    ids = identities.get("user_assigned_resource_ids") or []
    if not isinstance(ids, (list, tuple)):
        raise _error(component, f"{setting}.user_assigned_resource_ids", ids, "must be a list of ARM IDs")
    seen: set[str] = set()
    for i, rid in enumerate(ids):
        check_arm_id(component, f"{setting}.user_assigned_resource_ids[{i}]", rid, USER_ASSIGNED_IDENTITY)
        if not isinstance(rid, str):
            continue  # an Output: an identity the program declares, known later
        if rid.lower() in seen:
            raise _error(component, f"{setting}.user_assigned_resource_ids[{i}]", rid, "listed twice")
        seen.add(rid.lower())
    if system and ids:
        raise _error(
            component,
            f"{setting}.system_assigned",
            True,
            "beside user_assigned_resource_ids: a compute takes a system-assigned identity or user-assigned "
            "identities, not both (Azure ML 'support only one system-assigned identity or multiple user-assigned "
            "identities, not both concurrently', CLI (v2) compute YAML schema)",
        )


def validate_serverless_compute(component: str, setting: str, serverless: object) -> None:
    if serverless is None:
        return
    _mapping(component, setting, serverless, ("subnet_id", "no_public_ip"))
    assert isinstance(serverless, Mapping)
    check_arm_id(component, f"{setting}.subnet_id", serverless.get("subnet_id"), SUBNET)
    no_public_ip = serverless.get("no_public_ip")
    if no_public_ip is not None and not isinstance(no_public_ip, bool):
        raise _error(component, f"{setting}.no_public_ip", no_public_ip, "must be true or false")
    if not serverless:
        raise _error(component, setting, serverless, "give subnet_id and/or no_public_ip, or leave it out")


def instance_schedules(schedules: list[ComputeScheduleSettings] | None) -> ml.ComputeSchedulesArgs | None:
    if not schedules:
        return None
    return ml.ComputeSchedulesArgs(
        compute_start_stop=[
            ml.ComputeStartStopScheduleArgs(
                action=s["action"],
                trigger_type="Cron",
                cron=ml.CronArgs(expression=s["cron"], time_zone=s.get("time_zone") or DEFAULT_TIME_ZONE),
                status="Enabled",
            )
            for s in schedules
        ]
    )


def _script(script: ScriptReferenceSettings | None) -> ml.ScriptReferenceArgs | None:
    if script is None:
        return None
    return ml.ScriptReferenceArgs(
        script_source=script["script_source"],
        script_data=script["script_data"],
        script_arguments=script.get("script_arguments"),
        timeout=script.get("timeout"),
    )


def instance_setup_scripts(scripts: SetupScriptsSettings | None) -> ml.SetupScriptsArgs | None:
    if not scripts:
        return None
    return ml.SetupScriptsArgs(
        scripts=ml.ScriptsToExecuteArgs(
            creation_script=_script(scripts.get("creation_script")),
            startup_script=_script(scripts.get("startup_script")),
        )
    )


def compute_identity(
    identities: ManagedIdentitiesSettings | None, *, default_system_assigned: bool
) -> ml.ManagedServiceIdentityArgs | None:
    """The compute's `identity`. Without settings: system-assigned or none, as the caller's default says. With
    settings that ask for no identity: `None` where the default would have given one (so a cluster drops it), else
    nothing (ManagedServiceIdentityType in the 2025-12-01 spec: None, SystemAssigned, UserAssigned)."""
    if identities is None:
        return ml.ManagedServiceIdentityArgs(type="SystemAssigned") if default_system_assigned else None
    ids = list(identities.get("user_assigned_resource_ids") or [])
    if identities.get("system_assigned"):
        return ml.ManagedServiceIdentityArgs(type="SystemAssigned")
    if ids:
        return ml.ManagedServiceIdentityArgs(type="UserAssigned", user_assigned_identities=ids)
    return ml.ManagedServiceIdentityArgs(type="None") if default_system_assigned else None


def serverless_compute_settings(
    serverless: ServerlessComputeSettings | None,
) -> ml.ServerlessComputeSettingsArgs | None:
    """`serverlessComputeSettings`, or None (nothing sent) when the workspace has no such settings."""
    if serverless is None:
        return None
    subnet, no_public_ip = serverless.get("subnet_id"), serverless.get("no_public_ip")
    if no_public_ip is None and subnet:
        no_public_ip = True  # inside a subnet, no public IP, as a compute's enableNodePublicIp defaults there
    return ml.ServerlessComputeSettingsArgs(
        serverless_compute_custom_subnet=subnet, serverless_compute_no_public_ip=no_public_ip
    )


def idle_shutdown_identity_note(ci: Mapping[str, Any]) -> str | None:
    """What a compute instance with a managed identity needs for its idle shutdown to work, or None.

    how-to-create-compute-instance, "Configure idle shutdown": "If the compute instance is also configured with a
    managed identity, the compute instance won't shut down due to inactivity unless the managed identity has
    contributor access to the Azure Machine Learning workspace." The stack grants nothing that broad by itself.
    """
    identities = ci.get("managed_identities")
    if not identities or not (identities.get("system_assigned") or identities.get("user_assigned_resource_ids")):
        return None
    return (
        f"compute instance {ci['name']!r} has a managed identity: it shuts down when idle only if that identity has "
        "Contributor on the workspace (how-to-create-compute-instance, 'Configure idle shutdown'); grant it, or "
        "add a Stop schedule"
    )
