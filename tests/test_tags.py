"""Tags as Azure limits them (learn.microsoft.com, azure-resource-manager/management/tag-resources, "Limitations"):
at most 50 per resource, names of at most 512 characters (128 on a storage account) without `< > % & \\ ? /`,
values of at most 256, names case-insensitive. One rule function (amlws_rules.tags) for the stack config, as
the tags reach each resource, and for the components."""

from __future__ import annotations

import pytest

from amlws.components import ComponentInputError, MachineLearningWorkspace
from amlws_rules.tags import FORBIDDEN_NAME_CHARACTERS, tag_problems
from harness import run
from test_config_values import accepted, refused

STORAGE = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/"
    "storageAccounts/stdata"
)


# The rule --------------------------------------------------------------------------------------------


def test_tags_within_every_limit_pass():
    tags = {f"tag{i}": "v" * 256 for i in range(49)} | {"n" * 512: ""}
    assert tag_problems(tags) == []
    assert tag_problems({"n" * 128: "v"}, storage_account=True) == []


def test_more_than_50_tags_are_refused():
    assert tag_problems({f"tag{i}": "v" for i in range(51)}) == ["51 tags: Azure allows at most 50 on a resource"]


def test_a_name_longer_than_512_or_128_on_a_storage_account_is_refused():
    assert "has 513 characters: Azure allows at most 512" in tag_problems({"n" * 513: "v"})[0]
    assert "has 129 characters: Azure allows at most 128 on a storage account" in "".join(
        tag_problems({"n" * 129: "v"}, storage_account=True)
    )
    assert len(tag_problems({"n" * 513: "v"}, storage_account=True)) == 1  # one problem per name


def test_a_value_longer_than_256_is_refused():
    assert tag_problems({"costCenter": "v" * 300}) == [
        "tag 'costCenter': the value has 300 characters; Azure allows at most 256"
    ]


@pytest.mark.parametrize("char", list(FORBIDDEN_NAME_CHARACTERS))
def test_each_forbidden_character_in_a_name_is_refused(char):
    (problem,) = tag_problems({f"cost{char}center": "v"})
    assert f"contains {char}: Azure tag names can't contain < > % & \\ ? /" in problem


def test_names_differing_only_in_case_are_one_tag():
    assert tag_problems({"Owner": "a", "owner": "b"}) == [
        "tags 'Owner', 'owner' are one tag to Azure (tag names are case-insensitive)"
    ]


def test_what_is_not_a_tags_mapping_is_refused():
    assert tag_problems(["owner"]) == ["tags are a mapping of tag names to string values, not list"]
    assert tag_problems({"owner": 5}) == ["tag 'owner': the value is a string, not int"]
    assert tag_problems({"": "v"}) == ["tag name '': a tag name is a non-empty string"]


# Stack config: each tag by its key, and the union as it reaches each resource ------------------------------


def test_a_300_character_stack_tag_value_is_refused_naming_the_tag():
    message = refused(tags={"owner": "me", "costCenter": "x" * 300})
    assert f'amlws:tags.costCenter = "{"x" * 300}": the value has 300 characters; Azure allows at most 256' in message


def test_a_tag_name_with_a_forbidden_character_is_refused_naming_the_tag():
    message = refused(tags={"owner": "me", "cost<center": "1"})
    assert "amlws:tags.cost<center = \"cost<center\": tag name 'cost<center' contains <" in message
    message = refused({"project": "churn", "tags": {"team/ml": "1"}})
    assert "amlws:workspaces[0].tags.team/ml = " in message and "contains /" in message


def test_a_workspace_tag_value_over_256_is_refused():
    message = refused({"project": "churn", "tags": {"purpose": "p" * 257}})
    assert "amlws:workspaces[0].tags.purpose = " in message and "257 characters" in message


def test_stack_and_workspace_tags_over_50_together_are_refused():
    stack_tags = {"owner": "me", **{f"s{i}": "v" for i in range(25)}}
    workspace_tags = {f"w{i}": "v" for i in range(22)}
    accepted({"project": "churn", "tags": dict(list(workspace_tags.items())[:21])}, tags=stack_tags)
    message = refused({"project": "churn", "tags": workspace_tags}, tags=stack_tags)
    assert "amlws: workspaces[0].tags with amlws:tags and the cost tags" in message
    assert "51 tags: Azure allows at most 50 on a resource" in message


def test_a_tag_name_over_128_is_refused_where_the_stack_creates_a_storage_account():
    name = "n" * 129
    message = refused({"project": "churn", "tags": {name: "v"}})
    assert "Azure allows at most 128 on a storage account" in message
    accepted({"project": "churn", "tags": {name: "v"}, "storage": {"existingId": STORAGE}})


def test_a_stack_tag_and_a_workspace_tag_differing_in_case_are_refused():
    message = refused({"project": "churn", "tags": {"CostCenter": "2"}}, tags={"owner": "me", "costCenter": "1"})
    assert "tags 'costCenter', 'CostCenter' are one tag to Azure" in message


# Components -----------------------------------------------------------------------------------------------


def workspace(tags):
    return lambda: MachineLearningWorkspace("w", {"resource_group_name": "rg", "location": "westeurope", "tags": tags})


def test_the_workspace_component_refuses_tags_azure_refuses():
    with pytest.raises(ComponentInputError) as err:
        run(workspace({"costCenter": "x" * 300}))
    assert err.value.setting == "tags" and "the value has 300 characters" in err.value.problem


def test_the_storage_it_creates_holds_tag_names_to_128_characters():
    with pytest.raises(ComponentInputError) as err:
        run(workspace({"n" * 200: "v"}))
    assert err.value.setting == "storage.tags" and "at most 128 on a storage account" in err.value.problem
