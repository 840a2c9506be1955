#!/usr/bin/env bash
# mypy over the package as users import it: widgets/ and grading/ are netwise.widgets and
# netwise.grading (pyproject maps the folders), so mypy reads a tree of links in that shape.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.mypy-tree
rm -rf "$tree" && mkdir -p "$tree/netwise"
for entry in netwise/*; do ln -s "$PWD/$entry" "$tree/netwise/"; done
ln -s "$PWD/widgets" "$tree/netwise/widgets"
ln -s "$PWD/grading" "$tree/netwise/grading"
MYPY="${MYPY:-mypy}"
exec "$MYPY" "$@"
