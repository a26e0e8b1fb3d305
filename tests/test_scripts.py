"""scripts/preview: installs (visibly) on the first run and when pyproject.toml changes, never
otherwise. python3 and the virtualenv are stand-ins that log their calls, so this runs in no time."""

import os
import shutil
import subprocess

from harness import ROOT

FAKE_PYTHON3 = """#!/usr/bin/env bash
echo "python3 $*" >> "$CALLS"
if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\necho "venv-python $*" >> "$CALLS"\\n' > "$3/bin/python"
  printf '#!/usr/bin/env bash\\necho "amlws $*" >> "$CALLS"\\n' > "$3/bin/amlws"
  chmod +x "$3/bin/python" "$3/bin/amlws"
else
  exec "$REAL_PYTHON3" "$@"
fi
"""


def run_preview(project, env):
    (project / "calls").write_text("")
    proc = subprocess.run(
        ["bash", "scripts/preview", "dev", "--quiet"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return (project / "calls").read_text().splitlines(), proc.stderr


def test_scripts_preview_installs_once_and_again_only_when_pyproject_changes(tmp_path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts/preview", project / "scripts/preview")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(FAKE_PYTHON3)
    (bin_dir / "python3").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(project / "calls"),
        "REAL_PYTHON3": shutil.which("python3") or "python3",
    }

    calls, err = run_preview(project, env)
    assert any(c.startswith("python3 -m venv .venv") for c in calls)
    assert "venv-python -m pip install --disable-pip-version-check -e ." in calls
    assert calls[-1] == "amlws preview dev --quiet" and "installing this project into .venv" in err

    calls, err = run_preview(project, env)
    assert [c for c in calls if not c.startswith("python3 -c")] == ["amlws preview dev --quiet"] and err == ""

    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text() + "\n# changed\n")
    calls, err = run_preview(project, env)
    assert "venv-python -m pip install --disable-pip-version-check -e ." in calls and "installing" in err
