"""Diagnostic settings: a resource's logs and metrics sent to the Log Analytics workspace.

Azure Policy afe0c3be ("Resource logs in Azure Machine Learning Workspaces should be enabled") and
the matching Key Vault and Storage policies look for a diagnostic setting on the resource itself;
for a storage account the logs live on its blob and file services (`<account>/blobServices/default`).
`categoryGroup: allLogs` keeps the setting correct when Azure adds log categories.

Metrics: most resources take `AllMetrics`. A storage account's blob and file services refuse it ("Metric
category 'AllMetrics' is not supported", Azure/azure-powershell#6520) and name their own categories,
`Transaction` and `Capacity`; `Capacity` has since been refused on the services too
(Azure/terraform-azurerm-avm-res-storage-storageaccount#322), so they send `Transaction` only.
"""

import difflib
from typing import Any, Mapping, NamedTuple, NotRequired, Sequence, TypedDict

import pulumi
from pulumi_azure_native import monitor

from amlws_rules import parse_arm_id
from amlws_rules.arm import LOG_ANALYTICS_WORKSPACE, STORAGE_ACCOUNT

from ._common import ComponentInputError, child

SETTING_NAME = "send-to-log-analytics"
ALL_METRICS = ("AllMetrics",)
STORAGE_SERVICE_METRICS = ("Transaction",)


def send_diagnostics(
    parent: pulumi.Resource,
    name: str,
    resource_uri: pulumi.Input[str],
    workspace_id: pulumi.Input[str],
    *,
    metrics_only: bool = False,
    metric_categories: tuple[str, ...] = ALL_METRICS,
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        name,
        name=SETTING_NAME,
        resource_uri=resource_uri,
        workspace_id=workspace_id,
        logs=None if metrics_only else [monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
        metrics=[
            monitor.DiagnosticsMetricSettingsArgs(category=category, enabled=True) for category in metric_categories
        ],
        opts=child(parent),
    )


# --- Several destinations: the Azure Verified Modules' `diagnosticSettings` ----------------------------------
#
# Shape: avm/utl/types/avm-common-types `diagnosticSettingFullType` (Azure/bicep-registry-modules), as
# avm/res/machine-learning-services/workspace/main.bicep uses it: without `metric_categories` and
# `log_categories_and_groups` a setting sends all logs (`allLogs`) and all metrics (`AllMetrics`); with only one of
# them, only that one; `[]` sends none of that kind. Properties: microsoft.insights 2021-05-01-preview
# (`DiagnosticSettings`, the version azure-native's monitor.DiagnosticSetting uses: "Uses Azure REST API version
# 2021-05-01-preview").
#
# Limits (learn.microsoft.com azure-monitor/essentials/diagnostic-settings): "A single diagnostic setting can define
# no more than one of each of the destinations ... Each resource can have up to five diagnostic settings." One
# destination may not receive the same category from two settings of one resource (ARM answers 409, "Data sinks
# can't be reused"). A storage destination must be in the resource's region, which only Azure can check.

MAX_SETTINGS = 5
CATEGORY_GROUPS = ("allLogs", "audit")  # diagnostic-settings, "Category groups"
DESTINATION_TYPES = ("Dedicated", "AzureDiagnostics")  # AVM `logAnalyticsDestinationType`
DESTINATIONS = {  # key -> the ARM type its ID must be of (None: any resource)
    "workspace_resource_id": LOG_ANALYTICS_WORKSPACE,
    "storage_account_resource_id": STORAGE_ACCOUNT,
    "event_hub_authorization_rule_resource_id": "Microsoft.EventHub/namespaces/authorizationRules",
    "marketplace_partner_resource_id": None,
}


class DiagnosticLogCategoryArgs(TypedDict):
    """A log category or category group (AVM `logCategoriesAndGroups[]`): exactly one of the two."""

    category: NotRequired[str]
    """A resource log category of the resource, e.g. `AmlComputeJobEvent`."""
    category_group: NotRequired[str]
    """A category group: `allLogs` or `audit`."""
    enabled: NotRequired[bool]
    """Default true."""


class DiagnosticMetricCategoryArgs(TypedDict):
    """A metric category (AVM `metricCategories[]`)."""

    category: str
    """`AllMetrics` for every metric."""
    enabled: NotRequired[bool]
    """Default true."""


class DiagnosticSettingArgs(TypedDict):
    """One diagnostic setting (AVM `diagnosticSettingFullType`): where the resource's logs and metrics go."""

    name: NotRequired[str]
    """The setting's name, unique on the resource; by default `diagnostics-<position>`."""
    workspace_resource_id: NotRequired[pulumi.Input[str]]
    """`workspaceId`: a Log Analytics workspace."""
    storage_account_resource_id: NotRequired[pulumi.Input[str]]
    """`storageAccountId`: a storage account in the resource's region."""
    event_hub_authorization_rule_resource_id: NotRequired[pulumi.Input[str]]
    """`eventHubAuthorizationRuleId`: an Event Hubs namespace's authorization rule."""
    event_hub_name: NotRequired[str]
    """`eventHubName`: the event hub in that namespace (without it, one hub per category)."""
    marketplace_partner_resource_id: NotRequired[pulumi.Input[str]]
    """`marketplacePartnerId`: a partner solution's resource."""
    log_analytics_destination_type: NotRequired[str]
    """`logAnalyticsDestinationType`: `Dedicated` (resource-specific tables) or `AzureDiagnostics`."""
    log_categories_and_groups: NotRequired[list[DiagnosticLogCategoryArgs]]
    """Logs to send; default `[{category_group: allLogs}]` unless only metrics are given; `[]` for none."""
    metric_categories: NotRequired[list[DiagnosticMetricCategoryArgs]]
    """Metrics to send; default `[{category: AllMetrics}]` unless only logs are given; `[]` for none."""


class PlannedSetting(NamedTuple):
    """A checked setting, its defaults applied."""

    name: str
    destinations: Mapping[str, pulumi.Input[str]]
    event_hub_name: str | None
    destination_type: str | None
    logs: tuple[tuple[str, str, bool], ...]
    """(`category` or `categoryGroup`, its value, enabled)."""
    metrics: tuple[tuple[str, bool], ...]


def _keys(component: str, where: str, value: Any, allowed: Sequence[str]) -> None:
    if not isinstance(value, dict):
        raise ComponentInputError(component, where, value, f"must be a mapping of {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ComponentInputError(
                component, f"{where}.{key}", value[key], f"unknown setting{hint}; allowed: {', '.join(allowed)}"
            )


def _enabled(component: str, where: str, entry: Mapping[str, Any]) -> bool:
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ComponentInputError(component, f"{where}.enabled", enabled, "must be true or false")
    return enabled


def _logs(component: str, where: str, entries: Any) -> tuple[tuple[str, str, bool], ...]:
    if not isinstance(entries, list):
        raise ComponentInputError(component, where, entries, "must be a list")
    logs = []
    for i, entry in enumerate(entries):
        at = f"{where}[{i}]"
        _keys(component, at, entry, list(DiagnosticLogCategoryArgs.__annotations__))
        given = [k for k in ("category", "category_group") if entry.get(k) is not None]
        if len(given) != 1:
            raise ComponentInputError(component, at, entry, "give exactly one of category or category_group")
        key, value = given[0], entry[given[0]]
        if not isinstance(value, str) or not value:
            raise ComponentInputError(component, f"{at}.{key}", value, "must be a non-empty string")
        if key == "category_group":
            value = next((g for g in CATEGORY_GROUPS if g.lower() == value.lower()), None) or _refuse_group(
                component, f"{at}.{key}", value
            )
        logs.append(("categoryGroup" if key == "category_group" else "category", value, _enabled(component, at, entry)))
    return tuple(logs)


def _refuse_group(component: str, where: str, value: str) -> str:
    raise ComponentInputError(
        component, where, value, f"Azure Monitor's category groups are {', '.join(CATEGORY_GROUPS)}"
    )


def _metrics(component: str, where: str, entries: Any) -> tuple[tuple[str, bool], ...]:
    if not isinstance(entries, list):
        raise ComponentInputError(component, where, entries, "must be a list")
    metrics = []
    for i, entry in enumerate(entries):
        at = f"{where}[{i}]"
        _keys(component, at, entry, list(DiagnosticMetricCategoryArgs.__annotations__))
        category = entry.get("category")
        if not isinstance(category, str) or not category:
            raise ComponentInputError(
                component, f"{at}.category", category, "required: a metric category, e.g. AllMetrics"
            )
        metrics.append((category, _enabled(component, at, entry)))
    return tuple(metrics)


def _destinations(component: str, where: str, setting: Mapping[str, Any]) -> dict[str, pulumi.Input[str]]:
    found: dict[str, pulumi.Input[str]] = {}
    for key, arm_type in DESTINATIONS.items():
        value = setting.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                parse_arm_id(value, arm_type)
            except ValueError as err:
                raise ComponentInputError(component, f"{where}.{key}", value, str(err)) from None
        elif not isinstance(value, pulumi.Output):
            raise ComponentInputError(component, f"{where}.{key}", value, "must be a resource ID")
        found[key] = value
    if not found:
        raise ComponentInputError(
            component, where, setting.get("name"), f"needs a destination: one or more of {', '.join(DESTINATIONS)}"
        )
    return found


def plan_diagnostic_settings(component: str, setting: str, value: Any) -> tuple[PlannedSetting, ...]:
    """Check an AVM `diagnosticSettings` list for one resource and apply the AVM defaults; each refusal names
    `setting[i].<key>`."""
    if not isinstance(value, list):
        raise ComponentInputError(component, setting, value, "must be a list of diagnostic settings")
    if not value:
        raise ComponentInputError(
            component, setting, value, "is empty: give at least one setting, or diagnostics false for none"
        )
    if len(value) > MAX_SETTINGS:
        raise ComponentInputError(
            component,
            setting,
            f"<{len(value)} settings>",
            f"Azure allows at most {MAX_SETTINGS} diagnostic settings per resource (azure-monitor diagnostic-settings)",
        )
    planned: list[PlannedSetting] = []
    for i, entry in enumerate(value):
        where = f"{setting}[{i}]"
        _keys(component, where, entry, list(DiagnosticSettingArgs.__annotations__))
        name = entry.get("name", f"diagnostics-{i + 1}")
        if not isinstance(name, str) or not name.strip():
            raise ComponentInputError(component, f"{where}.name", name, "must be a non-empty string")
        if name.lower() == SETTING_NAME:
            raise ComponentInputError(
                component,
                f"{where}.name",
                name,
                "is the name of the setting `diagnostics: true` makes: switching to a list would write it, then delete "
                "it as the old setting goes; choose another name",
            )
        if any(p.name.lower() == name.lower() for p in planned):
            raise ComponentInputError(component, f"{where}.name", name, "names a setting already in the list")
        destinations = _destinations(component, where, entry)
        hub = entry.get("event_hub_name")
        if hub is not None and "event_hub_authorization_rule_resource_id" not in destinations:
            raise ComponentInputError(
                component, f"{where}.event_hub_name", hub, "needs event_hub_authorization_rule_resource_id"
            )
        kind = entry.get("log_analytics_destination_type")
        if kind is not None:
            canonical = next(
                (t for t in DESTINATION_TYPES if isinstance(kind, str) and t.lower() == kind.lower()), None
            )
            if canonical is None:
                raise ComponentInputError(
                    component,
                    f"{where}.log_analytics_destination_type",
                    kind,
                    f"must be one of {', '.join(DESTINATION_TYPES)}",
                )
            if "workspace_resource_id" not in destinations:
                raise ComponentInputError(
                    component, f"{where}.log_analytics_destination_type", kind, "needs workspace_resource_id"
                )
            kind = canonical
        given_logs, given_metrics = entry.get("log_categories_and_groups"), entry.get("metric_categories")
        neither = given_logs is None and given_metrics is None
        logs = _logs(component, f"{where}.log_categories_and_groups", [] if given_logs is None else given_logs)
        metrics = _metrics(component, f"{where}.metric_categories", [] if given_metrics is None else given_metrics)
        if neither:
            logs, metrics = (("categoryGroup", "allLogs", True),), (("AllMetrics", True),)
        if not any(on for *_, on in logs) and not any(on for _, on in metrics):
            raise ComponentInputError(component, where, name, "sends nothing: enable a log category or a metric")
        planned.append(PlannedSetting(name, destinations, hub, kind, logs, metrics))
    _refuse_reused_sinks(component, setting, planned)
    return tuple(planned)


def _sinks(setting: PlannedSetting) -> dict[str, str]:
    """The destinations a setting writes to: comparable key (lower-cased, an event hub with its hub) -> the ID as
    written. Outputs can't be compared before they are known: left out."""
    sinks = {}
    for key, value in setting.destinations.items():
        if isinstance(value, str):
            hub = f"|{(setting.event_hub_name or '').lower()}" if key.startswith("event_hub") else ""
            sinks[f"{key}|{value.lower()}{hub}"] = f"{key} {value}"
    return sinks


def _overlap(a: Sequence[str], b: Sequence[str], everything: str) -> set[str]:
    """Categories both send (as the later setting spells them); `everything` (allLogs, AllMetrics) overlaps any
    category of its kind."""
    if a and b and everything.lower() in {c.lower() for c in [*a, *b]}:
        return {everything}
    earlier = {c.lower() for c in a}
    return {c for c in b if c.lower() in earlier}


def _refuse_reused_sinks(component: str, setting: str, planned: Sequence[PlannedSetting]) -> None:
    """One destination may not receive the same category from two settings of a resource (409, "Data sinks can't
    be reused"). Compared without regard to case, `allLogs`/`AllMetrics` overlapping every category of their kind."""
    for j, later in enumerate(planned):
        for i, earlier in enumerate(planned[:j]):
            sinks = _sinks(later)
            shared = sorted(set(_sinks(earlier)) & set(sinks))
            if not shared:
                continue
            logs = _overlap([v for _, v, on in earlier.logs if on], [v for _, v, on in later.logs if on], "allLogs")
            metrics = _overlap(
                [c for c, on in earlier.metrics if on], [c for c, on in later.metrics if on], "AllMetrics"
            )
            if logs or metrics:
                raise ComponentInputError(
                    component,
                    f"{setting}[{j}]",
                    later.name,
                    f"sends {', '.join(sorted(logs | metrics))} to the {sinks[shared[0]]} that setting [{i}] "
                    f"({earlier.name}) already sends it to: Azure refuses a destination reused for one category "
                    "(409 'Data sinks can't be reused')",
                )


def declare_diagnostic_settings(
    parent: pulumi.Resource, name: str, resource_uri: pulumi.Input[str], settings: Sequence[PlannedSetting]
) -> list[monitor.DiagnosticSetting]:
    """One `DiagnosticSetting` per planned setting, logical names `<name>-<setting name>`."""
    return [
        monitor.DiagnosticSetting(
            f"{name}-{s.name}",
            name=s.name,
            resource_uri=resource_uri,
            workspace_id=s.destinations.get("workspace_resource_id"),
            storage_account_id=s.destinations.get("storage_account_resource_id"),
            event_hub_authorization_rule_id=s.destinations.get("event_hub_authorization_rule_resource_id"),
            event_hub_name=s.event_hub_name,
            marketplace_partner_id=s.destinations.get("marketplace_partner_resource_id"),
            log_analytics_destination_type=s.destination_type,
            logs=[
                monitor.DiagnosticsLogSettingsArgs(
                    enabled=on,
                    category=v if k == "category" else None,
                    category_group=v if k == "categoryGroup" else None,
                )
                for k, v, on in s.logs
            ]
            or None,
            metrics=[monitor.DiagnosticsMetricSettingsArgs(category=c, enabled=on) for c, on in s.metrics] or None,
            opts=child(parent),
        )
        for s in settings
    ]
