"""The policies of the new surface (workspace kinds, connections, privileged roles): each fires and stays
silent with known and with unknown values, called directly and through the analyzer protocol."""

import json

import pytest

from amlws.policy_runner import analyze, load_policy_config
from harness import ROOT
from policy_harness import BY_NAME, CANT_RUN, UNKNOWN, check_resource, check_stack
from unknowns import direct, urn, wire

from amlws_rules.connections import AUTH_TYPES, KEYLESS_AUTH_TYPES, connection_key_violation
from amlws_rules.kinds import WORKSPACE_KINDS, hub_network_violation, project_violations
from amlws_rules.privileged import PRIVILEGED_ROLES, privileged_role_name

WS = "azure-native:machinelearningservices:Workspace"
WS_VERSIONED = "azure-native:machinelearningservices/v20251201:Workspace"
CONN = "azure-native:machinelearningservices:WorkspaceConnection"
ST = "azure-native:storage:StorageAccount"
KV = "azure-native:keyvault:Vault"
RA = "azure-native:authorization:RoleAssignment"
RD = "azure-native:authorization:RoleDefinition"
HUB_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/hub1"
ST_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sthub"
OWNER = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
UAA = "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
RBAC_ADMIN = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/f58310d9-a9f6-439a-9e8d-f62e7b41a168"
READER = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
ALICE = "9d3b2a1c-0f4e-4d5c-8b7a-6e5f4d3c2b1a"
AZURE_OPENAI = "https://aoai.openai.azure.com/"


def conn(auth_type: str, category: str | None = "AzureOpenAI", **extra):
    return {"properties": {"authType": auth_type, "category": category, "target": AZURE_OPENAI, **extra}}


# (policy, type, props, config, fires?) -- every value the program can leave unknown is tried unknown too.
RESOURCE_CASES = [
    # A project attaches to a hub and declares none of the hub's resources.
    ("workspace-project-attached-to-hub", WS, {"kind": "Project", "hubResourceId": HUB_ID}, None, False),
    ("workspace-project-attached-to-hub", WS, {"kind": "project", "hubResourceId": UNKNOWN}, None, False),
    ("workspace-project-attached-to-hub", WS_VERSIONED, {"kind": "Project"}, None, True),
    ("workspace-project-attached-to-hub", WS, {"kind": "Project", "hubResourceId": ""}, None, True),
    (
        "workspace-project-attached-to-hub",
        WS,
        {"kind": "Project", "hubResourceId": UNKNOWN, "storageAccount": UNKNOWN},
        None,
        True,
    ),
    (
        "workspace-project-attached-to-hub",
        WS,
        {"kind": "Project", "hubResourceId": HUB_ID, "keyVault": "/kv"},
        None,
        True,
    ),
    ("workspace-project-attached-to-hub", WS, {"kind": "Hub", "storageAccount": UNKNOWN}, None, False),
    ("workspace-project-attached-to-hub", WS, {"storageAccount": ST_ID}, None, False),
    # Connections are keyless unless the config allows keys for the category.
    ("workspace-connection-keyless", CONN, conn("AAD"), None, False),
    ("workspace-connection-keyless", CONN, conn("ManagedIdentity", credentials={"resourceId": UNKNOWN}), None, False),
    ("workspace-connection-keyless", CONN, conn("none", "PythonFeed"), None, False),
    ("workspace-connection-keyless", CONN, conn("ApiKey", credentials={"key": UNKNOWN}), None, True),
    ("workspace-connection-keyless", CONN, conn("AccountKey", "AzureBlob"), None, True),
    ("workspace-connection-keyless", CONN, conn("PAT", "Git"), {"allowKeyCategories": ["git"]}, False),
    ("workspace-connection-keyless", CONN, conn("PAT", "Git"), {"allowKeyCategories": ["PythonFeed"]}, True),
    ("workspace-connection-keyless", CONN, conn("ApiKey", None), {"allowKeyCategories": ["Git"]}, True),
    # A hub's managed network is isolated.
    (
        "hub-managed-network-isolated",
        WS,
        {"kind": "Hub", "managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}},
        None,
        False,
    ),
    (
        "hub-managed-network-isolated",
        WS,
        {"kind": "hub", "managedNetwork": {"isolationMode": "allowinternetoutbound"}},
        None,
        False,
    ),
    ("hub-managed-network-isolated", WS, {"kind": "Hub", "managedNetwork": {"isolationMode": "Disabled"}}, None, True),
    ("hub-managed-network-isolated", WS, {"kind": "Hub", "publicNetworkAccess": "Disabled"}, None, True),
    ("hub-managed-network-isolated", WS, {"kind": "Hub", "hubResourceId": UNKNOWN, "managedNetwork": {}}, None, True),
    ("hub-managed-network-isolated", WS, {"kind": "Project", "hubResourceId": UNKNOWN}, None, False),
    (
        "hub-managed-network-isolated",
        WS,
        {"kind": "Default", "managedNetwork": {"isolationMode": "Disabled"}},
        None,
        False,
    ),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(RESOURCE_CASES)]


@pytest.mark.parametrize("policy, typ, props, config, fires", RESOURCE_CASES, ids=IDS)
def test_resource_verdicts_directly(policy, typ, props, config, fires):
    found = check_resource(policy, typ, props, config)
    assert not any(m.startswith(CANT_RUN) for m in found), found
    assert bool(found) == fires, found


@pytest.mark.parametrize("policy, typ, props, config, fires", RESOURCE_CASES, ids=IDS)
def test_resource_verdicts_through_the_protocol(pack, policy, typ, props, config, fires):
    given = {policy: {"enforcementLevel": "mandatory", **(config or {})}}
    found, _ = analyze(pack, wire([{"type": typ, "name": "r", "props": props}]), given, "(test)")
    mine = [v for v in found if v["policy"] == policy]
    assert not any("can't run" in v["message"] for v in mine), mine
    assert any(v["level"] == "mandatory" for v in mine) == fires, mine


@pytest.mark.parametrize(
    "policy, typ, props",
    [
        ("workspace-connection-keyless", CONN, {"properties": {"authType": UNKNOWN, "category": "AzureOpenAI"}}),
        ("hub-managed-network-isolated", WS, {"kind": "Hub", "managedNetwork": {"isolationMode": UNKNOWN}}),
        ("workspace-project-attached-to-hub", WS, {"kind": UNKNOWN, "storageAccount": ST_ID}),
    ],
)
def test_a_verdict_that_needs_an_unknown_value_is_the_sdks_advisory_not_a_guess(pack, policy, typ, props):
    assert check_resource(policy, typ, props)[0].startswith(CANT_RUN)
    found, _ = analyze(pack, wire([{"type": typ, "name": "r", "props": props}]), {}, "(test)")
    mine = [v for v in found if v["policy"] == policy]
    assert mine and all("can't run" in v["message"] and v["level"] == "advisory" for v in mine), mine


def test_the_messages_name_what_is_wrong_and_what_to_use():
    [message] = check_resource("workspace-connection-keyless", CONN, conn("ApiKey"), {"allowKeyCategories": ["Git"]})
    assert "authType is 'ApiKey' (category AzureOpenAI)" in message
    assert "keys are allowed only for Git" in message and "AAD or ManagedIdentity" in message
    found = check_resource("workspace-project-attached-to-hub", WS, {"kind": "Project", "containerRegistry": "/acr"})
    assert found == [
        "a Project workspace must name its hub in hubResourceId",
        "a Project workspace uses its hub's containerRegistry; it declares none of its own (containerRegistry is set)",
    ]
    [message] = check_resource("hub-managed-network-isolated", WS, {"kind": "Hub"})
    assert "not set (Azure default: Disabled)" in message and "AllowOnlyApprovedOutbound" in message


def test_the_rules_are_plain_functions_the_components_can_reuse():
    assert WORKSPACE_KINDS == ("Default", "Hub", "Project", "FeatureStore")
    assert project_violations("Default", None, {"storageAccount": ST_ID}) == []
    assert len(project_violations("Project", None, {"storageAccount": ST_ID, "keyVault": None})) == 2
    assert hub_network_violation("Hub", "AllowOnlyApprovedOutbound") is None
    assert hub_network_violation("FeatureStore", None) is None
    assert set(KEYLESS_AUTH_TYPES) < set(AUTH_TYPES) and len(AUTH_TYPES) == 12
    assert connection_key_violation("AAD", "AzureOpenAI", []) is None
    assert connection_key_violation("SAS", "AzureBlob", ["azureblob"]) is None
    assert privileged_role_name(OWNER) == "Owner" and privileged_role_name(UAA) == "User Access Administrator"
    assert privileged_role_name(RBAC_ADMIN.upper().replace("/SUBSCRIPTIONS/S/", "/subscriptions/s/")) is not None
    assert privileged_role_name(READER) is None and privileged_role_name(None) is None
    assert set(PRIVILEGED_ROLES.values()) == {
        "Owner",
        "User Access Administrator",
        "Role Based Access Control Administrator",
    }


# Privileged roles (stack policy): name -> (stack spec, config, {assignment: fires?}).
# IDs are unknown as in a first preview.
WS_PROPS = {"id": UNKNOWN, "workspaceName": "mlw-churn", "resourceGroupName": "rg", "storageAccount": UNKNOWN}
STACK = [
    {"type": ST, "name": "st", "props": {"id": UNKNOWN}},
    {"type": KV, "name": "kv-elsewhere", "props": {"id": UNKNOWN}},
    {"type": WS, "name": "ws", "props": WS_PROPS, "deps": {"storageAccount": ["st"]}},
]


def assignment(name, role, scope_dep=None, scope=UNKNOWN, principal=ALICE, role_dep=None):
    spec = {"type": RA, "name": name, "props": {"roleDefinitionId": role, "principalId": principal, "scope": scope}}
    deps = {}
    if scope_dep:
        deps["scope"] = [scope_dep]
    if role_dep:
        deps["roleDefinitionId"] = [role_dep]
    if deps:
        spec["deps"] = deps
    return spec


PRIVILEGED = {
    "on-the-workspace-and-its-storage": (
        [
            *STACK,
            assignment("owner-ws", OWNER, "ws"),
            assignment("uaa-st", UAA, "st"),
            assignment("rbac-admin-ws", RBAC_ADMIN, "ws", principal=UNKNOWN),
            assignment("reader-ws", READER, "ws"),
            assignment("owner-kv-elsewhere", OWNER, "kv-elsewhere"),
        ],
        None,
        {"owner-ws": True, "uaa-st": True, "rbac-admin-ws": True, "reader-ws": False, "owner-kv-elsewhere": False},
    ),
    "allowed-principal": (
        [
            *STACK,
            assignment("owner-ws", OWNER, "ws", principal=ALICE.upper()),
            assignment("uaa-ws", UAA, "ws", principal="b"),
        ],
        {"allowedPrincipalIds": [ALICE]},
        {"owner-ws": False, "uaa-ws": True},
    ),
    "known-scopes": (
        [
            *STACK,
            assignment("owner-other-ws", OWNER, scope=HUB_ID + "/"),
            assignment("owner-compute", OWNER, scope=f"{HUB_ID.replace('hub1', 'mlw-churn')}/computes/ci1"),
            assignment("owner-rg", OWNER, scope="/subscriptions/s/resourceGroups/rg"),
            assignment("owner-existing-storage", OWNER, scope=ST_ID),
        ],
        None,
        {"owner-other-ws": True, "owner-compute": True, "owner-rg": False, "owner-existing-storage": False},
    ),
    "existing-associated-resource-by-id": (
        [
            {"type": WS, "name": "ws", "props": {**WS_PROPS, "storageAccount": ST_ID}},
            assignment("owner-existing-storage", OWNER, scope=ST_ID.upper()),
        ],
        None,
        {"owner-existing-storage": True},
    ),
    "custom-role-defined-in-the-stack": (
        [
            *STACK,
            {"type": RD, "name": "custom", "props": {"id": UNKNOWN, "roleName": "ml-admin"}},
            assignment("custom-ws", UNKNOWN, "ws", role_dep="custom"),
            assignment("computed-role-ws", UNKNOWN, "ws"),
            assignment(
                "custom-known-id-ws", "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/x", "ws"
            ),
        ],
        None,
        {"custom-ws": False, "computed-role-ws": False, "custom-known-id-ws": False},
    ),
}


def _fired(found, name):
    return any(u and u.endswith(f"::{name}") for _, u in found)


@pytest.mark.parametrize("scenario", sorted(PRIVILEGED))
def test_privileged_roles_directly(scenario):
    spec, config, expected = PRIVILEGED[scenario]
    found = check_stack("workspace-privileged-role-assignment", direct(spec), config)
    assert not any(message.startswith(CANT_RUN) for message, _ in found), found
    assert {name: _fired(found, name) for name in expected} == expected, found


@pytest.mark.parametrize("scenario", sorted(PRIVILEGED))
def test_privileged_roles_through_the_protocol(pack, scenario):
    policy = "workspace-privileged-role-assignment"
    spec, config, expected = PRIVILEGED[scenario]
    found, _ = analyze(pack, wire(spec), {policy: {"enforcementLevel": "mandatory", **(config or {})}}, "(test)")
    mine = [v for v in found if v["policy"] == policy]
    assert not any("can't run" in v["message"] for v in mine), mine
    by_name = {s["name"]: s for s in spec}
    fired = {
        name: any(v["urn"] == urn(by_name[name]["type"], name) and v["level"] == "mandatory" for v in mine)
        for name in expected
    }
    assert fired == expected, mine


def test_an_unknown_principal_against_an_allow_list_costs_only_that_assignments_verdict():
    spec = [
        *STACK,
        assignment("owner-unknown", OWNER, "ws", principal=UNKNOWN),
        assignment("uaa-b", UAA, "ws", principal="b"),
    ]
    found = check_stack("workspace-privileged-role-assignment", direct(spec), {"allowedPrincipalIds": [ALICE]})
    assert _fired(found, "uaa-b") and not _fired(found, "owner-unknown")
    assert found[-1][0].startswith(CANT_RUN) and "principalId" in found[-1][0]


def test_the_message_names_role_scope_and_principal():
    spec = [*STACK, assignment("uaa-st", UAA, "st")]
    [(message, _)] = check_stack("workspace-privileged-role-assignment", direct(spec))
    assert message.startswith(
        "role assignment uaa-st grants User Access Administrator on the storageAccount of workspace ws "
        f"to principal {ALICE}"
    )


def test_levels_under_the_shipped_configs(pack, stack_preview):
    """dev: the hub network and privileged-role policies advise; prod: every new policy is mandatory."""
    dev = load_policy_config(ROOT / "policy/config/dev.json")
    prod = load_policy_config(ROOT / "policy/config/prod.json")
    assert dev["hub-managed-network-isolated"] == "advisory"
    assert dev["workspace-privileged-role-assignment"] == "advisory"
    for mandatory_everywhere in (
        "workspace-project-attached-to-hub",
        "workspace-project-hub-is-a-hub",
        "workspace-connection-keyless",
    ):
        assert mandatory_everywhere not in dev
    assert prod["all"] == "mandatory"
    stack = wire(
        [
            {"type": WS, "name": "hub", "props": {"kind": "Hub"}},
            {"type": WS, "name": "proj", "props": {"kind": "Project"}},
            {"type": CONN, "name": "c", "props": conn("ApiKey")},
            {"type": ST, "name": "st", "props": {"id": UNKNOWN}},
            assignment("owner-st", OWNER, scope=UNKNOWN),
        ]
    )
    stack.registrations[-1].property_dependencies = {"scope": [urn(ST, "st")]}
    stack.registrations[0].property_dependencies = {"storageAccount": [urn(ST, "st")]}
    mine = set(BY_NAME) & {
        "workspace-project-attached-to-hub",
        "workspace-connection-keyless",
        "hub-managed-network-isolated",
        "workspace-privileged-role-assignment",
    }
    levels = {}
    for name, config in (("dev", dev), ("prod", prod)):
        found, _ = analyze(pack, stack, json.loads(json.dumps(config)), "(test)")
        levels[name] = {v["policy"]: v["level"] for v in found if v["policy"] in mine}
    assert levels["prod"] == dict.fromkeys(mine, "mandatory")
    assert levels["dev"] == {
        "workspace-project-attached-to-hub": "mandatory",
        "workspace-connection-keyless": "mandatory",
        "hub-managed-network-isolated": "advisory",
        "workspace-privileged-role-assignment": "advisory",
    }


# A project's hub is a Hub: name -> (stack spec, {project: fires?}); IDs unknown as in a first preview.
HUB_KIND = {
    "by-dependency": (
        [
            {"type": WS, "name": "hub", "props": {"id": UNKNOWN, "kind": "Hub"}},
            {"type": WS, "name": "plain", "props": {"id": UNKNOWN}},
            {
                "type": WS,
                "name": "p1",
                "props": {"kind": "Project", "hubResourceId": UNKNOWN},
                "deps": {"hubResourceId": ["hub"]},
            },
            {
                "type": WS,
                "name": "p2",
                "props": {"kind": "Project", "hubResourceId": UNKNOWN},
                "deps": {"hubResourceId": ["plain"]},
            },
            {"type": WS, "name": "d1", "props": {"hubResourceId": UNKNOWN}, "deps": {"hubResourceId": ["plain"]}},
        ],
        {"p1": False, "p2": True, "d1": False},
    ),
    "by-known-id": (
        [
            {"type": WS, "name": "fs", "props": {"id": HUB_ID, "kind": "FeatureStore"}},
            {"type": WS, "name": "p1", "props": {"kind": "project", "hubResourceId": HUB_ID.upper()}},
            {"type": WS, "name": "p2", "props": {"kind": "Project", "hubResourceId": HUB_ID.replace("hub1", "other")}},
        ],
        {"p1": True, "p2": False},
    ),
}


@pytest.mark.parametrize("scenario", sorted(HUB_KIND))
def test_a_projects_hub_is_a_hub_directly(scenario):
    spec, expected = HUB_KIND[scenario]
    found = check_stack("workspace-project-hub-is-a-hub", direct(spec))
    assert not any(message.startswith(CANT_RUN) for message, _ in found), found
    assert {name: _fired(found, name) for name in expected} == expected, found


@pytest.mark.parametrize("scenario", sorted(HUB_KIND))
def test_a_projects_hub_is_a_hub_through_the_protocol(pack, scenario):
    policy = "workspace-project-hub-is-a-hub"
    spec, expected = HUB_KIND[scenario]
    found, _ = analyze(pack, wire(spec), {policy: "mandatory"}, "(test)")
    mine = [v for v in found if v["policy"] == policy]
    assert not any("can't run" in v["message"] for v in mine), mine
    fired = {name: any(v["urn"] == urn(WS, name) and v["level"] == "mandatory" for v in mine) for name in expected}
    assert fired == expected, mine


def test_a_hub_kind_not_known_yet_is_the_sdks_advisory():
    spec = [
        {"type": WS, "name": "hub", "props": {"id": UNKNOWN, "kind": UNKNOWN}},
        {
            "type": WS,
            "name": "p1",
            "props": {"kind": "Project", "hubResourceId": UNKNOWN},
            "deps": {"hubResourceId": ["hub"]},
        },
    ]
    found = check_stack("workspace-project-hub-is-a-hub", direct(spec))
    assert len(found) == 1 and found[0][0].startswith(CANT_RUN), found
    [(message, _)] = check_stack("workspace-project-hub-is-a-hub", direct(HUB_KIND["by-dependency"][0]))
    assert message == "project p2: hubResourceId names workspace plain, of kind Default, not a Hub"


def test_the_pack_flags_avm_maxs_owner_and_nothing_else_it_assigns(pack):
    """issue 22: AVM max's Owner, Contributor and Reader for a managed identity (role_assignments); only Owner is
    privileged (tests/test_interfaces.py has the scenario's ARM inputs)."""
    from amlws.policy_runner import analyze, load_policy_config
    from harness import ROOT, run
    from test_enterprise import workspace
    from test_interfaces import MSI_PRINCIPAL, OWNER, avm_max_roles

    policy = "workspace-privileged-role-assignment"
    result = run(workspace(role_assignments=avm_max_roles()))
    violations, _ = analyze(pack, result, load_policy_config(ROOT / "policy/config/prod.json"), "prod.json")
    mine = [v for v in violations if v["policy"] == policy]
    assert [v["urn"].rsplit("::", 1)[1] for v in mine] == [f"w-mlw-ra-{OWNER[:8]}-{MSI_PRINCIPAL}"]
    assert mine[0]["level"] == "mandatory" and "grants Owner on workspace" in mine[0]["message"]
