# Sourced by scripts/preview and scripts/test: choose the interpreter and keep .venv in step with it.
#
#   PYTHON   the interpreter that builds .venv (default python3); it must be Python 3.11 or newer.
#
# A .venv whose base interpreter (real path and version) is not $PYTHON's, or that no longer runs, is
# rebuilt from scratch. Each script keeps
# its own stamp of the pyproject.toml it installed from and runs pip only when that file changes.
# Nothing here changes the caller's directory: paths the user gives stay relative to where they stand.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PYTHON=${PYTHON:-python3}

amlws_fail() {
  echo "$SCRIPT: $*" >&2
  exit 2
}

amlws_python() {
  command -v "$PYTHON" >/dev/null 2>&1 ||
    amlws_fail "PYTHON=$PYTHON: no such command; set PYTHON to a Python 3.11 or newer interpreter (e.g. PYTHON=python3.11)"
  local found
  found=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) ||
    amlws_fail "PYTHON=$PYTHON does not run as Python; set PYTHON to a Python 3.11 or newer interpreter"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    amlws_fail "PYTHON=$PYTHON is Python $found; this project needs Python 3.11 or newer (e.g. PYTHON=python3.11)"
}

# amlws_venv STAMP_NAME PIP_TARGET: (re)build .venv if another Python built it, then pip install PIP_TARGET
# (editable) when pyproject.toml differs from the one STAMP_NAME recorded.
amlws_venv() {
  local stamp="$VENV/$1" target=$2 interpreter built_by want
  amlws_python
  interpreter=$("$PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable), sys.version.split()[0])')
  built_by=$("$VENV/bin/python" -c 'import os, sys; print(os.path.realpath(sys._base_executable), sys.version.split()[0])' \
    2>/dev/null || true)
  if [ "$built_by" != "$interpreter" ]; then
    if [ -e "$VENV" ]; then
      echo "$SCRIPT: rebuilding .venv with $PYTHON ($interpreter); it was built by ${built_by:-a Python that no longer runs}" >&2
    fi
    "$PYTHON" -m venv --clear "$VENV"
  fi
  want=$("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' \
    "$ROOT/pyproject.toml")
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    echo "$SCRIPT: installing this project into .venv (first run, or pyproject.toml changed; a minute or two)" >&2
    "$VENV/bin/python" -m pip install --disable-pip-version-check -e "$target" 1>&2
    echo "$want" >"$stamp"
    echo "$SCRIPT: installed; later runs skip this until pyproject.toml changes" >&2
  fi
}
