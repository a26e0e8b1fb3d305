"""A user-assigned identity the component creates as the workspace's primary identity (`workspace_identity`,
stack key `workspaceIdentity`), the roles it gets before the workspace exists, and the pack's
`workspace-user-assigned-identity` with `requirePrimaryIdentity` (Azure Policy 5f0c7d88) on prod.

Sources: Azure/azure-policy built-in-policies/policyDefinitions/Machine Learning/Workspace_UAIEnabled_Audit.json
(primaryUserAssignedIdentity must exist and not be ""); Azure/PSRule.Rules.Azure rules/Azure.ML.Rule.yaml
Azure.ML.UserManagedIdentity (identity.type UserAssigned, userAssignedIdentities, primaryUserAssignedIdentity);
MicrosoftDocs/azure-ai-docs articles/machine-learning/how-to-identity-based-service-authentication.md (roles on
the workspace, storage, key vault, registry and Application Insights); Azure/bicep-registry-modules
avm/res/machine-learning-services/workspace/main.bicep (primaryUserAssignedIdentity "may not be used if
'systemAssignedIdentity' is enabled").
"""

import json

import pytest

from amlws.mocks import SUBSCRIPTION_ID, ArmMocks
from amlws.monitor import plain
from amlws.policy_runner import analyze, load_policy_config
from amlws.preview import PreviewError, run_program, stack_config
from amlws.stacks.program import main
from amlws_rules import assignment_name
from harness import ROOT, by_type, inputs, one, run
from test_enterprise import ROLE_PREFIX, workspace

CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
KEY_VAULT_ADMINISTRATOR = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
POLICY = "workspace-user-assigned-identity"
REGISTRY = {"tags": {"project": "p"}}


def identity_named(result, name):
    return next(r for r in by_type(result, "managedidentity:UserAssignedIdentity") if r.name == name)


def upstream(result, urn):
    """Every URN `urn` waits for, directly or through others (dependencies and property dependencies)."""
    regs = {r.urn: r for r in result.registrations}
    seen: set[str] = set()
    todo = [urn]
    while todo:
        reg = regs.get(todo.pop())
        if reg is None:
            continue
        for dep in {*reg.dependencies, *(u for urns in reg.property_dependencies.values() for u in urns)}:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def test_the_created_identity_is_the_primary_one_and_holds_the_documented_roles_before_the_workspace():
    result = run(
        workspace(workspace_identity={}, container_registry=REGISTRY, customer_managed_key={"key_name": "cmk-w"})
    )
    ws = one(result, "machinelearningservices:Workspace")
    got = inputs(ws)
    mine, cmk = identity_named(result, "w-mlw-id"), identity_named(result, "w-cmk-id")
    assert inputs(mine)["resourceName"] == "id-w-mlw" and inputs(mine)["resourceGroupName"] == "rg"
    assert mine.protect is False and identity_named(result, "w-cmk-id").protect is False  # protect follows protect_data
    # identity.type UserAssigned (AVM, PSRule), both identities attached, the workspace's own one primary (5f0c7d88).
    assert got["identity"]["type"] == "UserAssigned"
    assert got["identity"]["userAssignedIdentities"] == [mine.id, cmk.id]
    assert got["primaryUserAssignedIdentity"] == mine.id and ws.property_dependencies[
        "primaryUserAssignedIdentity"
    ] == [mine.urn]
    assert got["encryption"]["identity"]["userAssignedIdentity"] == cmk.id  # the key keeps its own identity

    targets = {
        "storage": one(result, "storage:StorageAccount"),
        "keyvault": one(result, "keyvault:Vault"),
        "acr": one(result, "containerregistry:Registry"),
        "appi": one(result, "applicationinsights:Component"),
    }
    expected = {  # how-to-identity-based-service-authentication, "User-assigned managed identity"
        "w-identity-storage-contributor": ("storage", CONTRIBUTOR),
        "w-identity-storage-blob-data": ("storage", BLOB_DATA_CONTRIBUTOR),
        "w-identity-keyvault-contributor": ("keyvault", CONTRIBUTOR),
        "w-identity-keyvault-admin": ("keyvault", KEY_VAULT_ADMINISTRATOR),
        "w-identity-acr-contributor": ("acr", CONTRIBUTOR),
        "w-identity-appi-contributor": ("appi", CONTRIBUTOR),
    }
    principal = mine.outputs["principalId"]
    grants = {r.name: r for r in by_type(result, "RoleAssignment") if inputs(r)["principalId"] == principal}
    assert set(grants) == {*expected, "w-identity-workspace-contributor"}
    for name, (target, role) in expected.items():
        grant, scope = grants[name], targets[target]
        got_grant = inputs(grant)
        assert got_grant["scope"] == scope.id and got_grant["roleDefinitionId"] == ROLE_PREFIX + role
        assert got_grant["principalType"] == "ServicePrincipal"
        assert got_grant["roleAssignmentName"] == assignment_name(
            scope.id, principal, ROLE_PREFIX + role
        )  # uuid5 of scope, principal, role
        # Depends on the identity and its scope, on nothing that waits for the workspace, and the workspace waits for
        # it.
        assert scope.urn in grant.property_dependencies["scope"] and grant.property_dependencies["principalId"] == [
            mine.urn
        ]
        assert ws.urn not in upstream(result, grant.urn)
        assert grant.urn in ws.dependencies
    on_workspace = grants["w-identity-workspace-contributor"]
    assert inputs(on_workspace)["scope"] == ws.id and on_workspace.property_dependencies["scope"] == [ws.urn]
    assert inputs(on_workspace)["roleDefinitionId"] == ROLE_PREFIX + CONTRIBUTOR
    # The key's identity gets only its crypto role; no system-assigned identity exists to grant anything.
    assert [
        r.name for r in by_type(result, "RoleAssignment") if inputs(r)["principalId"] == cmk.outputs["principalId"]
    ] == ["w-cmk-crypto"]


def test_the_identity_is_protected_and_named_as_given():
    result = run(workspace(workspace_identity={"identity_name": "id-churn-prod-mlw"}, protect_data=True))
    mine = identity_named(result, "w-mlw-id")
    assert inputs(mine)["resourceName"] == "id-churn-prod-mlw" and mine.protect is True
    assert mine.ignore_changes == []  # a name the user gives is always applied


def test_a_system_assigned_identity_beside_it_only_on_request():
    result = run(workspace(workspace_identity={"system_assigned": True}))
    got = inputs(one(result, "machinelearningservices:Workspace"))
    mine = identity_named(result, "w-mlw-id")
    assert got["identity"]["type"] == "SystemAssigned,UserAssigned" and got["primaryUserAssignedIdentity"] == mine.id


def test_without_a_system_assigned_identity_datastores_use_the_user_assigned_one():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    result = run(
        workspace(workspace_identity={}, datastores=[lake], managed_network_isolation_mode="AllowOnlyApprovedOutbound")
    )
    principal = identity_named(result, "w-mlw-id").outputs["principalId"]
    assert (
        inputs(one(result, "machinelearningservices:Datastore"))["properties"]["serviceDataAccessAuthIdentity"]
        == "WorkspaceUserAssignedIdentity"
    )
    account = next(r for r in by_type(result, "storage:StorageAccount") if r.name == "w-lake-st")
    blob = next(inputs(r) for r in by_type(result, "RoleAssignment") if r.name == "w-lake-blob-data")
    assert (
        blob["principalId"] == principal
        and blob["scope"] == account.id
        and blob["roleDefinitionId"] == ROLE_PREFIX + BLOB_DATA_CONTRIBUTOR
    )
    approver = next(inputs(r) for r in by_type(result, "RoleAssignment") if r.name == "w-datastore-lake-pe-approver")
    assert approver["principalId"] == principal and approver["scope"] == account.id


def test_a_system_assigned_workspace_keeps_its_datastore_identity():
    lake = {"name": "lake", "datastore_type": "AzureDataLakeGen2", "container_name": "curated"}
    result = run(workspace(datastores=[lake]))
    assert (
        inputs(one(result, "machinelearningservices:Datastore"))["properties"]["serviceDataAccessAuthIdentity"]
        == "WorkspaceSystemAssignedIdentity"
    )


UAI = (
    f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"
)


@pytest.mark.parametrize(
    "overrides, setting, problem",
    [
        (
            {"primary_user_assigned_identity": UAI, "user_assigned_identity_ids": [UAI]},
            "primary_user_assigned_identity",
            "not beside workspace_identity",
        ),
        ({"identity_type": "SystemAssigned"}, "identity_type", "not beside workspace_identity"),
        ({"workspace_identity": {"identity_name": "-id"}}, "workspace_identity.identity_name", ""),
        (
            {
                "workspace_identity": {"identity_name": "id-w"},
                "customer_managed_key": {"key_name": "k", "identity_name": "ID-W"},
            },
            "workspace_identity.identity_name",
            "separate identities",
        ),
        ({"workspace_identity": {"system_assigned": "no"}}, "workspace_identity.system_assigned", "valid boolean"),
        (
            {"workspace_identity": {"systemAssigned": True}},
            "workspace_identity.systemAssigned",
            "did you mean 'system_assigned'",
        ),
        ({"workspace_identity": "yes"}, "workspace_identity", "valid dictionary"),
        (
            {"grant_workspace_identity_data_roles": False},
            "grant_workspace_identity_data_roles",
            "before the workspace is created",
        ),
    ],
)
def test_contradicting_or_bad_identity_settings_are_refused_before_anything_is_declared(overrides, setting, problem):
    from amlws.components import ComponentInputError

    args = {"workspace_identity": {}, **overrides}
    with pytest.raises(ComponentInputError) as err:
        run(workspace(**args), {UAI: {"principalId": "11111111-2222-4333-8444-555555555555"}})
    assert err.value.setting == setting and problem in err.value.problem


# Stack configuration -----------------------------------------------------------------------------

BASE = {"environment": "qa", "location": "westeurope", "tags": {"owner": "qa-team"}}


def preview_config(config: dict):
    raw = {f"amlws:{k}": (json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for k, v in config.items()}
    return run_program(main, "amlws", "qa", raw, [], ArmMocks({}))


def test_the_stack_key_creates_the_identity_with_its_default_name():
    result = preview_config({**BASE, "workspaces": [{"project": "churn", "workspaceIdentity": {}}]})
    mine = identity_named(result, "churn-mlw-id")
    got = inputs(one(result, "machinelearningservices:Workspace"))
    assert inputs(mine)["resourceName"] == "id-churn-qa-mlw" and inputs(mine)["resourceGroupName"] == "rg-churn-qa"
    assert got["primaryUserAssignedIdentity"] == mine.id and got["identity"]["type"] == "UserAssigned"


@pytest.mark.parametrize(
    "identity, extra, message",
    [
        (
            {"systemAssigned": "no"},
            {},
            'amlws:workspaces[0].workspaceIdentity.systemAssigned = "no": Input should be a valid boolean',
        ),
        ({"identityName": "-bad"}, {}, 'amlws:workspaces[0].workspaceIdentity.identityName = "-bad": '),
        (
            {"systemAsigned": True},
            {},
            "amlws:workspaces[0].workspaceIdentity.systemAsigned: unknown setting (did you mean systemAssigned?)",
        ),
        (
            {},
            {"primaryUserAssignedIdentity": UAI, "userAssignedIdentityIds": [UAI]},
            "amlws:workspaces[0].workspaceIdentity = {}: not beside primaryUserAssignedIdentity",
        ),
        ({}, {"identityType": "SystemAssigned"}, "amlws:workspaces[0].workspaceIdentity = {}: not beside identityType"),
        ({}, {"identityType": "Both"}, 'amlws:workspaces[0].identityType = "Both": Input should be'),
    ],
)
def test_bad_stack_values_name_the_file_key_value_and_what_is_allowed(identity, extra, message):
    with pytest.raises(PreviewError) as err:
        preview_config({**BASE, "workspaces": [{"project": "churn", "workspaceIdentity": identity, **extra}]})
    text = str(err.value)
    assert text.startswith("Pulumi.qa.yaml: invalid configuration") and message in text, text
    assert "Traceback" not in text and err.value.registrations == []


def test_prod_gives_each_workspace_an_identity_of_its_own(stack_preview):
    result = stack_preview("prod")
    identities = {r.id: r for r in by_type(result, "managedidentity:UserAssignedIdentity")}
    shared = {
        kind: one(result, kind).id
        for kind in ("keyvault:Vault", "containerregistry:Registry", "applicationinsights:Component")
    }
    for ws in by_type(result, "machinelearningservices:Workspace"):
        project = ws.name.removesuffix("-mlw")
        got = inputs(ws)
        mine = identities[got["primaryUserAssignedIdentity"]]
        assert (
            mine.name == f"{project}-mlw-id"
            and inputs(mine)["resourceName"] == f"id-{project}-prod-mlw"
            and mine.protect
        )
        assert got["identity"]["type"] == "UserAssigned"
        principal = mine.outputs["principalId"]
        grants = {
            r.name.removeprefix(f"{project}-identity-"): r
            for r in by_type(result, "RoleAssignment")
            if inputs(r)["principalId"] == principal and r.name.startswith(f"{project}-identity-")
        }
        assert {k: inputs(g)["scope"] for k, g in grants.items() if k != "workspace-contributor"} == {
            "storage-contributor": got["storageAccount"],
            "storage-blob-data": got["storageAccount"],
            "keyvault-contributor": shared["keyvault:Vault"],
            "keyvault-admin": shared["keyvault:Vault"],
            "acr-contributor": shared["containerregistry:Registry"],
            "appi-contributor": shared["applicationinsights:Component"],
        }
        assert all(g.urn in ws.dependencies for k, g in grants.items() if k != "workspace-contributor")
        assert inputs(grants["workspace-contributor"])["scope"] == ws.id
    # The stack output names the identity to grant elsewhere (principalId, the system-assigned identity's, is empty).
    churn = plain(result.outputs)["churn"]
    assert churn["primaryIdentityPrincipalId"] == identity_named(result, "churn-mlw-id").outputs["principalId"]
    assert churn["principalId"] == ""


# The pack ----------------------------------------------------------------------------------------


def prod_with_workspace_identity(unknowns: bool, identity: dict | None):
    """prod with each workspace's `workspaceIdentity` replaced (None: removed)."""
    config, secrets = stack_config(ROOT, "amlws", "prod")
    workspaces = json.loads(config["amlws:workspaces"])
    for ws in workspaces:
        del ws["workspaceIdentity"]
        if identity is not None:
            ws["workspaceIdentity"] = identity
    config["amlws:workspaces"] = json.dumps(workspaces)
    return run_program(main, "amlws", "prod", config, secrets, ArmMocks({}, unknowns=unknowns))


def prod_without_workspace_identity(unknowns: bool):
    return prod_with_workspace_identity(unknowns, None)


def test_prod_policy_config_keeps_the_built_ins_full_check():
    given = load_policy_config(ROOT / "policy/config/prod.json")[POLICY]
    # requirePrimaryIdentity keeps its default, true (5f0c7d88); prod also meets PSRule Azure.ML.UserManagedIdentity,
    # which wants identity.type exactly UserAssigned (requireUserAssignedOnly).
    assert given == {"required": True, "requireUserAssignedOnly": True}


@pytest.mark.parametrize("unknowns", [False, True])
def test_the_policy_is_silent_on_prod_and_fires_on_its_workspaces_without_a_primary_identity(
    pack, stack_verdicts, unknowns
):
    given = load_policy_config(ROOT / "policy/config/prod.json")
    assert stack_verdicts("prod", "own", unknowns) == []  # prod under prod.json
    violations, _ = analyze(pack, prod_without_workspace_identity(unknowns), given, "prod.json")
    mine = [v for v in violations if v["policy"] == POLICY]
    by_workspace: dict[str, list[str]] = {}
    for v in mine:
        by_workspace.setdefault(v["urn"].rsplit("::", 1)[1], []).append(v["message"])
    assert sorted(by_workspace) == ["churn-mlw", "fraud-mlw"]
    assert all(v["level"] == "mandatory" for v in mine)
    for messages in by_workspace.values():
        # 5f0c7d88's check, and (requireUserAssignedOnly) PSRule's: the CMK identity makes it
        # SystemAssigned,UserAssigned.
        assert sum("primaryUserAssignedIdentity is not set" in m for m in messages) == 1
        assert sum("identity.type is 'SystemAssigned,UserAssigned', not 'UserAssigned'" in m for m in messages) == 1
        assert len(messages) == 2
    assert not [v for v in violations if "during preview" in v["message"]]


@pytest.mark.parametrize("unknowns", [False, True])
def test_prod_fires_when_its_workspaces_keep_a_system_assigned_identity_beside_their_own(pack, unknowns):
    """PSRule Azure.ML.UserManagedIdentity (Azure/PSRule.Rules.Azure src/PSRule.Rules.Azure/rules/Azure.ML.Rule.yaml:
    identity.type `equals: UserAssigned`) fails SystemAssigned,UserAssigned, which 5f0c7d88 accepts."""
    given = load_policy_config(ROOT / "policy/config/prod.json")
    both = prod_with_workspace_identity(unknowns, {"systemAssigned": True})
    violations, _ = analyze(pack, both, given, "prod.json")
    mine = [v for v in violations if v["policy"] == POLICY]
    assert sorted(v["urn"].rsplit("::", 1)[1] for v in mine) == ["churn-mlw", "fraud-mlw"]
    assert all(v["level"] == "mandatory" and "not 'UserAssigned'" in v["message"] for v in mine)
    assert not [v for v in violations if "during preview" in v["message"]]
    # Without the option (its default), the same stack passes: 5f0c7d88 needs only the primary identity.
    given[POLICY] = {"required": True}
    violations, _ = analyze(pack, both, given, "prod.json")
    assert not [v for v in violations if v["policy"] == POLICY]
