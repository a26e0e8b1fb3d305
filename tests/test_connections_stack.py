"""Connections written in a stack file: the ARM inputs they preview to, the key that stays a secret from a
`secure:` value, and the refusals that name the stack file and the key as written."""

import pytest

from amlws.monitor import MASK, plain
from amlws.preview import PreviewError, preview_stack
from harness import ROOT, by_type, inputs

SUB = "00000000-0000-0000-0000-000000000000"
AOAI_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai1"
SEARCH_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.Search/searchServices/srch1"
OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
SEARCH_INDEX_DATA_READER = "1407120a-92aa-4202-b7e9-c0e197c71c8f"

STACK = f"""config:
  azure-native:location: westeurope
  amlws:environment: qa
  amlws:location: westeurope
  amlws:tags:
    owner: qa-team
  amlws:workspaces:
    - project: churn
      connections:
        - name: aoai
          category: AzureOpenAI
          target: https://aoai1.openai.azure.com/
          resourceId: {AOAI_ID}
        - name: search
          category: CognitiveSearch
          target: https://srch1.search.windows.net
          resourceId: {SEARCH_ID}
          authType: AAD
          metadata:
            ApiVersion: "2024-07-01"
{{extra}}"""

KEYED = f"""        - name: aoai-key
          category: AzureOpenAI
          target: https://aoai1.openai.azure.com/
          resourceId: {AOAI_ID}
          authType: ApiKey
          isSharedToAll: false
          secret:
            secure: v1:abcdefgh:c2VjcmV0
"""


def project(tmp_path, stack_text: str):
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((ROOT / "__main__.py").read_text())  # --cwd runs DIR's own program
    (tmp_path / "Pulumi.qa.yaml").write_text(stack_text)
    return tmp_path


def connection(result, name):
    [found] = [
        r for r in by_type(result, "machinelearningservices:WorkspaceConnection") if r.name == f"churn-conn-{name}"
    ]
    return found


def test_a_stack_with_connections_previews_to_their_arm_inputs(tmp_path):
    result = preview_stack(project(tmp_path, STACK.format(extra="")), "qa")
    aoai = inputs(connection(result, "aoai"))
    assert aoai["connectionName"] == "aoai" and aoai["workspaceName"] == "mlw-churn-qa"
    assert aoai["properties"] == {
        "authType": "AAD",
        "category": "AzureOpenAI",
        "target": "https://aoai1.openai.azure.com/",
        "metadata": {"ApiType": "Azure", "ResourceId": AOAI_ID},
        "isSharedToAll": True,
    }
    search = inputs(connection(result, "search"))
    assert search["properties"]["metadata"] == {"ApiType": "Azure", "ResourceId": SEARCH_ID, "ApiVersion": "2024-07-01"}
    grants = {
        inputs(g)["roleDefinitionId"].rsplit("/", 1)[1]: inputs(g)
        for g in by_type(result, "authorization:RoleAssignment")
        if g.name.startswith("churn-conn-")
    }
    assert set(grants) == {OPENAI_USER, SEARCH_INDEX_DATA_READER}
    assert grants[OPENAI_USER]["scope"] == AOAI_ID and grants[SEARCH_INDEX_DATA_READER]["scope"] == SEARCH_ID
    assert all(g["principalType"] == "ServicePrincipal" for g in grants.values())


def test_a_secure_key_stays_a_secret(tmp_path):
    result = preview_stack(project(tmp_path, STACK.format(extra=KEYED)), "qa")
    keyed = connection(result, "aoai-key")
    props = inputs(keyed)["properties"]
    assert props["authType"] == "ApiKey" and props["isSharedToAll"] is False
    assert props["credentials"] == {"key": MASK}
    # Offline there is no key to decrypt a secure value: the placeholder travels, marked secret.
    assert plain(keyed.inputs, mask=False)["properties"]["credentials"]["key"] == "[secret]"


@pytest.mark.parametrize(
    "extra, quote",
    [
        (
            KEYED.replace("          secret:\n            secure: v1:abcdefgh:c2VjcmV0\n", ""),
            "amlws:workspaces[0].connections[2].secret",
        ),
        (
            KEYED.replace("secure: v1:abcdefgh:c2VjcmV0", "secure: v1:abcdefgh:c2VjcmV0").replace("ApiKey", "AAD"),
            "amlws:workspaces[0].connections[2].secret",
        ),
        (
            KEYED.replace("secret:\n            secure: v1:abcdefgh:c2VjcmV0", "secret: plain-text-key"),
            "amlws:workspaces[0].connections[2].secret",
        ),
        (KEYED.replace("name: aoai-key", "name: AOAI"), "amlws:workspaces[0].connections[2].name"),
        (KEYED.replace("name: aoai-key", "name: x"), "amlws:workspaces[0].connections[2].name"),
        (
            KEYED.replace("category: AzureOpenAI", "category: AzureOpenAi"),
            "amlws:workspaces[0].connections[2].category",
        ),
        (KEYED.replace("authType: ApiKey", "authType: PAT"), "amlws:workspaces[0].connections[2].authType"),
        (
            KEYED.replace(f"resourceId: {AOAI_ID}", f"resourceId: {SEARCH_ID}"),
            "amlws:workspaces[0].connections[2].resourceId",
        ),
        (KEYED.replace("target: https://", "target: http://"), "amlws:workspaces[0].connections[2].target"),
        (KEYED.replace("resourceId:", "resourceID:"), "amlws:workspaces[0].connections[2].resourceID"),
    ],
)
def test_bad_connections_are_refused_with_the_stack_file_and_key(tmp_path, extra, quote):
    with pytest.raises(PreviewError) as err:
        preview_stack(project(tmp_path, STACK.format(extra=extra)), "qa")
    message = str(err.value)
    assert "Pulumi.qa.yaml" in message and quote in message, message
    assert "c2VjcmV0" not in message and "plain-text-key" not in message
    assert err.value.registrations == []
