"""scripts/preview and scripts/test behave like tools: they install (visibly) on the first run and when
pyproject.toml changes, never otherwise; the interpreter is chosen (`PYTHON`, 3.11 or newer) and a
.venv built by another Python is rebuilt; paths the user gives stay relative to where they stand.
The interpreter and the virtualenv are stand-ins that log their calls, so this runs in no time."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import ROOT

FAKE_PYTHON = """#!/usr/bin/env bash
echo "python3 $*" >> "$CALLS"
if [ "$1 $2" = "-m venv" ]; then
  venv="${@: -1}"
  mkdir -p "$venv/bin"
  cp "$FAKE_VENV_PYTHON" "$venv/bin/python"
  printf '#!/usr/bin/env bash\\necho "amlws $* (in $PWD)" >> "$CALLS"\\n' > "$venv/bin/amlws"
  chmod +x "$venv/bin/python" "$venv/bin/amlws"
else
  exec "$REAL_PYTHON3" "$@"
fi
"""
FAKE_VENV_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-c" ]; then
  if [ -n "${OTHER_BASE:-}" ]; then echo "$OTHER_BASE"; exit 0; fi
  exec "$REAL_PYTHON3" "$@"
fi
echo "venv-python $* (in $PWD)" >> "$CALLS"
"""
OLD_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-c" ] && [[ $2 == *exit* ]]; then exit 1; fi
echo 3.10
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the scripts and pyproject.toml, with python3 and the virtualenv replaced by loggers."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    for script in ("preview", "test", "venv.sh"):
        shutil.copy(ROOT / "scripts" / script, project / "scripts" / script)
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("python3", FAKE_PYTHON), ("venv-python", FAKE_VENV_PYTHON), ("python3.10", OLD_PYTHON)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    (project / "elsewhere").mkdir()
    return project


def env_for(project: Path, **extra: str) -> dict[str, str]:
    bin_dir = project.parent / "bin"
    env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    return {
        **env,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(project / "calls"),
        "FAKE_VENV_PYTHON": str(bin_dir / "venv-python"),
        "REAL_PYTHON3": shutil.which("python3") or "python3",
        **extra,
    }


def run(project: Path, script: str, *args: str, cwd: Path | None = None, code: int = 0, **env: str):
    (project / "calls").write_text("")
    proc = subprocess.run(
        ["bash", str(project / "scripts" / script), *args],
        cwd=cwd or project,
        env=env_for(project, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == code, proc.stderr
    return (project / "calls").read_text().splitlines(), proc.stderr


def pip_install(project: Path, target: str) -> str:
    return f"venv-python -m pip install --disable-pip-version-check -e {project}{target}"


def test_scripts_preview_installs_once_and_again_only_when_pyproject_changes(project):
    calls, err = run(project, "preview", "dev", "--quiet")
    assert any(c.startswith("python3 -m venv --clear") for c in calls)
    assert any(c.startswith(pip_install(project, "")) for c in calls)
    assert calls[-1] == f"amlws preview dev --quiet --cwd {project} (in {project})"
    assert "installing this project into .venv" in err

    calls, err = run(project, "preview", "dev", "--quiet")
    assert [c for c in calls if not c.startswith("python3 -c")] == [calls[-1]] and err == ""

    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text() + "\n# changed\n")
    calls, err = run(project, "preview", "dev", "--quiet")
    assert any(c.startswith(pip_install(project, "")) for c in calls) and "installing" in err


def test_scripts_preview_leaves_user_paths_relative_to_the_callers_directory(project):
    here = project / "elsewhere"
    calls, _ = run(project, "preview", "dev", "--json", "out.json", "--sarif", "out.sarif", cwd=here)
    # amlws runs where the user stands (so out.json lands there); the project is the repository.
    assert calls[-1] == f"amlws preview dev --json out.json --sarif out.sarif --cwd {project} (in {here})"
    calls, _ = run(project, "preview", "dev", "--cwd", "proj", "--fixtures", "f.json", cwd=here)
    assert calls[-1] == f"amlws preview dev --cwd proj --fixtures f.json (in {here})"  # --cwd is the user's


def test_scripts_test_installs_only_when_pyproject_changes_and_runs_pytest_where_the_user_stands(project):
    here = project / "elsewhere"
    calls, err = run(project, "test", "-m", "not slow", cwd=here)
    assert any(c.startswith(pip_install(project, "[test]")) for c in calls) and "installing" in err
    pytest_call = f"venv-python -m pytest --rootdir {project} -c {project}/pyproject.toml -o pythonpath={project}"
    assert calls[-1] == f"{pytest_call} -m not slow {project}/tests (in {here})"  # no test path: the whole suite

    (here / "test_x.py").write_text("")
    calls, err = run(project, "test", "test_x.py::test_one", "-n", "0", cwd=here)
    assert not any("pip install" in c for c in calls) and err == ""
    assert calls[-1] == f"{pytest_call} test_x.py::test_one -n 0 (in {here})"  # the user's path, as given

    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text() + "\n# changed\n")
    calls, _ = run(project, "test", cwd=here)
    assert any(c.startswith(pip_install(project, "[test]")) for c in calls)


def test_a_venv_built_by_another_python_is_rebuilt(project):
    run(project, "preview", "dev")
    calls, err = run(project, "preview", "dev", OTHER_BASE="/opt/python3.12/bin/python3.12 3.12.1")
    assert any(c.startswith("python3 -m venv --clear") for c in calls)
    assert "rebuilding .venv" in err and "it was built by /opt/python3.12/bin/python3.12 3.12.1" in err
    calls, err = run(project, "test")
    assert not any("-m venv" in c for c in calls)  # built by this Python: kept


def test_the_interpreter_is_chosen_by_PYTHON_and_must_be_3_11_or_newer(project):
    calls, err = run(project, "preview", "dev", code=2, PYTHON="python3.10")
    assert "PYTHON=python3.10 is Python 3.10; this project needs Python 3.11 or newer" in err and calls == []
    calls, err = run(project, "test", code=2, PYTHON="no-such-python")
    assert "scripts/test: PYTHON=no-such-python: no such command" in err and "Traceback" not in err
    calls, _ = run(project, "preview", "dev", PYTHON="python3")
    assert calls[-1].startswith("amlws preview dev")
