"""YAML reading that remembers the line of every value, so errors can say file:line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netwise.errors import Problem

Loc = tuple[str | int, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """Parsed YAML data plus the 1-based line of every mapping key and list item."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """The line of the deepest known prefix of ``loc`` (data paths may be partial)."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.file, self.line(loc), message)


class _Duplicate(Exception):
    def __init__(self, line: int, key: str):
        self.line, self.key = line, key


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise _Duplicate(key_node.start_mark.line + 1, key)
            seen.add(key)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, loc + (key,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            _walk(item, loc + (index,), lines)


def read_yaml(path: Path, shown_as: str) -> Located | Problem:
    """Parse one file; a syntax error or duplicate key comes back as a Problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Problem(shown_as, 1, f"file is not UTF-8 text ({exc.reason})")
    # Parse once into nodes (they carry line numbers), then build the data from them;
    # libyaml's parser when available: kernels load the curriculum on every lesson start.
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "cannot be read"
        return Problem(shown_as, line, f"YAML syntax error: {what}")
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _Duplicate as dup:
            return Problem(shown_as, dup.line, f"the key '{dup.key}' appears twice in one block")
    return Located(shown_as, data, lines)
