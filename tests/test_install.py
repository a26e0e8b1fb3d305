"""`pulumi install` / `pulumi up` and `--policy-pack policy` as the Pulumi CLI does them.

The CLI's pip toolchain (pulumi/pulumi sdk/python/toolchain/pip.go, `InstallDependencies`) runs
`python3 -m venv <venv>`, then `<venv>/bin/python -m pip install --upgrade pip setuptools wheel`,
then, only if the directory has one, `<venv>/bin/python -m pip install -r requirements.txt`, each in
the project (or pack) directory, with the caller's environment and the venv's bin first on PATH.
pyproject.toml is never read. For a pack, the CLI reads PulumiPolicy.yaml's runtime options
(pkg/cmd/pulumi/policy `installPolicyPackDependencies`) and its shim
(sdk/python/dist/pulumi-analyzer-policy-python) runs `<pack>/<virtualenv>/bin/python -u -m
pulumi.policy <engine> .` in the pack directory.

The slow tests below build real, isolated virtualenvs with exactly those commands (no
--system-site-packages, no reuse of the test venv). Only byte-compilation is skipped
(PIP_NO_COMPILE, an environment variable the CLI passes through to pip as it does any other): it
changes nothing installed and is most of the install time for pulumi-azure-native.
"""

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from amlws.policy_runner import PolicyPackProcess
from harness import ROOT

PACK = ROOT / "policy"


def requirement_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#")]


def pyproject_dependencies() -> list[str]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_requirements_install_this_project_with_pyprojects_pins():
    """The program's requirements.txt is this project itself (editable: the program directory is
    first on sys.path when Pulumi runs it), so its pins are pyproject's and cannot drift."""
    assert requirement_lines(ROOT / "requirements.txt") == ["-e ."]
    runtime = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["runtime"]
    assert runtime["options"]["toolchain"] == "pip" and runtime["options"]["virtualenv"]


def test_the_packs_requirements_use_pyprojects_ranges():
    assert set(requirement_lines(PACK / "requirements.txt")) <= set(pyproject_dependencies())


def test_the_pack_names_its_virtualenv_as_pulumi_policy_new_does():
    runtime = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())["runtime"]
    assert runtime == {"name": "python", "options": {"virtualenv": "venv"}}


def cli_environment(venv: Path) -> dict[str, str]:
    """The caller's environment as the CLI passes it (`ActivateVirtualEnv`), minus this test
    process's own virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT / ".venv"))]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_NO_COMPILE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def cli_install(directory: Path, venv: Path) -> dict[str, str]:
    python3 = shutil.which("python3", path=cli_environment(venv)["PATH"])
    assert python3, "python3 on PATH"
    env = cli_environment(venv)
    subprocess.run([python3, "-m", "venv", str(venv)], check=True, env=env, capture_output=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    for args in (["--upgrade", "pip", "setuptools", "wheel"], ["-r", "requirements.txt"]):
        proc = subprocess.run([*pip, *args], cwd=directory, env=env, capture_output=True, text=True, timeout=1200)
        assert proc.returncode == 0, proc.stderr[-3000:]
    config = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in config
    return env


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Both virtualenvs, built at once: the installs mostly wait on the package index, so two
    in parallel take about as long as one."""
    root = tmp_path_factory.mktemp("cli-venvs")
    pack = root / "policy"
    shutil.copytree(PACK, pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    options = yaml.safe_load((pack / "PulumiPolicy.yaml").read_text())["runtime"]["options"]
    pack_venv = pack / options["virtualenv"]  # the shim makes it absolute from the pack directory
    with ThreadPoolExecutor(max_workers=2) as pool:
        program = pool.submit(cli_install, ROOT, root / "venv")
        policy = pool.submit(cli_install, pack, pack_venv)
        yield {"root": root, "program": (root / "venv", program), "pack": (pack, pack_venv, policy)}


@pytest.mark.slow
def test_pulumi_install_builds_a_venv_that_runs_the_program(builds):
    venv, future = builds["program"]
    env, cwd = future.result(), builds["root"]
    python = str(venv / "bin" / "python")
    # Imported as the language host would: the program's directory first on sys.path.
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import amlws.stacks.program, "
        "pulumi_azure_native, pulumi_policy; print(sys.prefix)"
    )
    proc = subprocess.run(
        [python, "-c", probe, str(ROOT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert Path(proc.stdout.strip()) == venv
    # And run: the offline preview of dev, from the new venv's own console script.
    proc = subprocess.run(
        [str(venv / "bin" / "amlws"), "preview", "dev", "--cwd", str(ROOT), "--quiet"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "amlws/dev:" in proc.stdout


@pytest.mark.slow
def test_the_pack_starts_from_the_venv_the_cli_builds(builds):
    pack, venv, future = builds["pack"]
    env = future.result()
    from google.protobuf import empty_pb2

    stack_env = {**env, "PULUMI_PROJECT": "amlws", "PULUMI_STACK": "dev", "PULUMI_DRY_RUN": "true"}
    with PolicyPackProcess(pack, stack_env, python=str(venv / "bin" / "python")) as running:
        assert running.port > 0
        info = running.stub.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "amlws-policy" and len(info.policies) > 20
