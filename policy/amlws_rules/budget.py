"""Budget rules Azure Cost Management enforces on a monthly budget.

`timePeriod.startDate` is the first of a month, not in a past month (beyond the current time grain) and
not more than 12 months ahead (BudgetTimePeriod in the Microsoft.Consumption budgets spec,
specification/consumption/.../2024-08-01, as recorded in the project's checked notes). Whether a past month
is refused depends on whether the budget exists yet (an existing budget keeps its start date), which an
offline check cannot know: `start_date_findings` reports it as a warning, the future limit as an error.
"""

from __future__ import annotations

import datetime as dt
import math

# `properties.amount` of Microsoft.Consumption/budgets is a decimal (Azure PowerShell's
# Update-AzConsumptionBudget documents `-Amount` as System.Decimal; azure-rest-api-specs consumption
# BudgetProperties.amount): .NET's System.Decimal.MaxValue is the largest amount Azure can hold.
MAX_BUDGET_AMOUNT = 79228162514264337593543950335

MONTHS_AHEAD = 12


def first_of_month(today: dt.date) -> str:
    """The default start date: the first day of the current month (UTC, as Azure counts)."""
    return today.replace(day=1).isoformat()


def _months_between(start: dt.date, today: dt.date) -> int:
    return (start.year - today.year) * 12 + start.month - today.month


def start_date_findings(start_date: str, today: dt.date) -> tuple[list[str], list[str]]:
    """(errors, warnings) for a start date given in the stack file, judged against `today`."""
    try:
        start = dt.date.fromisoformat(start_date[:10])
    except ValueError:
        return [], []  # budget_violations reports the format
    ahead = _months_between(start, today)
    if ahead > MONTHS_AHEAD:
        return [
            f"startDate {start_date} is {ahead} months ahead; Azure accepts at most {MONTHS_AHEAD} months ahead"
        ], []
    if ahead < 0:
        return [], [
            f"startDate {start_date} is in a past month: Azure refuses it when it creates the budget (an existing "
            "budget keeps its start date); leave startDate out to start in the current month"
        ]
    return [], []


def budget_violations(
    *, amount: float, start_date: str | None, thresholds: list[float], contact_emails: list[str]
) -> list[str]:
    problems: list[str] = []
    if not math.isfinite(amount) or not 0 < amount <= MAX_BUDGET_AMOUNT:
        problems.append(f"amount {amount} must be greater than 0 and at most {MAX_BUDGET_AMOUNT} (a decimal)")
    if start_date is not None:
        try:
            start = dt.date.fromisoformat(start_date[:10])
            if start.day != 1:
                problems.append(f"startDate {start_date} must be the first day of a month")
        except ValueError:
            problems.append(f"startDate {start_date!r} is not a date (YYYY-MM-DD)")
    if not thresholds:
        problems.append("at least one alert threshold is needed")
    for threshold in thresholds:
        if not 0 < threshold <= 1000:
            problems.append(f"threshold {threshold} must be a percentage above 0 and at most 1000")
    if len(thresholds) > 5:
        problems.append("a budget takes at most 5 notifications")
    if not contact_emails:
        problems.append("at least one contact email is needed")
    return problems
