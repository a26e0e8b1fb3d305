"""What Azure rejects for compute instances and clusters, checked before anything is declared."""

from __future__ import annotations

import re
from datetime import timedelta

# Azure ML: "idle shutdown ... can be set between 15 minutes and 3 days".
IDLE_SHUTDOWN_MIN = timedelta(minutes=15)
IDLE_SHUTDOWN_MAX = timedelta(days=3)

_DURATION = re.compile(r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")


def parse_duration(value: str) -> timedelta:
    """Parse the ISO 8601 day-time durations ARM uses (`PT30M`, `PT120S`, `P1DT2H`).

    Raises ValueError naming the value; years, months and weeks are refused because ARM's
    `idleTimeBeforeShutdown` and `nodeIdleTimeBeforeScaleDown` do not take them.
    """
    match = _DURATION.match(str(value).strip().upper()) if value is not None else None
    if not match or value in ("P", "PT") or str(value).upper().endswith("T"):
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as PT30M, PT2H or P1D")
    parts = {k: int(v) for k, v in match.groupdict().items() if v}
    if not parts:
        raise ValueError(f"{value!r} is not an ISO 8601 duration such as PT30M, PT2H or P1D")
    return timedelta(**parts)


def idle_shutdown_violation(value: str | None) -> str | None:
    """Why this `idleTimeBeforeShutdown` would be rejected, or None when Azure accepts it."""
    if value is None:
        return "idle shutdown is not set; Azure ML accepts 15 minutes to 3 days (PT15M to P3D)"
    try:
        duration = parse_duration(value)
    except ValueError as err:
        return str(err)
    if not IDLE_SHUTDOWN_MIN <= duration <= IDLE_SHUTDOWN_MAX:
        return f"idle shutdown {value} is outside the 15 minutes to 3 days (PT15M to P3D) that Azure ML accepts"
    return None


# ScaleSettings.minNodeCount/maxNodeCount are `integer` `int32` in the Machine Learning REST API spec
# (machineLearningServices.json, ScaleSettings; the .NET SDK's `int?`): a larger number is refused by ARM
# before the service's own quota check (and azure-native cannot even send it).
MAX_NODE_COUNT = 2**31 - 1


def cluster_scale_violations(
    min_node_count: int | None, max_node_count: int | None, names: tuple[str, str] = ("minNodeCount", "maxNodeCount")
) -> list[str]:
    """Why this scale setting would be rejected: negative counts, a max of 0, min above max, a count beyond the
    spec's int32. `names` are the two settings as the user spelt them (`min_node_count` in component Args)."""
    low_name, high_name = names
    problems: list[str] = []
    low = 0 if min_node_count is None else min_node_count
    if low < 0:
        problems.append(f"{low_name} {low} is negative")
    elif low > MAX_NODE_COUNT:
        problems.append(f"{low_name} {low} is above {MAX_NODE_COUNT}, the largest count the API accepts (int32)")
    if max_node_count is None:
        problems.append(f"{high_name} is required")
    elif max_node_count < 1:
        problems.append(f"{high_name} {max_node_count} must be at least 1")
    elif max_node_count > MAX_NODE_COUNT:
        problems.append(
            f"{high_name} {max_node_count} is above {MAX_NODE_COUNT}, the largest count the API accepts (int32)"
        )
    elif low > max_node_count:
        problems.append(f"{low_name} {low} is greater than {high_name} {max_node_count}")
    return problems


UNASSIGNED_INSTANCE = (
    "a compute instance without an assigned user (personalComputeInstanceSettings.assignedUser) belongs "
    "to whoever creates it (the identity running `pulumi up`, often a CI service principal) and can't be shared "
    "with anyone else; give the Microsoft Entra object ID (a GUID) of the user it is for"
)


def assigned_user_problem(key: str, value: object) -> str | None:
    """Why `value` is not a usable assigned user object ID (required) or tenant ID (optional); None if it is."""
    if value is None:
        return f"required: {UNASSIGNED_INSTANCE}" if "object" in key else None
    from .roles import is_guid

    return None if is_guid(value) else "a Microsoft Entra ID is a GUID"


# Compute-instance start/stop schedules (how-to-create-compute-instance, "Schedule automatic start and stop":
# "You can create a total of four schedules per compute instance"; actions `Start`/`Stop`, ComputePowerAction in
# machineLearningServices.json 2025-12-01).
MAX_INSTANCE_SCHEDULES = 4
SCHEDULE_ACTIONS = ("Start", "Stop")

# `cron.expression` "should follow NCronTab format" (Cron in machineLearningServices.json 2025-12-01): five fields
# (minute hour day-of-month month day-of-week), ranges and names as atifaziz/NCrontab CrontabFieldImpl defines them
# (day of week 0-6 with Sunday=0; a name is matched by any prefix, without regard to case).
_CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    (
        "month",
        1,
        12,
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    ),
    ("day of week", 0, 6, ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")),
)
_CRON_SHAPE = "five fields: minute hour day-of-month month day-of-week, e.g. `0 18 * * 1-5` (18:00 Monday to Friday)"


def _cron_value(text: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if text.isdigit():
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}-{high}")
        return value
    for index, name in enumerate(names):
        if text and name.lower().startswith(text.lower()):
            return low + index
    allowed = f"a number {low}-{high}" + (f" or a name ({', '.join(n[:3] for n in names)})" if names else "")
    raise ValueError(f"{text!r} is not {allowed}")


def _cron_field_problem(text: str, low: int, high: int, names: tuple[str, ...]) -> str | None:
    for item in text.split(","):
        base, slash, step = item.partition("/")
        try:
            if slash and not (step.isdigit() and int(step) >= 1):
                raise ValueError(f"the step {step!r} is not a whole number of at least 1")
            if base != "*":
                first, dash, last = base.partition("-")
                _cron_value(first, low, high, names)
                if dash:
                    _cron_value(last, low, high, names)
        except ValueError as err:
            return f"{item!r}: {err}"
    return None


def cron_expression_problem(expression: object) -> str | None:
    """Why Azure ML would refuse this `cron.expression` (NCrontab, five fields), or None when it parses."""
    if not isinstance(expression, str) or not expression.strip():
        return f"a cron expression is {_CRON_SHAPE}"
    fields = expression.split()
    if len(fields) != len(_CRON_FIELDS):
        return f"{len(fields)} field(s); an NCrontab expression has {_CRON_SHAPE}"
    for text, (what, low, high, names) in zip(fields, _CRON_FIELDS):
        problem = _cron_field_problem(text, low, high, names)
        if problem:
            return f"the {what} field {problem} (allowed: *, values, ranges a-b, lists a,b and steps */n)"
    return None


# Setup scripts (how-to-customize-compute-instance, "Use the script in a Resource Manager template"): the script
# comes from the notebooks file share (`workspaceStorage`, `scriptData` a path such as Users/admin/setup.sh) or
# `inline` (`scriptData` a base64-encoded command). `timeout` is the DURATION of the `timeout` command: "a floating
# point number with an optional suffix: 's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for
# days" (same page); the default is 15 minutes.
SCRIPT_SOURCES = ("workspaceStorage", "inline")
_SCRIPT_TIMEOUT = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)[smhd]?$")


def script_timeout_problem(value: object) -> str | None:
    """Why this setup-script `timeout` is not a DURATION the `timeout` command takes, or None."""
    if isinstance(value, str) and _SCRIPT_TIMEOUT.match(value) and float(value.rstrip("smhd")) > 0:
        return None
    return "a positive number with an optional unit s, m, h or d (`30m`, `1.5h`, `900`); not ISO 8601"
