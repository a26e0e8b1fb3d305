"""The CLI contract under errors: write failures exit 2 and leave nothing half-written, error text
survives Rich, `--cwd` runs that directory's own program, `--version`, `--help`, `ml-config`."""

import json
import shutil

import pytest

from amlws.cli import main
from amlws.mlconfig import KEYS
from harness import ROOT

PACK = ROOT / "policy"


def project_copy(tmp_path, stack_text=None):
    """A copy of this project (program, Pulumi.yaml, dev stack) to edit without touching the repository."""
    project = tmp_path / "proj"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(ROOT / name, project / name)
    (project / "Pulumi.dev.yaml").write_text(stack_text or (ROOT / "Pulumi.dev.yaml").read_text())
    return project


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("option", ["--json", "--sarif"])
def test_an_output_into_a_missing_directory_exits_2_with_one_line(tmp_path, capsys, option):
    target = tmp_path / "missing" / "out"
    argv = ["preview", "dev", "--cwd", str(ROOT), option, str(target), "--quiet"]
    if option == "--sarif":
        argv += ["--policy-pack", str(PACK)]
    assert main(argv) == 2
    assert f"cannot write {option} {target}" in one_line_error(capsys)


def test_graph_output_into_a_missing_directory_exits_2(tmp_path, capsys):
    target = tmp_path / "missing" / "dev.svg"
    assert main(["graph", "dev", "--cwd", str(ROOT), "--format", "svg", "-o", str(target)]) == 2
    assert f"cannot write --output {target}" in one_line_error(capsys)


def test_json_is_not_written_when_the_sarif_then_fails(tmp_path, capsys):
    json_file, sarif_dir = tmp_path / "dev.json", tmp_path / "a-directory"
    sarif_dir.mkdir()
    code = main(
        [
            "preview",
            "dev",
            "--cwd",
            str(ROOT),
            "--policy-pack",
            str(PACK),
            "--quiet",
            "--json",
            str(json_file),
            "--sarif",
            str(sarif_dir),
        ]
    )
    assert code == 2
    assert "cannot write --sarif" in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-directory"]  # no JSON, no temporary files


def test_outputs_replace_old_files_whole(tmp_path):
    out = tmp_path / "dev.json"
    out.write_text("stale and not JSON")
    assert main(["preview", "dev", "--cwd", str(ROOT), "--json", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text())["stack"] == "dev"
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # readable like any file the user writes
    assert [p.name for p in tmp_path.iterdir()] == ["dev.json"]


def test_rich_markup_does_not_eat_the_pattern_in_an_error(tmp_path, capsys):
    stack = (ROOT / "Pulumi.dev.yaml").read_text().replace("- name: churn-dev-ci1", "- name: 1-bad[x]")
    assert main(["preview", "dev", "--cwd", str(project_copy(tmp_path, stack))]) == 2
    err = capsys.readouterr().err
    assert "^[A-Za-z][A-Za-z0-9-]{2,23}$" in err and "1-bad[x]" in err


def test_cwd_runs_the_consumer_examples_own_program(capsys):
    assert main(["preview", "dev", "--cwd", str(ROOT / "examples/consumer"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "ml-team-consumer/dev:" in out and " in 13 components" in out


def test_cwd_runs_pulumi_yaml_main(tmp_path, capsys):
    """`main:` names the program; a program of a different shape proves it is the one that ran."""
    (tmp_path / "Pulumi.yaml").write_text("name: tiny\nruntime: python\nmain: src/\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "helper.py").write_text("GROUP = 'from-a-sibling-module'\n")
    (tmp_path / "src" / "__main__.py").write_text(
        "from pulumi_azure_native import resources\nfrom helper import GROUP\n"
        "resources.ResourceGroup(GROUP, location='westeurope')\n"
    )
    out = tmp_path / "tiny.json"
    assert main(["preview", "dev", "--cwd", str(tmp_path), "--json", str(out), "--quiet"]) == 0
    assert [r["name"] for r in json.loads(out.read_text())["resources"]] == ["from-a-sibling-module"]


@pytest.mark.parametrize(
    "pulumi_yaml, program, message",
    [
        ("name: p\nruntime: python\n", None, "no program at"),
        ("name: p\nruntime: nodejs\n", None, "runtime 'nodejs'"),
        ("name: p\nruntime: python\n", "raise RuntimeError('boom')\n", "the program raised RuntimeError: boom"),
        ("name: p\nruntime: python\n", "import no_such_module_here\n", "ModuleNotFoundError"),
    ],
)
def test_a_project_whose_program_cannot_run_exits_2(tmp_path, capsys, pulumi_yaml, program, message):
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    if program:
        (tmp_path / "__main__.py").write_text(program)
    assert main(["preview", "dev", "--cwd", str(tmp_path)]) == 2
    assert message in one_line_error(capsys)


def test_version_comes_from_package_metadata(capsys):
    from importlib import metadata

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"amlws {metadata.version('pulumi-azureml-workspace')}"


def test_help_lists_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert (
        "exit codes:" in out
        and "0  success" in out
        and "1  a mandatory policy violation" in out
        and "2  an error" in out
    )


def test_a_clean_policy_run_says_so(capsys):
    assert (
        main(
            [
                "preview",
                "prod",
                "--cwd",
                str(ROOT),
                "--policy-pack",
                str(PACK),
                "--policy-config",
                str(PACK / "config/prod.json"),
                "--quiet",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("policy: ") and lines[-1].endswith(" policies, 0 violations")
    assert int(lines[-1].split()[1]) > 20


# ml-config: a deployed stack's outputs -> config.json


@pytest.fixture(scope="module")
def deployed_prod_json(tmp_path_factory) -> str:
    """The JSON of `amlws preview prod --json`, run once for the tests below (they only read it)."""
    out = tmp_path_factory.mktemp("deployed") / "prod.json"
    assert main(["preview", "prod", "--cwd", str(ROOT), "--json", str(out), "--quiet"]) == 0
    return out.read_text()


def deployed_outputs(deployed_prod_json: str):
    """`pulumi stack output --json` of a deployed prod stack: the preview's outputs with real values."""
    outputs = json.loads(deployed_prod_json)["outputs"]
    outputs["churn"]["mlConfig"]["subscription_id"] = "00000000-0000-0000-0000-000000000000"
    return outputs


def test_stack_outputs_carry_exactly_the_config_json_shape_per_workspace(deployed_prod_json):
    outputs = deployed_outputs(deployed_prod_json)
    workspaces = [k for k, v in outputs.items() if isinstance(v, dict) and "workspaceId" in v]
    assert workspaces and all(set(outputs[w]["mlConfig"]) == set(KEYS) for w in workspaces)
    assert outputs["churn"]["mlConfig"]["workspace_name"] == outputs["churn"]["workspaceName"] == "mlw-churn-prod"
    assert outputs["churn"]["mlConfig"]["resource_group"] == "rg-churn-prod"


def test_ml_config_writes_config_json_from_a_file(tmp_path, capsys, deployed_prod_json):
    source = tmp_path / "outputs.json"
    source.write_text(json.dumps(deployed_outputs(deployed_prod_json)))
    target = tmp_path / "config.json"
    assert main(["ml-config", "churn", "--from", str(source), "-o", str(target)]) == 0
    assert json.loads(target.read_text()) == {
        "subscription_id": "00000000-0000-0000-0000-000000000000",
        "resource_group": "rg-churn-prod",
        "workspace_name": "mlw-churn-prod",
    }
    assert "wrote" in capsys.readouterr().out


def test_ml_config_reads_standard_input(capsys, monkeypatch, deployed_prod_json):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(deployed_outputs(deployed_prod_json))))
    capsys.readouterr()
    assert main(["ml-config", "churn", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["workspace_name"] == "mlw-churn-prod"


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "is not JSON"),
        ("[1, 2]", "holds a JSON list"),
        ('{"fraud": {"mlConfig": {}}}', "no workspace 'churn' in"),
        ('{"churn": {"workspaceName": "x"}}', "has no mlConfig"),
        ('{"churn": {"mlConfig": {"subscription_id": "[secret]"}}}', "--show-secrets"),
        (
            '{"churn": {"mlConfig": {"subscription_id": "s", "resource_group": "", "workspace_name": "w"}}}',
            "churn.mlConfig.resource_group = ''",
        ),
    ],
)
def test_ml_config_bad_input_exits_2(tmp_path, capsys, text, message):
    source = tmp_path / "outputs.json"
    source.write_text(text)
    assert main(["ml-config", "churn", "--from", str(source), "-o", str(tmp_path / "config.json")]) == 2
    assert message in one_line_error(capsys)
    assert not (tmp_path / "config.json").exists()


def test_ml_config_missing_file_and_missing_directory_exit_2(tmp_path, capsys):
    assert main(["ml-config", "churn", "--from", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in one_line_error(capsys)
    (tmp_path / "o.json").write_text(
        '{"churn": {"mlConfig": {"subscription_id": "s", "resource_group": "r", "workspace_name": "w"}}}'
    )
    assert (
        main(["ml-config", "churn", "--from", str(tmp_path / "o.json"), "-o", str(tmp_path / "no" / "config.json")])
        == 2
    )
    assert "no such directory" in one_line_error(capsys)


@pytest.mark.parametrize("command", ["preview", "graph", "ml-config"])
def test_every_subcommand_help_has_a_description_an_example_and_the_exit_codes(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    usage, _, rest = text.partition("\n\n")
    description = rest.split("\n\n")[0]
    assert usage.startswith(f"usage: amlws {command}") and len(description.split()) >= 10  # a sentence or more
    assert f"examples:\n  amlws {command} " in text or f"| amlws {command} " in text
    assert "exit codes:\n  0  success" in text and "\n  1  a mandatory policy violation" in text
    assert "\n  2  an error" in text


def test_top_level_help_lists_the_commands_an_example_and_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert all(c in text for c in ("preview", "graph", "ml-config")) and "examples:\n  amlws preview dev" in text
    assert "exit codes:" in text
