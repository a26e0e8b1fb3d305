"""Issue 12: what the offline preview skips, and what must not change because of it."""

import gc
import hashlib
import json
import os
import subprocess
import sys

import pulumi
import pytest

from amlws.cli import main
from amlws.speed import offline_runtime, without_version_aliases
from harness import ROOT, run


def test_only_azure_natives_generated_version_aliases_are_dropped():
    version = pulumi.Alias(type_="azure-native:storage/v20230101:StorageAccount")
    moved = pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)
    renamed = pulumi.Alias(name="old-name", type_="azure-native:storage:StorageAccount")
    opts = pulumi.ResourceOptions(aliases=[version, moved, renamed])
    trimmed = without_version_aliases("azure-native:storage:StorageAccount", opts)
    assert trimmed is not None and trimmed.aliases == [moved, renamed]
    assert opts.aliases == [version, moved, renamed], "the caller's options are never mutated"
    ours = without_version_aliases("amlws:index:MachineLearningWorkspace", pulumi.ResourceOptions(aliases=[version]))
    assert ours is not None and ours.aliases == [version], "our components keep every alias"


def test_a_preview_registers_azure_native_resources_without_their_version_aliases_and_restores_gc():
    seen: dict[str, list] = {}

    def program():
        from pulumi_azure_native import resources, storage

        rg = resources.ResourceGroup("rg")
        account = storage.StorageAccount(
            "acct",
            resource_group_name=rg.name,
            kind="StorageV2",
            sku={"name": "Standard_LRS"},
            opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-acct")]),
        )
        seen["account"] = account._aliases  # pyright: ignore[reportPrivateUsage]

    assert gc.isenabled()
    run(program)
    assert gc.isenabled(), "the cyclic GC is back on after the run"
    assert len(seen["account"]) == 1, "the user's alias stays, the 30 API-version aliases are gone"
    with offline_runtime():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_several_stacks_in_one_command_each_with_its_own_json(tmp_path, capsys):
    assert (
        main(["preview", "dev", "prod", "--cwd", str(ROOT), "--quiet", "--json", str(tmp_path / "{stack}.json")]) == 0
    )
    printed = capsys.readouterr().out
    assert "amlws/dev: 37 resources" in printed and "amlws/prod: 132 resources" in printed
    assert json.loads((tmp_path / "dev.json").read_text())["stack"] == "dev"
    assert json.loads((tmp_path / "prod.json").read_text())["stack"] == "prod"


def test_several_stacks_need_a_stack_placeholder_and_roll_up_the_worst_exit_code(tmp_path, capsys):
    assert main(["preview", "dev", "prod", "--cwd", str(ROOT), "--json", str(tmp_path / "one.json")]) == 2
    assert "put {stack} in the file name" in capsys.readouterr().err
    assert not (tmp_path / "one.json").exists()
    code = main(["preview", "dev", "staging", "--cwd", str(ROOT), "--quiet", "--json", str(tmp_path / "{stack}.json")])
    captured = capsys.readouterr()
    assert code == 2 and "staging: Pulumi.staging.yaml: no such stack file" in captured.err
    assert "amlws/dev: 37 resources" in captured.out and (tmp_path / "dev.json").exists(), "the good stack still ran"


ARGV = [
    "preview",
    "dev",
    "prod",
    "--quiet",
    "--json",
    "{out}/{{stack}}.json",
    "--policy-pack",
    "policy",
    "--policy-config",
    "policy/config/prod.json",
]


def _digests(out) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def test_json_is_byte_stable_across_processes_and_hash_seeds(tmp_path, monkeypatch):
    """Two processes at once (different hash seeds, different scheduling): the same bytes, violations
    included. One is a child process with a fixed hash seed, the other this test process (its own,
    different seed, and the state of every test before it), both with the same command line."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    child, here = tmp_path / "child", tmp_path / "here"
    child.mkdir(), here.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "amlws.cli", *[a.format(out=child) for a in ARGV]],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        monkeypatch.chdir(ROOT)
        assert main([a.format(out=here) for a in ARGV]) in (0, 1)  # 1: dev breaks some of prod's mandatory policies
    finally:
        _, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), err
    assert set(_digests(child)) == {"dev.json", "prod.json"}
    assert _digests(child) == _digests(here)
    assert json.loads((child / "dev.json").read_text())["violations"], "violations are part of what is compared"


@pytest.mark.parametrize("argv", [["--help"], ["preview"]])
def test_the_console_entry_point_exits_with_mains_code(argv):
    proc = subprocess.run(
        [sys.executable, "-m", "amlws.cli", *argv], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == (0 if argv == ["--help"] else 2)
    assert "usage: amlws" in proc.stdout + proc.stderr


def test_the_command_freezes_the_runs_objects_instead_of_collecting_them():
    frozen_before = gc.get_freeze_count()  # conftest freezes the heap of imports after collection
    with offline_runtime(collect=False):
        assert not gc.isenabled()
    try:
        assert gc.isenabled() and gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()


def test_the_arm_export_holds_every_azure_native_resource_in_arms_envelope(stack_preview):
    """The template Checkov scans in the benchmark (scripts/arm_export.py) is the same stack."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import arm_export

    prod = stack_preview("prod")
    template = arm_export.to_template(prod.registrations)
    expected = [
        r
        for r in prod.registrations
        if r.custom and r.type.startswith("azure-native:") and not r.type.endswith(":ResourceGroup")
    ]
    assert len(template["resources"]) == len(expected)
    by_type = {r["type"]: r for r in template["resources"]}
    account = by_type["Microsoft.Storage/storageAccounts"]
    assert account["apiVersion"] == "2024-01-01" and "sku" in account and "kind" in account
    assert account["properties"]["allowBlobPublicAccess"] is False and "accountName" not in account["properties"]
    compute = by_type["Microsoft.MachineLearningServices/workspaces/computes"]
    assert compute["name"].count("/") == 1 and compute["properties"]["computeType"] in ("AmlCompute", "ComputeInstance")
    workspace = by_type["Microsoft.MachineLearningServices/workspaces"]
    assert any(d.startswith("[resourceId('Microsoft.Storage/storageAccounts'") for d in workspace["dependsOn"])


def test_yaml_read_with_libyaml_equals_pyyaml_and_errors_keep_pyyamls_wording():
    """Stack and project files are read with libyaml's parser when PyYAML has it (amlws.preview.load_yaml)."""
    import yaml

    from amlws.preview import load_yaml

    files = [
        p
        for pattern in ("*.yaml", "*.yml", "*/*.yaml", "*/*/*.yaml", ".github/workflows/*.yml")
        for p in ROOT.glob(pattern)
        if ".venv" not in p.parts
    ]
    assert len(files) >= 6
    tricky = (
        "a: 1\nb: [1, 2.5, true, null, ~, 0o17, 0x1f, 1e3]\nc: {d: 'x', e: "
        '"y\\n"}\nf: |\n  text\n  more\ng: 2001-12-14\nh: !!str 12\ni: &x [1]\nj: *x\n'
    )
    for text in [p.read_text() for p in files] + [tricky, "", "# only a comment\n"]:
        assert load_yaml(text) == yaml.safe_load(text)
    broken = "config:\n  amlws:x: [1, 2\n"
    with pytest.raises(yaml.YAMLError) as ours:
        load_yaml(broken)
    with pytest.raises(yaml.YAMLError) as pyyaml:
        yaml.safe_load(broken)
    assert str(ours.value) == str(pyyaml.value)
