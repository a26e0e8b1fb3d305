"""The built-in role table (amlws_rules/builtin_roles.json, from the Azure built-in roles page) and
`resolve_role`, the `roleDefinitionIdOrName` of AVM's roleAssignments interface."""

from __future__ import annotations

import json
import re

import pytest

from amlws_rules import privileged, roles
from amlws_rules.roles import BUILTIN_ROLES_FILE, builtin_roles, resolve_role

SUB = "11111111-1111-1111-1111-111111111111"
PREFIX = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Every GUID in /work/shared/notes/pulumi-practice.md ("Built-in role definition GUIDs").
CHECKED_IN_NOTES = {
    "AzureML Data Scientist": "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "AzureML Compute Operator": "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815",
    "AzureML Registry User": "1823dd4f-9b8c-4ab6-ab4e-7397a3684615",
    "AzureML Metrics Writer": "635dd51f-9968-44d3-b7fb-6d9a6bd613ae",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Cognitive Services OpenAI User": "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    "Cognitive Services User": "a97b65f3-24c7-4388-baec-2e87135dc908",
    "Search Index Data Reader": "1407120a-92aa-4202-b7e9-c0e197c71c8f",
    "Search Index Data Contributor": "8ebe5a00-799e-43f5-93ac-243d3dce84a7",
}


def test_the_table_names_its_source_and_covers_the_categories_the_workspace_uses():
    data = json.loads(BUILTIN_ROLES_FILE.read_text())
    assert "built-in-roles" in data["source"]
    categories = {c["category"].split(" (")[0] for c in data["categories"]}
    assert {"Privileged", "General", "Storage", "Containers", "AI + machine learning", "Security", "Monitor"} <= (
        categories
    )
    for category in data["categories"]:
        for role in category["roles"]:
            assert GUID.match(role["id"]), role


def test_every_guid_in_the_notes_and_in_roles_py_matches_the_table():
    table = builtin_roles()
    for name, guid in CHECKED_IN_NOTES.items():
        assert table[name.lower()][1] == guid, name
    constants = {k: v for k, v in vars(roles).items() if k.isupper() and isinstance(v, str) and GUID.match(v)}
    assert {v for v in constants.values()} <= {guid for _, guid in table.values()}, constants
    for guid, name in privileged.PRIVILEGED_ROLES.items():  # the pack's privileged roles
        assert table[name.lower()] == (name, guid)


@pytest.mark.parametrize(
    "value, guid",
    [
        ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
        ("storage blob data READER", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
        ("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"),
        ("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d"),
        ("Key Vault Crypto Service Encryption User", "e147488a-f6f5-4113-8e2d-b22465e65bf6"),
        ("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb"),
        ("Azure AI Account Owner", "e47c6f54-e4a2-4754-9501-8e0985b135e1"),  # now "Foundry Account Owner"
    ],
)
def test_a_built_in_name_resolves_to_the_subscription_scoped_id(value, guid):
    assert resolve_role(value, SUB) == PREFIX + guid


def test_a_guid_and_full_role_definition_ids_are_accepted():
    guid = "F6C7C914-8DB3-469D-8CA1-694A8F32E121"
    assert resolve_role(guid, SUB) == PREFIX + guid.lower()
    assert resolve_role(PREFIX + guid, SUB) == PREFIX + guid
    tenant = f"/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    assert resolve_role(tenant, SUB) == tenant
    custom = "0b5fe4a2-7c6e-4d2b-9a3c-1e2f3a4b5c6d"  # a custom role's GUID is fine too
    assert resolve_role(custom, SUB) == PREFIX + custom


def test_a_misspelt_name_gets_did_you_mean():
    with pytest.raises(ValueError) as err:
        resolve_role("AzureML Data Scientst", SUB)
    assert "'AzureML Data Scientst' is not a built-in role name: did you mean 'AzureML Data Scientist'?" in str(
        err.value
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        42,
        "Superuser",
        " Owner",
        f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/not-a-guid",
        f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/{'0' * 8}",
    ],
)
def test_anything_else_is_refused_listing_what_is_allowed(value):
    with pytest.raises(ValueError) as err:
        resolve_role(value, SUB)
    message = str(err.value)
    assert message.startswith(repr(value))
    assert "a built-in role name" in message and "a role definition GUID" in message
    assert "/providers/Microsoft.Authorization/roleDefinitions/<GUID>" in message
