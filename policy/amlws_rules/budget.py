"""Budget rules Azure Cost Management enforces on a monthly budget."""

from __future__ import annotations

import datetime as dt
import math

# `properties.amount` of Microsoft.Consumption/budgets is a decimal (Azure PowerShell's
# Update-AzConsumptionBudget documents `-Amount` as System.Decimal; azure-rest-api-specs consumption
# BudgetProperties.amount): .NET's System.Decimal.MaxValue is the largest amount Azure can hold.
MAX_BUDGET_AMOUNT = 79228162514264337593543950335


def budget_violations(*, amount: float, start_date: str, thresholds: list[float], contact_emails: list[str]) -> list[str]:
    problems: list[str] = []
    if not math.isfinite(amount) or not 0 < amount <= MAX_BUDGET_AMOUNT:
        problems.append(f"amount {amount} must be greater than 0 and at most {MAX_BUDGET_AMOUNT} (a decimal)")
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
