#!/usr/bin/env bash
# The NetWise test command: installs everything the tests need on a fresh Debian
# machine (Debian's chromium for the browser tests, the package and its test extras
# into .venv as a wheel, not editable, so the tests exercise what users install),
# then runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-noto-core
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check '.[test]'
# Reinstall netwise itself from this checkout (pip skips an unchanged version number).
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .

export PATH="$PWD/.venv/bin:$PATH"
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
