#!/usr/bin/env bash
# Creates .venv and installs the project with its dev extras. Idempotent: a stamp
# keyed on pyproject.toml makes a second run instant.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
# The one pinned torch. Installed first so the resolver never picks another build;
# a CPU wheel of this version in pip's find-links folder is used when present.
TORCH_VERSION=2.15.0

stamp="$VENV/.kpc-installed"
want=$(cat pyproject.toml scripts/setup-python.sh | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "error: Python >= 3.11 is required ($PYTHON is $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
echo "setup: installing torch==$TORCH_VERSION"
"${pip[@]}" install "torch==$TORCH_VERSION"
echo "setup: installing kube-pac-copilot and its dependencies"
"${pip[@]}" install "torch==$TORCH_VERSION" -e ".[dev]"
echo "$want" > "$stamp"
