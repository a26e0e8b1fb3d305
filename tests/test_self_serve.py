"""The self-serve zone: its Azure Policy rules run against ARM request bodies, its roles against the
operation names, the image-build setting both ways, and the pack's two policies (directly and over
the analyzer protocol, with unknown values too)."""

from __future__ import annotations

import copy
import sys

import pytest
import pulumi
from pulumi_azure_native import authorization
from pulumi_azure_native import machinelearningservices as ml
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from amlws.components import ComponentInputError, MachineLearningWorkspace, SelfServeZone
from amlws.mocks import ArmMocks
from amlws.monitor import Registration, plain
from amlws.policy_runner import analyze
from amlws.preview import PreviewResult, run_program
from amlws.stacks.config import StackConfigError, parse_stack_config
from harness import ROOT, by_type, inputs, one, run
from policy_harness import check_stack

sys.path.insert(0, str(ROOT / "policy"))
from amlws_rules import selfserve as rules  # noqa: E402
from amlws_rules.azure_policy import PolicyRuleError, evaluate, matches, with_defaults  # noqa: E402

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
WS = "Microsoft.MachineLearningServices/workspaces"

# Built-in rules, copied from Azure/azure-policy built-in-policies/policyDefinitions/Machine Learning/
# Workspace_PublicNetworkAccessDisabled_Audit.json (438c38d2) and ManagedNetworkIsolationMode_Audit.json (6ddb1705).
BUILTIN_RULES = {
    rules.BUILTIN_PUBLIC_NETWORK_ACCESS_DISABLED: {
        "if": {
            "allOf": [
                {"field": "type", "equals": WS},
                {
                    "anyOf": [
                        {"field": f"{WS}/publicNetworkAccess", "exists": "false"},
                        {"field": f"{WS}/publicNetworkAccess", "notEquals": "Disabled"},
                    ]
                },
            ]
        },
        "then": {"effect": "[parameters('effect')]"},
    },
    rules.BUILTIN_MANAGED_NETWORK_ISOLATION_MODE: {
        "if": {
            "allOf": [
                {"field": "type", "equals": WS},
                {"field": f"{WS}/managedNetwork.isolationMode", "notEquals": "[parameters('isolationMode')]"},
            ]
        },
        "then": {"effect": "[parameters('effect')]"},
    },
}

# Operation names read in "Azure permissions for AI + machine learning", section Microsoft.MachineLearningServices
# (MicrosoftDocs/azure-docs articles/role-based-access-control/permissions/ai-machine-learning.md).
OPERATIONS = {
    "Microsoft.MachineLearningServices/register/action",
    "Microsoft.MachineLearningServices/locations/workspaceOperationsStatus/read",
    "Microsoft.MachineLearningServices/workspaces/read",
    "Microsoft.MachineLearningServices/workspaces/write",
    "Microsoft.MachineLearningServices/workspaces/delete",
    "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    "Microsoft.MachineLearningServices/workspaces/computes/read",
    "Microsoft.MachineLearningServices/workspaces/computes/write",
    "Microsoft.MachineLearningServices/workspaces/computes/delete",
    "Microsoft.MachineLearningServices/workspaces/computes/start/action",
    "Microsoft.MachineLearningServices/workspaces/environments/read",
    "Microsoft.MachineLearningServices/workspaces/environments/readSecrets/action",
    "Microsoft.MachineLearningServices/workspaces/environments/write",
    "Microsoft.MachineLearningServices/workspaces/environments/build/action",
    "Microsoft.MachineLearningServices/workspaces/environments/versions/read",
    "Microsoft.MachineLearningServices/workspaces/environments/versions/write",
    "Microsoft.MachineLearningServices/workspaces/environments/versions/delete",
    "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action",
    "Microsoft.MachineLearningServices/workspaces/datastores/read",
    "Microsoft.MachineLearningServices/workspaces/codes/versions/write",
}


# The evaluator ------------------------------------------------------------------------------------


def test_evaluator_operators_and_missing_fields():
    body = {
        "type": WS,
        "name": "w",
        "tags": {"Owner": "me"},
        "properties": {"publicNetworkAccess": "Disabled", "storageAccount": "/A/b"},
    }
    field = lambda alias, **op: {"field": alias, **op}  # noqa: E731
    assert matches(field("type", equals=WS.lower()), body)  # case-insensitive
    assert matches(field(f"{WS}/publicNetworkAccess", notEquals="Enabled"), body)
    assert matches(field(f"{WS}/storageAccount", **{"in": ["/a/B", "/c"]}), body)
    assert not matches(field(f"{WS}/storageAccount", notIn=["/a/B"]), body)
    assert matches(field("tags['owner']", exists="true"), body) and matches(
        field("tags.costCenter", exists=False), body
    )
    assert matches(field("name", like="w*"), body) and not matches(field("name", notLike="w*"), body)
    # a missing field compares as null: equals/in/like false, notEquals/notIn/notLike true
    missing = f"{WS}/containerRegistry"
    assert not matches(field(missing, equals="x"), body) and matches(field(missing, notEquals="x"), body)
    assert not matches(field(missing, **{"in": ["x"]}), body) and matches(field(missing, notIn=["x"]), body)
    assert not matches(field(missing, like="*"), body) and matches(field(missing, notLike="*"), body)
    assert matches({"not": field(missing, exists="true")}, body)
    assert matches(
        {"allOf": [field("name", equals="w"), {"anyOf": [field("name", equals="x"), field("type", equals=WS)]}]}, body
    )
    assert not matches({"allOf": [field("name", equals="w"), {"anyOf": [field("name", equals="x")]}]}, body)


def test_evaluator_parameters_effects_and_refusals():
    rule = {
        "if": {"field": f"{WS}/storageAccount", "notIn": "[parameters('ok')]"},
        "then": {"effect": "[parameters('effect')]"},
    }
    body = {"type": WS, "properties": {"storageAccount": "/x"}}
    assert evaluate(rule, body, {"ok": ["/y"], "effect": "Deny"}) == "Deny"
    assert evaluate(rule, body, {"ok": ["/X"], "effect": "Deny"}) is None
    assert with_defaults({"effect": {"defaultValue": "Audit"}, "ok": {}}, {"ok": []}) == {"effect": "Audit", "ok": []}
    with pytest.raises(PolicyRuleError, match="no value"):
        evaluate(rule, body, {"effect": "Deny"})
    with pytest.raises(PolicyRuleError, match="unknown field"):
        matches({"field": f"{WS}/madeUp", "equals": "x"}, body)
    with pytest.raises(PolicyRuleError, match="unsupported condition|exactly one"):
        matches({"field": "name", "greater": 1}, body)
    with pytest.raises(PolicyRuleError, match="unsupported expression"):
        matches({"count": {"field": "x"}}, body)


# The zone in the real stacks ----------------------------------------------------------------------


@pytest.fixture
def prod(stack_preview) -> PreviewResult:
    return stack_preview("prod")  # shared with the other read-only tests of the session


@pytest.fixture
def dev(stack_preview) -> PreviewResult:
    return stack_preview("dev")


def zone_rules(result: PreviewResult) -> list[tuple[str, dict, dict]]:
    """(kind, policy rule, parameter values) for every assignment of the zone, as Azure would evaluate them."""
    definitions = {r.urn: inputs(r) for r in by_type(result, ":PolicyDefinition")}
    found = []
    for reg in by_type(result, ":PolicyAssignment"):
        body = inputs(reg)
        values = {k: v["value"] for k, v in body["parameters"].items()}
        deps = reg.property_dependencies.get("policyDefinitionId", [])
        if deps:
            definition = definitions[deps[0]]
            rule, values = definition["policyRule"], with_defaults(definition["parameters"], values)
        else:
            rule = BUILTIN_RULES.get(body["policyDefinitionId"])
            if rule is None:
                continue  # e96a9a5f is about computes, not the workspace body
        found.append((body["metadata"]["amlwsRule"], rule, values))
    return found


def workspace_body(outputs: dict, tags: dict | None = None, **properties) -> dict:
    """The ARM request body of `PUT .../workspaces/<name>` a data scientist's CLI or SDK sends."""
    props = {
        "storageAccount": outputs["storageAccountId"].upper(),  # Azure compares resource IDs case-insensitively
        "keyVault": outputs["keyVaultId"],
        "applicationInsights": outputs["applicationInsightsId"],
        "publicNetworkAccess": "Disabled",
        "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"},
    }
    if outputs.get("containerRegistryId"):
        props["containerRegistry"] = outputs["containerRegistryId"]
    props.update(properties)
    return {
        "type": WS,
        "name": "mlw-ds-experiments",
        "location": "westeurope",
        "identity": {"type": "SystemAssigned"},
        "tags": {"project": "ds", "environment": "prod", "owner": "ana", "costCenter": "cc-1"}
        if tags is None
        else tags,
        "properties": {k: v for k, v in props.items() if v is not None},
    }


def verdicts(result: PreviewResult, body: dict) -> dict[str, str]:
    return {kind: effect for kind, rule, values in zone_rules(result) if (effect := evaluate(rule, body, values))}


OTHER_STORAGE = f"{SUB}/resourceGroups/rg-ds/providers/Microsoft.Storage/storageAccounts/dsown"


def test_prod_zone_denies_a_non_compliant_workspace_and_admits_a_compliant_one(prod):
    out = prod.to_json()["outputs"]["selfServe"]
    assert {kind for kind, _, _ in zone_rules(prod)} == {
        "approved-resources",
        "required-tags",
        "public-network-access",
        "managed-network-isolation-mode",
    }
    assert verdicts(prod, workspace_body(out)) == {}
    assert verdicts(prod, workspace_body(out, storageAccount=OTHER_STORAGE)) == {"approved-resources": "Deny"}
    assert verdicts(prod, workspace_body(out, containerRegistry=None)) == {
        "approved-resources": "Deny"
    }  # image builds allowed: registry required
    assert verdicts(prod, workspace_body(out, tags={"project": "ds", "owner": "ana"})) == {"required-tags": "Deny"}
    assert verdicts(prod, workspace_body(out, publicNetworkAccess="Enabled")) == {"public-network-access": "Deny"}
    assert verdicts(prod, workspace_body(out, managedNetwork=None)) == {"managed-network-isolation-mode": "Deny"}
    everything = workspace_body(
        out, tags={}, storageAccount=OTHER_STORAGE, publicNetworkAccess=None, managedNetwork=None
    )
    assert set(verdicts(prod, everything).values()) == {"Deny"} and len(verdicts(prod, everything)) == 4


def test_dev_zone_audits_instead_and_needs_no_registry(dev):
    out = dev.to_json()["outputs"]["selfServe"]
    assert out["containerRegistryId"] is None
    assert {kind for kind, _, _ in zone_rules(dev)} == {"approved-resources", "required-tags"}
    open_ws = workspace_body(out, publicNetworkAccess="Enabled", managedNetwork=None)  # dev is open
    assert verdicts(dev, open_ws) == {}
    assert verdicts(dev, workspace_body(out, storageAccount=OTHER_STORAGE)) == {"approved-resources": "Audit"}
    foreign = f"{SUB}/resourceGroups/rg-ds/providers/Microsoft.ContainerRegistry/registries/dsacr"
    assert verdicts(dev, workspace_body(out, containerRegistry=foreign)) == {"approved-resources": "Audit"}
    assert verdicts(dev, workspace_body(out, tags={"owner": "ana"})) == {"required-tags": "Audit"}


def test_zone_assignments_sit_at_its_resource_group_with_the_environment_effect(prod, dev):
    for result, effect in ((prod, "Deny"), (dev, "Audit")):
        group = next(r for r in by_type(result, ":ResourceGroup") if r.name == "selfserve-rg")
        for reg in by_type(result, ":PolicyAssignment"):
            body = inputs(reg)
            assert reg.property_dependencies["scope"] == [group.urn]
            assert body["parameters"]["effect"]["value"] == effect and body["enforcementMode"] == "Default"
    builtin = {
        inputs(r)["policyDefinitionId"]: inputs(r)["parameters"]
        for r in by_type(prod, ":PolicyAssignment")
        if not r.property_dependencies["policyDefinitionId"]
    }
    assert builtin[rules.BUILTIN_MANAGED_NETWORK_ISOLATION_MODE] == {
        "isolationMode": {"value": "AllowOnlyApprovedOutbound"},
        "effect": {"value": "Deny"},
    }
    assert set(builtin) == {
        rules.BUILTIN_MANAGED_NETWORK_ISOLATION_MODE,
        rules.BUILTIN_PUBLIC_NETWORK_ACCESS_DISABLED,
        rules.BUILTIN_COMPUTE_LOCAL_AUTH_DISABLED,
    }
    approved = next(inputs(r) for r in by_type(prod, ":PolicyDefinition") if r.name.endswith("approved-resources"))
    assert "documented workspace-storage rules" in approved["description"] and approved["policyType"] == "Custom"


# Roles --------------------------------------------------------------------------------------------


def test_role_actions_are_real_operation_names():
    explicit = [
        a for a in rules.WORKSPACE_CREATOR_ACTIONS if a.startswith("Microsoft.MachineLearningServices") and "*" not in a
    ]
    assert explicit and set(explicit) <= OPERATIONS
    assert set(rules.IMAGE_BUILD_ACTIONS) <= OPERATIONS
    for pattern in rules.AZUREML_DATA_SCIENTIST_ACTIONS:  # every wildcard covers some real operation
        assert any(rules.role_grants([pattern], [], op) for op in OPERATIONS), pattern


def test_creator_role_creates_workspaces_and_nothing_more():
    grants = lambda op: rules.role_grants(rules.WORKSPACE_CREATOR_ACTIONS, [], op)  # noqa: E731
    assert (
        grants(rules.OP_WORKSPACE_WRITE)
        and grants(rules.OP_WORKSPACE_READ)
        and grants(rules.OP_WORKSPACE_OPERATION_STATUS)
    )
    for op in (
        rules.OP_WORKSPACE_DELETE,
        rules.OP_COMPUTE_WRITE,
        rules.OP_JOBS_WRITE,
        rules.OP_ENVIRONMENT_BUILD,
        rules.OP_ROLE_ASSIGNMENT_WRITE,
        "Microsoft.Storage/storageAccounts/write",
        "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    ):
        assert not grants(op), op


def test_data_scientist_role_without_image_builds():
    def builtin(op: str) -> bool:
        return rules.role_grants(rules.AZUREML_DATA_SCIENTIST_ACTIONS, rules.AZUREML_DATA_SCIENTIST_NOT_ACTIONS, op)

    def no_builds(op: str) -> bool:
        return rules.role_grants(rules.AZUREML_DATA_SCIENTIST_ACTIONS, rules.NO_IMAGE_BUILDS_NOT_ACTIONS, op)

    for op in rules.IMAGE_BUILD_ACTIONS:
        assert builtin(op) and not no_builds(op), op
    for op in (
        rules.OP_JOBS_WRITE,
        rules.OP_ENVIRONMENT_READ,
        "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action",
        "Microsoft.MachineLearningServices/workspaces/codes/versions/write",
    ):
        assert builtin(op) and no_builds(op), op
    for op in (
        rules.OP_WORKSPACE_WRITE,
        rules.OP_WORKSPACE_DELETE,
        "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    ):
        assert not builtin(op) and not no_builds(op), op
    assert rules.role_grants(
        ["microsoft.machinelearningservices/workspaces/*"], [], rules.OP_ENVIRONMENT_BUILD
    )  # case-insensitive


def test_zone_roles_in_the_stacks(prod, dev):
    zone_roles = [r for r in by_type(prod, ":RoleDefinition") if r.name.startswith("selfserve-")]
    assert [r.name for r in zone_roles] == [
        "selfserve-creator-role"
    ]  # prod allows image builds: the built-in role serves
    creator = inputs(zone_roles[0])
    assert creator["permissions"][0]["actions"] == list(rules.WORKSPACE_CREATOR_ACTIONS)
    assert creator["assignableScopes"] == [f"{SUB}/resourceGroups/rg-selfserve-prod"]
    scientists = [inputs(r) for r in by_type(prod, ":RoleAssignment") if r.name.startswith("selfserve-data-scientist")]
    assert len(scientists) == 2 and all(
        s["roleDefinitionId"].endswith("f6c7c914-8db3-469d-8ca1-694a8f32e121") for s in scientists
    )
    dev_roles = {r.name: inputs(r) for r in by_type(dev, ":RoleDefinition")}
    no_builds = dev_roles["selfserve-data-scientist-role"]["permissions"][0]
    assert no_builds["notActions"] == list(rules.NO_IMAGE_BUILDS_NOT_ACTIONS)


# The image-build setting, both ways ---------------------------------------------------------------

BASE = {
    "resource_group_name": "rg",
    "location": "westeurope",
    "workspace_name": "mlw-t",
    "tags": {"owner": "me"},
    "access": {"data_scientists": ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"]},
}


def _workspace(**extra):
    return lambda: MachineLearningWorkspace("t", {**BASE, **extra})  # type: ignore[typeddict-item]


def _scientist_role(result: PreviewResult) -> str:
    assignment = next(r for r in by_type(result, ":RoleAssignment") if r.name.startswith("t-access-data-scientists"))
    deps = assignment.property_dependencies.get("roleDefinitionId", [])
    return deps[0] if deps else inputs(assignment)["roleDefinitionId"]


def test_workspace_with_a_registry_allows_image_builds_by_default():
    result = run(_workspace(container_registry={}))
    assert _scientist_role(result).endswith("f6c7c914-8db3-469d-8ca1-694a8f32e121") and not by_type(
        result, ":RoleDefinition"
    )


@pytest.mark.parametrize("extra", [{}, {"image_builds": "Disabled", "container_registry": {}}])
def test_workspace_without_image_builds_gets_the_role_without_them(extra):
    result = run(_workspace(**extra))
    role = one(result, ":RoleDefinition")
    assert _scientist_role(result) == role.urn
    assert set(rules.IMAGE_BUILD_ACTIONS) <= set(inputs(role)["permissions"][0]["notActions"])


def test_allowing_image_builds_without_a_registry_is_refused_before_anything_is_declared():
    with pytest.raises(ComponentInputError, match="image_builds='Allowed'.*untagged"):
        run(_workspace(image_builds="Allowed"))
    with pytest.raises(ComponentInputError, match="must be Allowed or Disabled"):
        run(_workspace(image_builds="Sometimes", container_registry={}))


ZONE = {
    "resource_group_name": "rg-ss",
    "location": "westeurope",
    "tags": {"owner": "me"},
    "creator_group_object_ids": ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"],
    "resources": {"storage": {}, "key_vault": {}, "monitoring": {}},
}


def test_zone_image_builds_both_ways():
    disabled = run(lambda: SelfServeZone("z", copy.deepcopy(ZONE)))  # type: ignore[arg-type]
    assert {r.name for r in by_type(disabled, ":RoleDefinition")} == {"z-creator-role", "z-data-scientist-role"}
    allowed = run(
        lambda: SelfServeZone(
            "z", {**copy.deepcopy(ZONE), "resources": {**ZONE["resources"], "container_registry": {}}}
        )
    )  # type: ignore[arg-type]
    assert {r.name for r in by_type(allowed, ":RoleDefinition")} == {"z-creator-role"}
    assert by_type(allowed, ":containerregistry:Registry")
    with pytest.raises(ComponentInputError, match="untagged"):
        run(lambda: SelfServeZone("z", {**copy.deepcopy(ZONE), "image_builds": "Allowed"}))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"creator_group_object_ids": []}, "at least one"),
        ({"creator_group_object_ids": ["me@contoso.com"]}, "GUID"),
        ({"effect": "Disabled"}, "Deny .*or Audit"),
        ({"resources": {"storage": {}, "key_vault": {}}}, "resources.monitoring.*Application Insights"),
        (
            {
                "approved": {
                    "storage_account_id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
                    "/providers/Microsoft.Storage/storageAccounts/stzone"
                }
            },
            "approved.storage_account_id.*keep one",
        ),
        ({"required_tags": ["a'b"]}, "tag names"),
        ({"managed_network_isolation_mode": "Open"}, "must be one of"),
        ({"approved": {"storage_id": "/x"}}, "unknown setting; did you mean 'storage_account_id'"),
    ],
)
def test_zone_refuses_bad_inputs_before_declaring(change, message):
    with pytest.raises(ComponentInputError, match=message):
        run(lambda: SelfServeZone("z", {**copy.deepcopy(ZONE), **change}))  # type: ignore[arg-type]


def test_stack_config_errors_name_the_key():
    base = {
        "environment": "dev",
        "location": "westeurope",
        "tags": {"owner": "me"},
        "workspaces": [{"project": "churn"}],
    }
    with pytest.raises(StackConfigError, match=r"amlws:workspaces\[0\]\.imageBuilds = \"Maybe\""):
        parse_stack_config({**base, "workspaces": [{"project": "churn", "imageBuilds": "Maybe"}]}, "Pulumi.dev.yaml")
    with pytest.raises(StackConfigError, match=r"amlws:selfServe\.creatorGroupObjectIds: required"):
        parse_stack_config({**base, "selfServe": {"effect": "Audit"}}, "Pulumi.dev.yaml")
    with pytest.raises(StackConfigError, match=r"amlws:selfServe\.effect = \"Block\""):
        parse_stack_config(
            {
                **base,
                "selfServe": {"creatorGroupObjectIds": ["3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"], "effect": "Block"},
            },
            "Pulumi.dev.yaml",
        )


# The pack's policies, directly ----------------------------------------------------------------------


def _res(typ, name, props, parent=None, deps=None, unknown=False):
    bag = unknown_checking_proxy(props) if unknown else props
    return PolicyResource(typ, bag, f"urn:pulumi:t::p::{typ}::{name}", name, None, None, parent, [], deps or {})


WORKSPACE_T = "azure-native:machinelearningservices:Workspace"
ASSIGNMENT_T = "azure-native:authorization:RoleAssignment"
ROLE_T = "azure-native:authorization:RoleDefinition"
DS = f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/f6c7c914-8db3-469d-8ca1-694a8f32e121"


def _builds_stack(ws_props, role_id=DS, role_definition=None, unknown=False):
    ws = _res(WORKSPACE_T, "ws", {"workspaceName": "mlw-a", "resourceGroupName": "rg-a", **ws_props}, unknown=unknown)
    deps = {"scope": [ws]}
    extra = []
    if role_definition is not None:
        extra = [_res(ROLE_T, "role", role_definition)]
        deps["roleDefinitionId"] = extra
    assignment = _res(
        ASSIGNMENT_T,
        "ds",
        {"scope": UNKNOWN_STRING_VALUE if unknown else f"{SUB}/resourceGroups/rg-a", "roleDefinitionId": role_id},
        deps=deps,
        unknown=unknown,
    )
    return [ws, assignment, *extra]


NO_BUILD_ROLE = {
    "roleName": "nb",
    "permissions": [
        {"actions": list(rules.AZUREML_DATA_SCIENTIST_ACTIONS), "notActions": list(rules.NO_IMAGE_BUILDS_NOT_ACTIONS)}
    ],
}


def test_image_build_policy_fires_and_stays_silent():
    policy = "workspace-image-builds-need-registry"
    fired = check_stack(policy, _builds_stack({}))
    assert len(fired) == 1 and "AzureML Data Scientist" in fired[0][0] and fired[0][1].endswith("::ws")
    assert check_stack(policy, _builds_stack({"containerRegistry": f"{SUB}/x"})) == []
    assert check_stack(policy, _builds_stack({}), {"tagEnforcing": False}) == []  # not a tag-enforcing environment
    assert check_stack(policy, _builds_stack({}, role_id=UNKNOWN_STRING_VALUE, role_definition=NO_BUILD_ROLE)) == []
    builds = {
        "roleName": "b",
        "permissions": [{"actions": ["Microsoft.MachineLearningServices/workspaces/*"], "notActions": []}],
    }
    assert len(check_stack(policy, _builds_stack({}, role_id=UNKNOWN_STRING_VALUE, role_definition=builds))) == 1
    reader = f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
    assert check_stack(policy, _builds_stack({}, role_id=reader)) == []


def test_image_build_policy_with_unknown_values():
    policy = "workspace-image-builds-need-registry"
    # the registry the stack creates is still unknown: a registry all the same
    assert check_stack(policy, _builds_stack({"containerRegistry": UNKNOWN_STRING_VALUE}, unknown=True)) == []
    # unknown scope string, but the scope is wired to the workspace: still judged
    assert len(check_stack(policy, _builds_stack({}, unknown=True))) == 1
    # an unknown role that nothing resolves: no verdict rather than a guess
    assert check_stack(policy, _builds_stack({}, role_id=UNKNOWN_STRING_VALUE, unknown=True)) == []


def _zone_stack(effects: dict[str, str], mode="Default"):
    zone = _res("amlws:index:SelfServeZone", "selfserve", {})
    children = [
        _res(
            "azure-native:authorization:PolicyAssignment",
            f"selfserve-{kind}",
            {"metadata": {"amlwsRule": kind}, "parameters": {"effect": {"value": effect}}, "enforcementMode": mode},
            parent=zone,
        )
        for kind, effect in effects.items()
    ]
    return [zone, *children]


def test_zone_policy_fires_and_stays_silent():
    policy = "self-serve-zone-governed"
    all_deny = {k: "Deny" for k in rules.required_rule_kinds()}
    assert check_stack(policy, _zone_stack(all_deny)) == []
    assert check_stack(policy, _zone_stack({k: "Audit" for k in all_deny}), {"effect": "Audit"}) == []
    audit_in_prod = check_stack(policy, _zone_stack({**all_deny, "required-tags": "Audit"}))
    assert len(audit_in_prod) == 1 and "needs 'Deny'" in audit_in_prod[0][0]
    missing = check_stack(policy, _zone_stack({"approved-resources": "Deny"}))
    assert len(missing) == 1 and "compute-local-auth, required-tags" in missing[0][0]
    locked = {**all_deny, rules.PUBLIC_NETWORK_ACCESS: "Deny"}
    assert (
        "public-network-access" in check_stack(policy, _zone_stack(all_deny), {"requiredRules": sorted(locked)})[0][0]
    )
    assert "DoNotEnforce" in check_stack(policy, _zone_stack(all_deny, mode="DoNotEnforce"))[0][0]
    assert check_stack(policy, _builds_stack({"containerRegistry": "x"})) == []  # no zone, nothing to say


# The pack's policies, through the protocol ------------------------------------------------------


def _ours(violations):
    return [
        v for v in violations if v["policy"] in ("workspace-image-builds-need-registry", "self-serve-zone-governed")
    ]


def test_stacks_pass_both_policies_with_their_shipped_config(pack, stack_verdicts, dev):
    import json

    prod_cfg = json.loads((ROOT / "policy/config/prod.json").read_text())
    assert _ours(stack_verdicts("prod", "own")) == []  # prod under prod.json
    assert _ours(stack_verdicts("dev", "own")) == []  # dev under dev.json
    wrong = _ours(analyze(pack, dev, prod_cfg, "prod.json")[0])  # dev's audit-mode zone judged as prod
    assert wrong and all(v["policy"] == "self-serve-zone-governed" and v["level"] == "mandatory" for v in wrong)
    assert any("needs 'Deny'" in v["message"] for v in wrong) and any(
        "public-network-access" in v["message"] for v in wrong
    )


def _raw_builds_program(registry: bool, unknown_registry: bool = False):
    def program():
        ws = ml.Workspace(
            "ws",
            resource_group_name="rg-a",
            workspace_name="mlw-a",
            location="westeurope",
            container_registry=f"{SUB}/r" if registry else None,
        )
        authorization.RoleAssignment(
            "ds",
            scope=ws.id,
            role_definition_id=DS,
            principal_id="3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
            principal_type="Group",
        )
        pulumi.export("id", ws.id)

    return program


def test_image_build_policy_through_the_protocol(pack):
    bare = run_program(_raw_builds_program(False), "amlws", "t", {}, [], ArmMocks())
    fired = _ours(analyze(pack, bare, {}, "(test)")[0])
    assert [v["urn"].rsplit("::", 1)[1] for v in fired] == ["ws"] and fired[0]["level"] == "mandatory"
    with_registry = run_program(_raw_builds_program(True), "amlws", "t", {}, [], ArmMocks())
    assert _ours(analyze(pack, with_registry, {}, "(test)")[0]) == []
    assert (
        _ours(analyze(pack, bare, {"workspace-image-builds-need-registry": {"tagEnforcing": False}}, "(test)")[0]) == []
    )
    # unknown values travel as the SDK's sentinels: an unknown registry ID still counts as a registry
    unknown = PreviewResult(
        "amlws",
        "t",
        [
            Registration(
                urn=r.urn,
                type=r.type,
                name=r.name,
                parent=r.parent,
                custom=r.custom,
                protect=r.protect,
                inputs={
                    **plain(r.inputs),
                    **({"containerRegistry": UNKNOWN_STRING_VALUE} if r.type.endswith(":Workspace") else {}),
                },
                dependencies=r.dependencies,
                property_dependencies=r.property_dependencies,
                outputs=None,
            )
            for r in bare.registrations
        ],
    )
    assert _ours(analyze(pack, unknown, {}, "(test)")[0]) == []
