"""A small evaluator for the subset of the Azure Policy rule language the self-serve zone uses.

Used by the tests (and available to anyone) to run a policy rule the stack creates against an ARM
request body, e.g. the JSON of `PUT .../Microsoft.MachineLearningServices/workspaces/<name>`, the
way Azure Policy evaluates it before the resource provider sees it. Supported: `allOf`, `anyOf`,
`not`; `field` with `type`, `name`, `location`, `tags['k']`/`tags.k` and the aliases in `ALIASES`;
the conditions `equals`, `notEquals`, `in`, `notIn`, `exists`, `like`, `notLike`; and
`[parameters('x')]` as a whole value. Anything else raises, so a rule never passes by accident.

Semantics (learn.microsoft.com, governance/policy/concepts/definition-structure-policy-rule):
string comparisons are case-insensitive; `like` takes one `*` wildcard per the docs (any number here);
a field that does not exist compares as null, so `equals`/`in`/`like` are false and `notEquals`/
`notIn`/`notLike` are true. The built-in 6ddb1705 relies on exactly that: it flags a workspace
without `managedNetwork` through `notEquals` alone.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any, Mapping

# Alias -> path in the ARM request body. Each alias is checked against a source that uses it:
# - storageAccount, keyVault, applicationInsights, containerRegistry, publicNetworkAccess: the ARM
#   alias export in Azure/PSRule.Rules.Azure data/providers/microsoft.machinelearningservices/types.json
#   (resourceType "workspaces", e.g. "Microsoft.MachineLearningServices/workspaces/storageAccount":
#   "properties.storageAccount").
# - publicNetworkAccess: also the built-in 438c38d2 (Azure/azure-policy built-in-policies/
#   policyDefinitions/Machine Learning/Workspace_PublicNetworkAccessDisabled_Audit.json).
# - managedNetwork.isolationMode: the built-in 6ddb1705 (.../Machine Learning/ManagedNetworkIsolationMode_Audit.json).
# - computes/disableLocalAuth: the built-in e96a9a5f
#   (.../Machine Learning/MachineLearningServices_DisableLocalAuth_Audit.json).
ALIASES: dict[str, str] = {
    "Microsoft.MachineLearningServices/workspaces/storageAccount": "properties.storageAccount",
    "Microsoft.MachineLearningServices/workspaces/keyVault": "properties.keyVault",
    "Microsoft.MachineLearningServices/workspaces/applicationInsights": "properties.applicationInsights",
    "Microsoft.MachineLearningServices/workspaces/containerRegistry": "properties.containerRegistry",
    "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess": "properties.publicNetworkAccess",
    "Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode": (
        "properties.managedNetwork.isolationMode"
    ),
    "Microsoft.MachineLearningServices/workspaces/computes/disableLocalAuth": "properties.disableLocalAuth",
}

_PARAM = re.compile(r"^\[parameters\('([^']+)'\)\]$")
_TAG = re.compile(r"^tags(?:\['([^']+)'\]|\.(.+))$")
_MISSING = object()


class PolicyRuleError(ValueError):
    """The rule uses something this evaluator does not implement."""


def _resolve(value: Any, parameters: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        match = _PARAM.match(value)
        if match:
            if match.group(1) not in parameters:
                raise PolicyRuleError(f"parameter {match.group(1)!r} has no value")
            return parameters[match.group(1)]
    return value


def _path(body: Mapping[str, Any], path: str) -> Any:
    value: Any = body
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return _MISSING if value is None else value


def field_value(body: Mapping[str, Any], field: str) -> Any:
    """The value a `field` names in an ARM request body (`_MISSING` when absent)."""
    if field in ("type", "name", "location", "kind", "id"):
        return _path(body, field)
    tag = _TAG.match(field)
    if tag:
        wanted = (tag.group(1) or tag.group(2)).lower()
        tags = body.get("tags") or {}
        return next((v for k, v in tags.items() if k.lower() == wanted), _MISSING)
    if field not in ALIASES:
        raise PolicyRuleError(f"unknown field or alias {field!r}")
    return _path(body, ALIASES[field])


def _fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _condition(actual: Any, op: str, expected: Any) -> bool:
    missing = actual is _MISSING
    if op == "exists":
        return (not missing) == (str(expected).lower() == "true")
    if op in ("equals", "notEquals"):
        same = not missing and _fold(actual) == _fold(expected)
        return same if op == "equals" else not same
    if op in ("in", "notIn"):
        if not isinstance(expected, list):
            raise PolicyRuleError(f"{op} needs an array, got {expected!r}")
        found = not missing and _fold(actual) in [_fold(e) for e in expected]
        return found if op == "in" else not found
    if op in ("like", "notLike"):
        hit = not missing and isinstance(actual, str) and fnmatch.fnmatchcase(actual.lower(), str(expected).lower())
        return hit if op == "like" else not hit
    raise PolicyRuleError(f"unsupported condition {op!r}")


OPERATORS = ("equals", "notEquals", "in", "notIn", "exists", "like", "notLike")


def matches(
    expression: Mapping[str, Any], body: Mapping[str, Any], parameters: Mapping[str, Any] | None = None
) -> bool:
    """Does the `if` expression hold for this request body?"""
    params = parameters or {}
    if "allOf" in expression:
        return all(matches(e, body, params) for e in expression["allOf"])
    if "anyOf" in expression:
        return any(matches(e, body, params) for e in expression["anyOf"])
    if "not" in expression:
        return not matches(expression["not"], body, params)
    if "field" in expression:
        ops = [op for op in OPERATORS if op in expression]
        if len(ops) != 1:
            raise PolicyRuleError(f"a field condition needs exactly one of {OPERATORS}: {dict(expression)}")
        actual = field_value(body, expression["field"])
        return _condition(actual, ops[0], _resolve(expression[ops[0]], params))
    raise PolicyRuleError(f"unsupported expression {dict(expression)}")


def evaluate(
    policy_rule: Mapping[str, Any], body: Mapping[str, Any], parameters: Mapping[str, Any] | None = None
) -> str | None:
    """The effect (`Deny`, `Audit`, ...) when the rule's `if` holds, else None (compliant or not applicable)."""
    params = parameters or {}
    if not matches(policy_rule["if"], body, params):
        return None
    effect = _resolve(policy_rule["then"]["effect"], params)
    return str(effect)


def with_defaults(definition_parameters: Mapping[str, Any], assigned: Mapping[str, Any] | None) -> dict[str, Any]:
    """Assignment values over the definition's `defaultValue`s (what Azure hands the rule)."""
    values = {k: v["defaultValue"] for k, v in definition_parameters.items() if "defaultValue" in v}
    values.update(assigned or {})
    return values
