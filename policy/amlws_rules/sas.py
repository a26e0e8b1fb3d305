"""The SAS expiration policy a storage account carries (`sasPolicy`).

Azure Policy 7aa1c9d5 ("Storage SAS tokens should adhere to 7 day maximum validity", default effect
Deny; Azure/azure-policy built-in-policies/policyDefinitions/Storage/
EnforceStorageSasMaxExpiration7Days_Deny.json) splits `sasExpirationPeriod` (`d.hh:mm:ss`) on ':'
and '.', refuses more than 7 days (or 7 days and any more hours, minutes or seconds), and requires
`expirationAction` Block. bc1b984e (StorageAccountSasPolicy_Restrict.json) requires a sasPolicy.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

DEFAULT_SAS_POLICY = {"sasExpirationPeriod": "1.00:00:00", "expirationAction": "Block"}
_PERIOD = re.compile(r"^(\d+)\.(\d{2}):(\d{2}):(\d{2})$")


def sas_policy_violations(policy: Mapping[str, Any] | None, max_days: float = 7) -> list[str]:
    """What is wrong with this `sasPolicy` (empty when none)."""
    if not policy:
        return ["no sasPolicy: SAS tokens signed with the account key never expire by policy"]
    problems: list[str] = []
    period = policy.get("sasExpirationPeriod")
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if match is None:
        problems.append(f"sasPolicy.sasExpirationPeriod {period!r} is not of the form d.hh:mm:ss")
    else:
        days, rest = int(match[1]), any(int(part) for part in match.groups()[1:])
        if days > max_days or (days == max_days and rest):
            problems.append(f"sasPolicy.sasExpirationPeriod {period} is longer than {max_days:g} days")
    if str(policy.get("expirationAction", "")).lower() != "block":
        problems.append(f"sasPolicy.expirationAction is {policy.get('expirationAction')!r}, not Block")
    return problems
