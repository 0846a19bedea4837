#!/usr/bin/env bash
# Create the virtual environment and install the pinned requirements: only what is missing.
# Idempotent: pip runs only when requirements.txt changed since the last successful install
# (a stamp with its hash lives inside the venv). VENV and PYTHON may be overridden.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
stamp="$VENV/.requirements.sha256"

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating $VENV with $PYTHON"
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    # Debian ships venv separately; install it when we may.
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "python${version}-venv" || apt-get install -y -qq python3-venv
      "$PYTHON" -m venv "$VENV"
    else
      echo "error: '$PYTHON -m venv' failed; install the python3-venv package" >&2
      exit 1
    fi
  fi
fi

want=$(sha256sum requirements.txt | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "Installing requirements into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
else
  echo "$VENV is up to date"
fi
