"""The command line: exit codes, messages, and the JSON contract pull-request tooling parses."""

import json
import subprocess
import sys

import pytest

from amlws.cli import main
from harness import ROOT


def test_preview_dev_writes_the_json_contract(tmp_path, capsys):
    out = tmp_path / "dev.json"
    assert main(["preview", "dev", "--cwd", str(ROOT), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data) >= {"stack", "project", "resources", "violations", "outputs"}
    assert data["outputs"]["churn"]["workspaceName"] == "mlw-churn-dev"
    assert (data["stack"], data["project"], data["violations"]) == ("dev", "amlws", [])
    for resource in data["resources"]:
        assert set(resource) >= {
            "urn",
            "type",
            "name",
            "parent",
            "inputs",
            "dependencies",
            "propertyDependencies",
            "protect",
        }
    ws = next(r for r in data["resources"] if r["type"] == "azure-native:machinelearningservices:Workspace")
    assert (
        ws["inputs"]["storageAccount"].startswith("/subscriptions/")
        and "/providers/Microsoft.Storage/storageAccounts/" in ws["inputs"]["storageAccount"]
    )
    assert ws["propertyDependencies"]["storageAccount"][0].endswith("::churn-storage-st")
    printed = capsys.readouterr().out
    assert "amlws/dev: 37 resources in 9 components, 0 protected" in printed
    assert "machinelearningservices:Workspace churn-mlw" in printed


def test_secrets_are_masked_in_the_json(tmp_path):
    project = tmp_path
    (project / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (project / "__main__.py").write_text((ROOT / "__main__.py").read_text())  # --cwd runs DIR's own program
    stack = (
        (ROOT / "Pulumi.dev.yaml")
        .read_text()
        .replace(
            "          idleTimeBeforeShutdown: PT30M",
            "          idleTimeBeforeShutdown: PT30M\n          sshPublicAccess: "
            "Enabled\n          sshAdminPublicKey:\n            secure: v1:abcdef",
        )
    )
    (project / "Pulumi.dev.yaml").write_text(stack)
    out = tmp_path / "dev.json"
    assert main(["preview", "dev", "--cwd", str(project), "--json", str(out), "--quiet"]) == 0
    text = out.read_text()
    assert "v1:abcdef" not in text


def test_bad_config_exits_2_naming_file_key_and_value(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text((ROOT / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((ROOT / "__main__.py").read_text())  # --cwd runs DIR's own program
    (tmp_path / "Pulumi.bad.yaml").write_text(
        (ROOT / "Pulumi.dev.yaml").read_text().replace("maxNodeCount: 2", "maxNodeCount: 0")
    )
    assert main(["preview", "bad", "--cwd", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (
        "Pulumi.bad.yaml" in err
        and "amlws:workspaces[0].computeClusters[0]" in err
        and "maxNodeCount 0 must be at least 1" in err
    )


def test_unknown_stack_exits_2(capsys):
    assert main(["preview", "staging", "--cwd", str(ROOT)]) == 2
    assert "Pulumi.staging.yaml: no such stack file" in capsys.readouterr().err


def test_console_script_runs_from_a_subprocess(tmp_path):
    """`--quiet` writes its lines as plain text and never imports rich (-X importtime lists every import)."""
    out = tmp_path / "prod.json"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "amlws.cli", "preview", "prod", "--json", str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "amlws/prod: 132 resources in 19 components, 23 protected\n"
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    assert "amlws.components" in imported and not [name for name in imported if name.split(".")[0] == "rich"]


def test_quiet_prints_warnings_and_the_summary_as_plain_lines(monkeypatch, capsys):
    """Long lines stay whole (a terminal-less rich console wrapped them at 200 columns) and carry no markup."""
    from amlws.preview import PreviewResult

    warning = "compute instance 'ci-one' [idle shutdown] needs Contributor on the workspace " + "x" * 200
    monkeypatch.setattr("amlws.cli.preview_stack", lambda *a, **k: PreviewResult("amlws", "dev", [], [warning]))
    assert main(["preview", "dev", "--cwd", str(ROOT), "--quiet"]) == 0
    assert capsys.readouterr().out == f"warning: {warning}\namlws/dev: 0 resources in 0 components, 0 protected\n"


@pytest.mark.parametrize("argv", [["preview"], ["nonsense", "dev"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as err:
        main(argv)
    assert err.value.code == 2


def test_sarif_without_a_pack_exits_2(capsys):
    assert main(["preview", "dev", "--cwd", str(ROOT), "--sarif", "x.sarif"]) == 2
    assert "--sarif need --policy-pack" in capsys.readouterr().err
