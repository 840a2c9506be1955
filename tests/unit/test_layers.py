"""Imports flow one way (docs/architecture.md): a test, because import_cycles.py finds cycles only.

Every import in the project's Python files counts, those inside functions included, so a
function-local import cannot hide a layer break. A function-local import is allowed only to
defer a slow start-up, and a comment on it (or on the line above) must say so.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"netwise": ROOT / "netwise", "netwise.widgets": ROOT / "widgets", "netwise.grading": ROOT / "grading"}

# From the bottom. A module may import its own layer's package and anything in a lower rank;
# within rank 3, grading may import build and nothing else crosses (widgets, build, grading).
RANK = {
    "netwise.errors": 0,
    "netwise.paths": 0,
    "netwise": 0,  # the package itself: its version
    "netwise.content": 1,
    "netwise.i18n": 2,
    "netwise.scoring": 3,
    "netwise.widgets": 4,
    "netwise.build": 4,
    "netwise.grading": 4,
    "netwise.kernels": 5,
    "netwise.kernel_fork": 5,  # the old path of netwise.kernels.fork
    "netwise.app": 6,
    "netwise.site": 6,  # the static lesson site (export-site): content, widgets and build, no server
    "netwise.cli": 7,
    "netwise.__main__": 7,
}
ALSO_ALLOWED = {
    ("netwise.grading", "netwise.build"),
    ("netwise.kernel_fork", "netwise.kernels"),
    ("netwise.__main__", "netwise.cli"),
}


def layer(module: str) -> str:
    """The layer a dotted module name belongs to: the longest prefix in RANK."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in RANK:
            return name
    raise KeyError(module)


def modules() -> Iterator[tuple[str, Path]]:
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            yield ".".join([package, *parts]), path


def imports(module: str, path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, at module level) for each netwise import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            if name == "netwise" or name.startswith("netwise."):
                yield node.lineno, name, id(node) in top


def allowed(importer: str, imported: str) -> bool:
    a, b = layer(importer), layer(imported)
    return a == b or RANK[b] < RANK[a] or (a, b) in ALSO_ALLOWED


def test_the_layer_map_covers_every_module() -> None:
    for module, _ in modules():
        layer(module)  # raises for a module that belongs to no layer


def test_imports_flow_one_way() -> None:
    wrong = []
    for module, path in modules():
        for line, name, _ in imports(module, path):
            if not allowed(module, name):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {layer(module)} imports {name}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("netwise.grading.report", "netwise.widgets.lesson"),
        ("netwise.content.loader", "netwise.i18n.translate"),
        ("netwise.widgets.lesson", "netwise.build.notebooks"),
        ("netwise.kernels.fork", "netwise.app.server"),
        ("netwise.scoring.activity", "netwise.grading.results"),
    ],
)
def test_the_check_refuses_an_upward_import(importer: str, imported: str) -> None:
    assert not allowed(importer, imported)


def test_function_local_imports_say_why() -> None:
    silent = []
    for module, path in modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, name, at_top in imports(module, path):
            if at_top:
                continue
            here, above = lines[line - 1], lines[line - 2] if line >= 2 else ""
            if "#" not in here and not above.strip().startswith("#"):
                silent.append(f"{path.relative_to(ROOT)}:{line}: import of {name} inside a function says not why")
    assert not silent, "\n".join(silent)
