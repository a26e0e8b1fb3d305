"""The stack's monthly budget per project (`budget` of a workspace): the stack's own model, checked by the
rules the pack reads too (amlws_rules.budget).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from pydantic import EmailStr, ValidationInfo, field_validator, model_validator

from amlws_rules import budget_violations, naming
from amlws_rules.budget import start_date_findings

from .config_base import DUMPED_ON_ITS_OWN, StackModel, name_check


class BudgetConfig(StackModel):
    model_config = DUMPED_ON_ITS_OWN  # program.py: the component's BudgetSettings

    budget_name: Optional[str] = None
    """`budgetName`; default `budget-<project>-<environment>`."""
    amount: float
    """The monthly amount, in the billing currency."""
    start_date: Optional[str] = None
    """First day of a month (`YYYY-MM-01`); default the current month when the budget is created
    (components/budget.py)."""
    thresholds: list[float] = [80, 100]
    """Alert at these percentages of the amount actually spent."""
    forecast_thresholds: list[float] = []
    """Alert at these percentages of the amount forecast."""
    contact_emails: list[EmailStr]
    """Who the alerts go to (email-validator's syntax check, no DNS lookup)."""

    _check_name = name_check(naming.BUDGET, "budget_name")

    @field_validator("thresholds", "forecast_thresholds", "contact_emails")
    @classmethod
    def _lists(cls, values: list[Any], info: ValidationInfo) -> list[Any]:
        """Problems of one list on its own key, so the message names it (budget_violations: one rule)."""
        if info.field_name == "contact_emails":
            problems = budget_violations(amount=1, start_date=None, thresholds=[100], contact_emails=values)
        else:
            empty_ok = info.field_name == "forecast_thresholds"
            problems = budget_violations(amount=1, start_date=None, thresholds=values or [100], contact_emails=["a"])
            if not values and not empty_ok:
                problems.append("at least one alert threshold is needed")
        if problems:
            raise ValueError("; ".join(problems))
        return values

    @model_validator(mode="after")
    def _rules(self) -> "BudgetConfig":
        problems = budget_violations(
            amount=self.amount,
            start_date=self.start_date,
            thresholds=[*self.thresholds, *self.forecast_thresholds],
            contact_emails=self.contact_emails,
        )
        if self.start_date is not None and not problems:
            problems += start_date_findings(self.start_date, dt.datetime.now(dt.timezone.utc).date())[0]
        if problems:
            raise ValueError("; ".join(problems))
        return self
