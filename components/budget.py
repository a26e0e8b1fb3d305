"""A monthly cost budget on a workspace's resource group, with alert thresholds and contacts.

One workspace per project, in its own resource group, makes the resource group the natural cost
boundary: the budget covers the workspace and everything it created (computes included).
"""


from typing import NotRequired, Optional, TypedDict

import pulumi
from pulumi_azure_native import consumption

from amlws_rules import budget_violations

from amlws_rules.naming import BUDGET

from ._common import ComponentInputError, check_name


class BudgetSettings(TypedDict):
    """A monthly budget."""

    budget_name: NotRequired[str]
    """`budgetName`; the logical name by default."""
    amount: float
    """Monthly amount in the billing currency."""
    start_date: str
    """First month of the budget (`YYYY-MM-01`); fixed, so the budget does not change every month."""
    thresholds: NotRequired[list[float]]
    """Alert thresholds in percent of the amount, default `[80, 100]`; at most 5."""
    forecast_thresholds: NotRequired[list[float]]
    """Thresholds checked against the forecast rather than actual cost, default none."""
    contact_emails: list[str]
    """Who is alerted."""


def validate_budget(component: str, budget: BudgetSettings | None) -> None:
    if budget is None:
        return
    check_name(component, "budget.budget_name", BUDGET, budget.get("budget_name"))
    thresholds = [*budget.get("thresholds", [80, 100]), *budget.get("forecast_thresholds", [])]
    problems = budget_violations(
        amount=budget.get("amount", 0), start_date=str(budget.get("start_date", "")), thresholds=thresholds,
        contact_emails=list(budget.get("contact_emails") or []),
    )
    if problems:
        raise ComponentInputError(component, "budget", dict(budget), "; ".join(problems))


def monthly_budget(
    name: str, budget: BudgetSettings, *, scope: pulumi.Input[str], opts: Optional[pulumi.ResourceOptions] = None
) -> consumption.Budget:
    """`Microsoft.Consumption/budgets` at `scope` (a resource group ID); refused before declaring if Azure would refuse it."""
    validate_budget("monthly_budget", budget)
    notifications: dict[str, consumption.NotificationArgs] = {}
    for kind, key, default in (("Actual", "thresholds", [80, 100]), ("Forecasted", "forecast_thresholds", [])):
        for threshold in budget.get(key, default):  # type: ignore[attr-defined]
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
        time_period=consumption.BudgetTimePeriodArgs(start_date=f"{budget['start_date'][:10]}T00:00:00Z"),
        notifications=notifications,
        opts=opts,
    )
