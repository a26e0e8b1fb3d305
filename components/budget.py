"""A monthly cost budget on a workspace's resource group, with alert thresholds and contacts.

One workspace per project, in its own resource group, makes the resource group the natural cost
boundary: the budget covers the workspace and everything it created (computes included).
"""

import datetime as dt
from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import consumption

from amlws_rules import budget_violations
from amlws_rules.budget import first_of_month, start_date_findings

from amlws_rules.naming import BUDGET

from .schema import check_component_args
from ._common import ComponentInputError, check_name


class BudgetSettings(TypedDict):
    """A monthly budget."""

    budget_name: NotRequired[str]
    """`budgetName`; the logical name by default."""
    amount: float
    """Monthly amount in the billing currency."""
    start_date: NotRequired[str]
    (
        "First month of the budget (`YYYY-MM-01`, at most 12 months ahead); "
        "by default the current month when the budget is created, kept on later runs."
    )
    thresholds: NotRequired[list[float]]
    """Alert thresholds in percent of the amount, default `[80, 100]`; at most 5."""
    forecast_thresholds: NotRequired[list[float]]
    """Thresholds checked against the forecast rather than actual cost, default none."""
    contact_emails: list[str]
    """Who is alerted."""


def today() -> dt.date:
    """Today in UTC, the calendar Azure Cost Management counts months in."""
    return dt.datetime.now(dt.timezone.utc).date()


def validate_budget(component: str, budget: BudgetSettings | None) -> None:
    if budget is None:
        return
    check_name(component, "budget.budget_name", BUDGET, budget.get("budget_name"))
    thresholds = [*budget.get("thresholds", [80, 100]), *budget.get("forecast_thresholds", [])]
    start = budget.get("start_date")
    problems = budget_violations(
        amount=budget.get("amount", 0),
        start_date=None if start is None else str(start),
        thresholds=thresholds,
        contact_emails=list(budget.get("contact_emails") or []),
    )
    if start is not None:
        problems += start_date_findings(str(start), today())[0]
    if problems:
        raise ComponentInputError(component, "budget", dict(budget), "; ".join(problems))


def monthly_budget(
    name: str, budget: BudgetSettings, *, scope: pulumi.Input[str], opts: Optional[pulumi.ResourceOptions] = None
) -> consumption.Budget:
    """`Microsoft.Consumption/budgets` at `scope` (a resource group ID); refused before declaring if Azure would
    refuse it.

    Without `start_date` the budget starts in the current month. Azure refuses a start in a past month, so a
    fixed default date would break the first `up` once that month is over; and a default that moved every
    month would make each later run try to change the budget. So the default is today's month with
    `ignore_changes` on `timePeriod.startDate`: it is set when the budget is created and left alone after.
    A `start_date` given explicitly is always applied.
    """
    check_component_args("monthly_budget", name, budget, BudgetSettings)
    validate_budget("monthly_budget", budget)
    start = budget.get("start_date")
    if start is not None:
        for warning in start_date_findings(start, today())[1]:
            pulumi.log.warn(f"budget {name}: {warning}")
    opts = pulumi.ResourceOptions.merge(
        opts, pulumi.ResourceOptions(ignore_changes=["timePeriod.startDate"] if start is None else [])
    )
    notifications: dict[str, consumption.NotificationArgs] = {}
    for kind, key, default in (("Actual", "thresholds", [80, 100]), ("Forecasted", "forecast_thresholds", [])):
        for threshold in budget.get(key, default):
            notifications[f"{kind.lower()}-{int(threshold)}"] = consumption.NotificationArgs(
                enabled=True,
                operator="GreaterThanOrEqualTo",
                threshold=threshold,
                threshold_type=kind,
                contact_emails=list(budget["contact_emails"]),
            )
    return consumption.Budget(
        name,
        budget_name=budget.get("budget_name") or name,
        scope=scope,
        amount=budget["amount"],
        category="Cost",
        time_grain="Monthly",
        time_period=consumption.BudgetTimePeriodArgs(start_date=f"{(start or first_of_month(today()))[:10]}T00:00:00Z"),
        notifications=notifications,
        opts=opts,
    )
