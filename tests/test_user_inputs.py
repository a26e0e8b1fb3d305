"""Issue 19, findings 4, 5, 6 and 10: errors name where the value was written (the program's file and line, or the
stack file's line and column), defaults pass the pack, values Azure refuses are refused, messages read right."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from amlws.cli import main
from amlws.components import ComponentInputError, MachineLearningWorkspace, WorkspaceStorage
from amlws.mocks import ArmMocks
from amlws.policy_runner import analyze
from amlws.preview import PreviewError, preview_stack, run_program
from amlws.sarif import build_sarif
from amlws_rules.compute import MAX_NODE_COUNT
from amlws_rules.vm_sizes import VM_SIZES, vm_size_problem
from harness import GOOD_STORAGE_ID, ROOT, run, storage_fixture

RG = {"resource_group_name": "rg-vision", "location": "westeurope"}
TAGS = {"project": "vision", "environment": "dev", "owner": "ml-platform"}
STACK_HEAD = """\
config:
  azure-native:location: westeurope
  amlws:environment: dev
  amlws:location: westeurope
  amlws:tags:
    owner: ml-platform
  amlws:workspaces:
    - project: churn
"""
STACK_PROGRAM = "from amlws.stacks.program import main\n\nmain()\n"


def project(tmp_path: Path, program: str, stack_yaml: str = "config: {}\n") -> Path:
    """A Pulumi project of its own: a Python program and Pulumi.dev.yaml."""
    directory = tmp_path / "proj"
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text("name: amlws\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(program))
    (directory / "Pulumi.dev.yaml").write_text(stack_yaml)
    return directory


def stack_error(tmp_path: Path, workspace_lines: str, capsys, fixtures: dict | None = None) -> str:
    """What `amlws preview dev` prints for a stack whose first workspace has these (indented) lines."""
    directory = project(
        tmp_path, STACK_PROGRAM, STACK_HEAD + textwrap.indent(textwrap.dedent(workspace_lines), "      ")
    )
    args = ["preview", "dev", "--cwd", str(directory)]
    if fixtures is not None:
        (tmp_path / "fixtures.json").write_text(json.dumps({"resources": fixtures}))
        args += ["--fixtures", str(tmp_path / "fixtures.json")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


# Finding 4: a program's refusal names the program's file and line, not the stack file ------------------------


def test_a_refusal_in_a_users_program_names_its_file_and_line_not_the_stack_file(tmp_path, capsys):
    directory = project(
        tmp_path,
        """\
        from amlws.components import SharedWorkspaceResources

        SharedWorkspaceResources(
            "shared",
            {"resource_group_name": "rg", "location": "westeurope", "container_registry": {"tags": {}}},
        )
        """,
    )
    assert main(["preview", "dev", "--cwd", str(directory)]) == 2
    err = capsys.readouterr().err
    assert (
        f"error: {directory / '__main__.py'}:3: SharedWorkspaceResources shared: container_registry.tags={{}}: " in err
    )
    assert "Pulumi.dev.yaml" not in err and "Traceback" not in err


def test_a_refusal_of_what_the_stack_file_declared_still_names_the_stack_file_and_line(tmp_path, capsys):
    err = stack_error(tmp_path, "storage:\n  kind: BlobStorage\n", capsys)
    assert 'Pulumi.dev.yaml:9:7: amlws:workspaces[0].storage = {"kind": "BlobStorage"}: kind is BlobStorage.' in err, (
        err
    )
    assert "__main__.py" not in err


def test_sarif_points_at_the_program_line_for_code_declared_resources(tmp_path):
    program = tmp_path / "infra.py"
    program.write_text(
        "from amlws.components import WorkspaceStorage\n\n\ndef declare():\n"
        "    WorkspaceStorage('s', {'resource_group_name': 'rg'})\n"
    )
    namespace: dict = {"__name__": "infra"}
    exec(compile(program.read_text(), str(program), "exec"), namespace)
    result = run_program(namespace["declare"], "amlws", "dev", {}, [], ArmMocks())
    component = next(r for r in result.registrations if r.type == "amlws:index:WorkspaceStorage")
    account = next(r for r in result.registrations if r.type.endswith("storage:StorageAccount"))
    assert component.declared_at == (str(program), 5) and account.declared_at is None  # its child: the same line
    result.violations = [{"policy": "p", "level": "mandatory", "urn": account.urn, "message": "Description.\nDetail"}]
    location = build_sarif(result, "pack", tmp_path)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "infra.py" and location["region"]["startLine"] == 5


def test_the_stack_programs_components_have_no_program_line(stack_preview):
    assert all(r.declared_at is None for r in stack_preview("dev").registrations)


# Finding 5: secure by default ---------------------------------------------------------------------------------


def test_a_workspace_with_only_its_required_inputs_passes_every_mandatory_policy_with_no_policy_config(pack):
    result = run_program(
        lambda: MachineLearningWorkspace("vision", {**RG, "tags": TAGS}), "amlws", "dev", {}, [], ArmMocks()
    )
    violations, _ = analyze(pack, result, {}, "(none)")
    assert [v for v in violations if v["level"] == "mandatory"] == []


def test_open_access_is_written_down_by_the_caller_and_then_the_pack_reports_it(pack):
    def program():
        MachineLearningWorkspace(
            "vision",
            {
                **RG,
                "tags": TAGS,
                "public_network_access": "Enabled",
                "managed_network_isolation_mode": "Disabled",
                "storage": {"public_network_access": "Enabled", "network_default_action": "Allow"},
            },
        )

    violations, _ = analyze(pack, run_program(program, "amlws", "dev", {}, [], ArmMocks()), {}, "(none)")
    fired = {v["policy"] for v in violations if v["level"] == "mandatory"}
    assert {"workspace-public-network-access-disabled", "storage-public-network-access-disabled"} <= fired


def test_the_dev_stack_writes_its_open_settings_down_with_a_comment():
    text = (ROOT / "Pulumi.dev.yaml").read_text()
    assert "publicNetworkAccess: Enabled" in text and "managedNetworkIsolationMode: Disabled" in text
    assert "# Open on purpose" in text


# Finding 6: values Azure refuses ------------------------------------------------------------------------------


def test_a_node_count_beyond_the_apis_int32_is_refused_in_the_stack_file_with_its_line(tmp_path, capsys):
    err = stack_error(
        tmp_path,
        """\
        computeClusters:
          - name: cpu
            vmSize: Standard_DS3_v2
            maxNodeCount: 100000000000000000000
        """,
        capsys,
    )
    assert (
        "Pulumi.dev.yaml:12:11: amlws:workspaces[0].computeClusters[0].maxNodeCount = 100000000000000000000: "
        f"maxNodeCount 100000000000000000000 is above {MAX_NODE_COUNT}"
    ) in err


@pytest.mark.parametrize(
    "size, expected",
    [
        ("Standard_DS3_v9", "did you mean Standard_DS3_v2"),
        ("", "an Azure VM size name is required"),
        ("\u200bStandard_DS3_v2", "sizes are ASCII letters"),
        ("Ｓtandard_DS3_v2", "sizes are ASCII letters"),
    ],
)
def test_a_vm_size_that_is_not_one_is_refused_in_the_stack_file_with_its_line(tmp_path, capsys, size, expected):
    err = stack_error(
        tmp_path,
        f"""\
        computeClusters:
          - name: cpu
            vmSize: {json.dumps(size, ensure_ascii=False)}
            maxNodeCount: 2
        """,
        capsys,
    )
    assert "Pulumi.dev.yaml:11:11: amlws:workspaces[0].computeClusters[0].vmSize = " in err and expected in err, err
    assert f"= {json.dumps(size, ensure_ascii=False)}:" in err  # the value as written, not \u escapes


def test_a_size_newer_than_the_list_is_allowed_explicitly():
    assert vm_size_problem("Standard_D4s_v9") is not None
    assert vm_size_problem("Standard_D4s_v9", allow_unlisted=True) is None
    assert vm_size_problem("standard_ds3_v2") is None  # ARM compares size names without regard to case
    assert {"Standard_DS3_v2", "Standard_NC24ads_A100_v4", "Standard_D4s_v5"} <= set(VM_SIZES)


def test_components_use_the_same_vm_size_and_node_count_rules():
    cluster = {"name": "cpu", "vm_size": "Standard_DS3_v9", "max_node_count": 2}
    with pytest.raises(ComponentInputError, match=r"did you mean Standard_DS3_v2.*allow_unlisted_vm_size") as err:
        run(lambda: MachineLearningWorkspace("w", {**RG, "tags": TAGS, "compute_clusters": [cluster]}))
    assert err.value.setting == "compute_clusters[0].vm_size"
    newer = {**cluster, "vm_size": "Standard_D4s_v9", "allow_unlisted_vm_size": True}
    run(lambda: MachineLearningWorkspace("w", {**RG, "tags": TAGS, "compute_clusters": [newer]}))
    huge = {**cluster, "vm_size": "Standard_DS3_v2", "max_node_count": 10**20}
    with pytest.raises(ComponentInputError, match=r"max_node_count 100000000000000000000 is above") as err:
        run(lambda: MachineLearningWorkspace("w", {**RG, "tags": TAGS, "compute_clusters": [huge]}))
    assert err.value.setting == "compute_clusters[0].max_node_count"


# Finding 10: messages -----------------------------------------------------------------------------------------


def test_the_storage_error_says_existing_only_for_an_account_the_user_brings():
    with pytest.raises(ComponentInputError) as created:
        run(lambda: WorkspaceStorage("s", {"resource_group_name": "rg", "kind": "BlobStorage"}))
    assert "existing" not in str(created.value) and "type BlobStorage" in str(created.value)
    fixtures = storage_fixture("stgood", "BlobStorage", "Standard_LRS", False)
    with pytest.raises(ComponentInputError) as brought:
        run(lambda: WorkspaceStorage("s", {"existing_id": GOOD_STORAGE_ID}), fixtures)
    assert "You can't use an existing Azure Storage account" in str(brought.value)


def test_the_general_purpose_v1_warning_spells_the_setting_as_where_it_was_written(tmp_path):
    fixtures = storage_fixture("stgood", "Storage", "Standard_LRS", None)
    directory = project(
        tmp_path, STACK_PROGRAM, STACK_HEAD + f"      storage:\n        existingId: {GOOD_STORAGE_ID}\n"
    )
    (tmp_path / "fixtures.json").write_text(json.dumps({"resources": fixtures}))
    stack = preview_stack(directory, "dev", tmp_path / "fixtures.json")
    assert any("storage.existingId=" in w and "general-purpose v1" in w for w in stack.warnings), stack.warnings
    program = run(lambda: WorkspaceStorage("s", {"existing_id": GOOD_STORAGE_ID}), fixtures)
    assert any("storage.existing_id=" in w for w in program.warnings), program.warnings


def test_errors_name_the_key_and_the_value_only_with_unicode_as_written(tmp_path, capsys):
    err = stack_error(
        tmp_path,
        """\
        storage:
          kind: Blöb
        computeClusters:
          - name: cpu
            vmSize: Standard_DS3_v2
            minNodeCount: 3
            maxNodeCount: 1
        """,
        capsys,
    )
    assert 'amlws:workspaces[0].storage.kind = "Blöb": Azure accepts one of' in err and "\\u00f6" not in err
    assert "amlws:workspaces[0].computeClusters[0]: minNodeCount 3 is greater than maxNodeCount 1" in err
    assert '"name": "cpu"' not in err  # not the whole cluster


@pytest.mark.parametrize(
    "lines, expected",
    [
        ("computeCluster: []\n", "amlws:workspaces[0].computeCluster: unknown setting (did you mean computeClusters"),
        (
            "computeClusters:\n  - name: cpu\n    vmSize: Standard_DS3_v2\n    maxNodeCount: 1\n    minNodes: 0\n",
            "amlws:workspaces[0].computeClusters[0].minNodes: unknown setting (did you mean minNodeCount?)",
        ),
        ("storage:\n  zzz: 1\n", "storage.zzz: unknown setting; this section's settings are accountName,"),
    ],
)
def test_a_misspelt_stack_key_gets_a_did_you_mean_and_its_line(tmp_path, capsys, lines, expected):
    err = stack_error(tmp_path, lines, capsys)
    assert expected in err and "Pulumi.dev.yaml:" in err.split(expected)[0].rsplit("\n", 1)[-1], err


def test_a_fixture_error_names_the_stack_key(tmp_path, capsys):
    err = stack_error(tmp_path, f"storage:\n  existingId: {GOOD_STORAGE_ID}\n", capsys, fixtures={})
    assert "amlws:workspaces[0].storage.existingId = " in err and "no fixture for accountName='stgood'" in err, err
    assert "Pulumi.dev.yaml:10:9:" in err


def test_a_fixture_error_in_a_program_names_the_setting_and_the_line(tmp_path):
    with pytest.raises(PreviewError) as err:
        run_program(lambda: WorkspaceStorage("s", {"existing_id": GOOD_STORAGE_ID}), "amlws", "t", {}, [], ArmMocks())
    assert "storage.existing_id=" in str(err.value) and "test_user_inputs.py:" in str(err.value)


def test_the_stack_files_defaults_are_as_secure_as_the_components():
    """A stack file that leaves a setting out gets the component's default (one place: components/defaults.py),
    and those are the secure ones."""
    from amlws.components import defaults
    from amlws.stacks.config import parse_stack_config

    config = parse_stack_config(
        {
            "environment": "qa",
            "location": "westeurope",
            "tags": '{"owner": "me"}',
            "workspaces": '[{"project": "churn"}]',
        },
        "Pulumi.qa.yaml",
    )
    storage, vault = config.workspaces[0].storage, config.workspaces[0].key_vault
    assert (storage.sku_name, storage.public_network_access, storage.network_default_action) == (None, None, None)
    assert (vault.public_network_access, vault.network_default_action) == (None, None)
    assert (defaults.STORAGE_SKU_NAME, defaults.STORAGE_PUBLIC_NETWORK_ACCESS) == ("Standard_ZRS", "Disabled")
    assert defaults.STORAGE_NETWORK_DEFAULT_ACTION == "Deny"
    assert (defaults.KEY_VAULT_PUBLIC_NETWORK_ACCESS, defaults.KEY_VAULT_NETWORK_DEFAULT_ACTION) == ("Disabled", "Deny")
