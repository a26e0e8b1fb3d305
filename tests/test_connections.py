"""Workspace connections under the recording mock monitor: the inputs each connection and grant receives,
the key that stays a secret, and each refusal before anything is declared."""

from typing import Any

import pulumi
import pytest

from amlws.components import ComponentInputError
from amlws.components.connections import declare_connections, plan_connections
from amlws.monitor import MASK, plain
from amlws_rules import assignment_name
from harness import by_type, inputs, run

SUB = "00000000-0000-0000-0000-000000000000"
AOAI_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai1"
SEARCH_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.Search/searchServices/srch1"
PRINCIPAL = "11111111-2222-3333-4444-555555555555"
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
COGNITIVE_SERVICES_USER = "a97b65f3-24c7-4388-baec-2e87135dc908"
SEARCH_INDEX_DATA_READER = "1407120a-92aa-4202-b7e9-c0e197c71c8f"


def aoai(**overrides):
    conn = {
        "name": "aoai",
        "category": "AzureOpenAI",
        "target": "https://aoai1.openai.azure.com/",
        "resource_id": AOAI_ID,
    }
    conn.update(overrides)
    return conn


def program(connections, principal: str | None = PRINCIPAL, secret_output: bool | None = None):
    """`secret_output`: give the first connection the key "k3y", as a secret Output (True) or a plain string."""

    def run_it():
        if secret_output is not None:
            connections[0]["secret"] = pulumi.Output.secret("k3y") if secret_output else "k3y"
        plan = plan_connections("MachineLearningWorkspace", connections)
        parent = pulumi.ComponentResource("amlws:index:MachineLearningWorkspace", "w")
        declared = declare_connections(
            plan,
            parent,
            name="w",
            workspace_name="mlw-w",
            resource_group_name="rg",
            subscription_id=SUB,
            principal_id=principal,
        )
        pulumi.export("ids", declared.ids)

    return run_it


def connection(result, name):
    found = [r for r in by_type(result, "machinelearningservices:WorkspaceConnection") if r.name == f"w-conn-{name}"]
    assert len(found) == 1, [r.name for r in result.registrations]
    return found[0]


def test_keyless_connection_and_its_grant():
    result = run(program([aoai()]))
    conn = connection(result, "aoai")
    got = inputs(conn)
    assert got["connectionName"] == "aoai" and got["workspaceName"] == "mlw-w" and got["resourceGroupName"] == "rg"
    assert got["properties"] == {
        "authType": "AAD",
        "category": "AzureOpenAI",
        "target": "https://aoai1.openai.azure.com/",
        "metadata": {"ApiType": "Azure", "ResourceId": AOAI_ID},
        "isSharedToAll": True,
    }
    [grant] = by_type(result, "authorization:RoleAssignment")
    assert grant.name == "w-conn-rg-ai-aoai1-cognitive-services-openai-user"
    assert grant.parent == conn.parent
    g = inputs(grant)
    assert g["scope"] == AOAI_ID and g["principalId"] == PRINCIPAL and g["principalType"] == "ServicePrincipal"
    assert (
        g["roleDefinitionId"] == f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OPENAI_USER}"
    )
    assert g["roleAssignmentName"] == assignment_name(AOAI_ID, PRINCIPAL, OPENAI_USER)
    assert grant.urn in conn.dependencies  # the connection is usable once the identity may use the target


@pytest.mark.parametrize(
    "category, resource_id, role",
    [
        ("AzureOpenAI", AOAI_ID, OPENAI_USER),
        ("AIServices", AOAI_ID, COGNITIVE_SERVICES_USER),
        ("CognitiveSearch", SEARCH_ID, SEARCH_INDEX_DATA_READER),
    ],
)
def test_each_category_grants_its_documented_role(category, resource_id, role):
    result = run(program([aoai(category=category, resource_id=resource_id)]))
    [grant] = by_type(result, "authorization:RoleAssignment")
    assert inputs(grant)["roleDefinitionId"].endswith(f"/roleDefinitions/{role}")
    assert inputs(grant)["scope"] == resource_id
    assert inputs(connection(result, "aoai"))["properties"]["category"] == category


def test_one_grant_per_target_and_role():
    conns = [
        aoai(name="aoai-a"),
        aoai(name="aoai-b", metadata={"ApiVersion": "2024-10-21"}),
        aoai(name="services", category="AIServices"),
    ]
    result = run(program(conns))
    roles = sorted(
        inputs(g)["roleDefinitionId"].rsplit("/", 1)[1] for g in by_type(result, "authorization:RoleAssignment")
    )
    assert roles == sorted([OPENAI_USER, COGNITIVE_SERVICES_USER])
    assert inputs(connection(result, "aoai-b"))["properties"]["metadata"] == {
        "ApiType": "Azure",
        "ResourceId": AOAI_ID,
        "ApiVersion": "2024-10-21",
    }


@pytest.mark.parametrize("as_output", [True, False])
def test_key_stays_a_secret_and_grants_nothing(as_output):
    # An Output made outside the program's event loop would never resolve: the program makes it.
    result = run(program([aoai(auth_type="ApiKey", is_shared_to_all=False)], secret_output=as_output))
    conn = connection(result, "aoai")
    props = inputs(conn)["properties"]
    assert props["authType"] == "ApiKey" and props["isSharedToAll"] is False
    assert props["credentials"] == {"key": MASK}  # registered as a secret, even when given as a plain string
    assert plain(conn.inputs, mask=False)["properties"]["credentials"]["key"] == "k3y"
    assert by_type(result, "authorization:RoleAssignment") == []


def test_no_grant_without_a_workspace_principal():
    result = run(program([aoai()], principal=None))
    assert by_type(result, "authorization:RoleAssignment") == []
    assert inputs(connection(result, "aoai"))["properties"]["authType"] == "AAD"


def test_no_connections_declare_nothing():
    result = run(program(None))
    assert [r.type for r in result.registrations if r.custom] == []


@pytest.mark.parametrize(
    "connections, setting, quote",
    [
        ([aoai(name="ab")], "connections[0].name", "connectionName pattern"),
        ([aoai(name="-bad")], "connections[0].name", "starting with a letter or digit"),
        ([aoai(name="a" * 34)], "connections[0].name", "3-33"),
        ([aoai(), aoai(name="AOAI")], "connections[1].name", "already the name of connections[0]"),
        ([aoai(category="AzureOpenAi")], "connections[0].category", "did you mean 'AzureOpenAI'"),
        ([aoai(category="Snowflake")], "connections[0].category", "one of AzureOpenAI, AIServices, CognitiveSearch"),
        ([aoai(auth_type="aad")], "connections[0].auth_type", "did you mean 'AAD'"),
        ([aoai(auth_type="ManagedIdentity")], "connections[0].auth_type", "one of AAD, ApiKey"),
        ([aoai(auth_type="ApiKey")], "connections[0].secret", "required with auth_type ApiKey"),
        ([aoai(secret="k3y")], "connections[0].secret", "not with auth_type AAD"),
        (
            [aoai(resource_id=SEARCH_ID)],
            "connections[0].resource_id",
            "not an ARM ID of a Microsoft.CognitiveServices/accounts",
        ),
        (
            [aoai(category="CognitiveSearch")],
            "connections[0].resource_id",
            "not an ARM ID of a Microsoft.Search/searchServices",
        ),
        ([aoai(resource_id="aoai1")], "connections[0].resource_id", "does not start with /subscriptions/"),
        ([aoai(target="http://aoai1.openai.azure.com")], "connections[0].target", "https:// URL"),
        ([aoai(metadata={"resourceId": AOAI_ID})], "connections[0].metadata.resourceId", "set by the component"),
        ([aoai(metadata={"ApiVersion": 1})], "connections[0].metadata", "strings to strings"),
        ([aoai(is_shared_to_all="yes")], "connections[0].is_shared_to_all", "true or false"),
        ([aoai(resourceId=AOAI_ID)], "connections[0].resourceId", "did you mean 'resource_id'"),
        (["aoai"], "connections[0]", "a mapping"),
        ({"name": "aoai"}, "connections", "a list"),
    ],
)
def test_refusals_name_the_setting(connections, setting, quote):
    with pytest.raises(ComponentInputError) as err:
        run(program(connections))
    assert err.value.setting == setting
    assert quote in str(err.value)


def test_a_refused_secret_is_not_echoed():
    with pytest.raises(ComponentInputError) as err:
        run(program([aoai(secret="do-not-print-me")]))
    assert "do-not-print-me" not in str(err.value)


def workspace(**overrides):
    from amlws.components import MachineLearningWorkspace

    args: Any = {"resource_group_name": "rg", "location": "westeurope", **overrides}

    def make() -> None:
        MachineLearningWorkspace("w", args)

    return make


def connection_grants(result):
    return [g for g in by_type(result, "authorization:RoleAssignment") if g.name.startswith("w-conn-")]


def test_workspace_grants_its_system_assigned_identity():
    result = run(workspace(connections=[aoai()]))
    conn = connection(result, "aoai")
    ws = [r for r in result.registrations if r.type.endswith("machinelearningservices:Workspace")][0]
    assert conn.parent == ws.parent  # a child of the workspace component, like the workspace itself
    assert inputs(conn)["workspaceName"] == inputs(ws)["workspaceName"]
    [grant] = connection_grants(result)
    # The mock gives the workspace's system-assigned identity a known principal: the one Azure ML uses for data.
    assert inputs(grant)["principalId"] not in ("", None)
    assert inputs(grant)["scope"] == AOAI_ID


def test_workspace_grants_its_user_assigned_identity_without_a_system_one():
    result = run(
        workspace(workspace_identity={}, connections=[aoai(category="CognitiveSearch", resource_id=SEARCH_ID)])
    )
    [identity] = by_type(result, "managedidentity:UserAssignedIdentity")
    [grant] = connection_grants(result)
    assert grant.property_dependencies.get("principalId") == [identity.urn]
    assert inputs(grant)["roleDefinitionId"].endswith(SEARCH_INDEX_DATA_READER)


def test_workspace_refuses_a_bad_connection_before_declaring_anything():
    with pytest.raises(ComponentInputError) as err:
        run(workspace(connections=[aoai(auth_type="ApiKey")]))
    assert err.value.setting == "connections[0].secret"


def test_workspace_without_connections_declares_none():
    result = run(workspace())
    assert by_type(result, "machinelearningservices:WorkspaceConnection") == []
    assert connection_grants(result) == []
