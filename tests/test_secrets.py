"""No secret (keys, tokens, passwords, connection strings) appears unmasked in the stack's outputs, the
preview JSON, the printed tree or the logs; secrets travel as Pulumi secrets."""

import json

import pytest

from amlws.cli import main
from amlws.mocks import ArmMocks
from amlws.preview import preview_stack, run_program
from harness import ROOT, one

TOKEN = "offline-preview-placeholder-token"  # what the offline getClientToken answers
ALLOWED_EXPORTS = {
    "workspaceId",
    "workspaceName",
    "principalId",
    "primaryIdentityPrincipalId",
    "storageAccountId",
    "keyVaultId",
    "applicationInsightsId",
    "containerRegistryId",
    "computeIds",
    "datastoreIds",
    "environmentVersionIds",
    "logAnalyticsWorkspaceId",
    "mlRegistryId",
    "storageAccountId",
    "mlConfig",  # mlConfig: names only (config.json)
    # the self-serve zone: names and IDs only
    "resourceGroupName",
    "policyAssignmentIds",
    "creatorRoleDefinitionId",
    "dataScientistRoleDefinitionId",
}
SECRET_WORDS = ("key", "password", "secret", "token", "connectionstring", "instrumentation")


def test_registry_password_is_a_secret_and_never_printed(tmp_path, capsys, stack_preview, monkeypatch):
    # prod's registry is closed, so Azure ML builds its image; a local build (a registry the deployer reaches) pushes.
    from harness import run
    from test_enterprise import workspace

    monkeypatch.chdir(ROOT)
    local = run(
        workspace(
            container_registry={"tags": {"p": "p"}},
            environments=[{"name": "train", "version": "1", "docker_context": "environments/training"}],
        )
    )
    password = one(local, "docker:index/image:Image").inputs["registry"]["password"]
    assert (
        password.get("4dabf18193072939515e22adb298388d") == "1b47061264138c4ac30d75fd1eb44270"
    )  # the wire's secret marker
    result = stack_preview("prod")
    out = tmp_path / "prod.json"
    assert main(["preview", "prod", "--cwd", str(ROOT), "--json", str(out)]) == 0
    printed = capsys.readouterr()
    for text in (out.read_text(), printed.out, printed.err, "\n".join(result.warnings)):
        assert TOKEN not in text
    assert json.loads(out.read_text())["resources"]  # the file is the full contract, just masked


def test_stack_outputs_hold_ids_and_names_only(stack_preview):
    for stack in ("dev", "prod"):
        outputs = stack_preview(stack).to_json()["outputs"]
        assert outputs
        for group in outputs.values():
            assert set(group) <= ALLOWED_EXPORTS, set(group) - ALLOWED_EXPORTS
            assert not any(
                word in name.lower() for name in group for word in SECRET_WORDS if name not in ("keyVaultId",)
            )


def test_a_secret_input_written_by_hand_stays_masked():
    from examples.bad_workspace.__main__ import main as bad_main

    result = run_program(bad_main, "amlws", "bad", {}, [], ArmMocks())
    text = json.dumps(result.to_json())
    assert "not-a-real-key" not in text and "[secret]" in text


def test_secure_config_values_are_masked_and_marked_secret(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((ROOT / "__main__.py").read_text())  # --cwd runs DIR's own program
    for path in ("__main__.py",):
        (tmp_path / path).write_text((ROOT / path).read_text())
    config = (
        (ROOT / "Pulumi.dev.yaml")
        .read_text()
        .replace(
            "  amlws:protect: false", "  amlws:protect: false\n  amlws:alertWebhook:\n    secure: v1:abcdefgh:c2VjcmV0"
        )
    )
    (tmp_path / "Pulumi.dev.yaml").write_text(config)
    from amlws.preview import PreviewError, stack_config

    values, secret_keys = stack_config(tmp_path, "amlws", "dev")
    assert values["amlws:alertWebhook"] == "[secret]" and "amlws:alertWebhook" in secret_keys
    with pytest.raises(PreviewError) as err:  # an unknown key is still a named config error; the value is not echoed
        preview_stack(tmp_path, "dev")
    assert "amlws:alertWebhook" in str(err.value) and "c2VjcmV0" not in str(err.value)
