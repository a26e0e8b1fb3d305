"""Budget rules Azure Cost Management enforces on a monthly budget."""

from __future__ import annotations

import datetime as dt


def budget_violations(*, amount: float, start_date: str, thresholds: list[float], contact_emails: list[str]) -> list[str]:
    problems: list[str] = []
    if amount <= 0:
        problems.append(f"amount {amount} must be greater than 0")
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
