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
# PostgreSQL for the gradebook tests (the tests start their own throwaway server).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql
fi
# nginx for the static site's hosting test (tests/browser/test_static_site_nginx.py).
if [ ! -x /usr/sbin/nginx ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nginx
fi
# Node and npm: the front-end bundles' build check and the static site's engine test run in Node.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q nodejs npm
fi
# axe-core (accessibility checks of the lesson app), from the npm registry into a test-only folder.
if [ ! -f tests/.axe/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm install --silent --no-save --no-audit --no-fund --prefix tests/.axe axe-core@4
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check '.[test]'
# Reinstall netwise itself from this checkout (pip skips an unchanged version number).
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .

export PATH="$PWD/.venv/bin:$PATH"
# The project's own paths only: a teacher's course folder inside the checkout is not ours to lint.
SOURCES=(netwise widgets grading tests benchmarks)
.venv/bin/ruff check "${SOURCES[@]}"
.venv/bin/ruff format --check "${SOURCES[@]}"
MYPY=.venv/bin/mypy bash tests/typecheck.sh
exec .venv/bin/pytest "$@"
