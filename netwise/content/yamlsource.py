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


# --- plain hints for the syntax errors authors make most (issue 13) -------------------------
# PyYAML says where it gave up, which for a tab or an unclosed quote is often far from the
# cause and in words an NGO author does not know ("cannot start any token"). The hint names the
# cause and the line to fix, and keeps PyYAML's own words after it for anyone who knows YAML.

_OPENS_VALUE = ":-[{,?"  # a quote right after one of these (or at the line start) opens a value
_AFTER_CLOSE = ",}]:#"  # what may follow a closing quote on the same line


def _unclosed_quote(line: str) -> tuple[str, str] | None:
    """Whether a quoted value on this one line is left open or closed too early.

    Returns ("open", quote) for a quote that opens a value and does not close on the line,
    ("early", quote) for a quoted value followed by more text (a quote inside it ended it),
    or None. Apostrophes inside plain text ("it's") do not open a value, so they are ignored.
    """
    quote = ""
    previous = ""  # the last character outside quotes that is not a space
    index = 0
    while index < len(line):
        char = line[index]
        if quote == '"':
            if char == "\\":
                index += 2
                continue
            if char == '"':
                quote = ""
                rest = line[index + 1 :].lstrip()
                if rest and rest[0] not in _AFTER_CLOSE:
                    return ("early", '"')
                previous = '"'
        elif quote == "'":
            if char == "'" and line[index + 1 : index + 2] == "'":
                index += 2
                continue
            if char == "'":
                quote = ""
                rest = line[index + 1 :].lstrip()
                if rest and rest[0] not in _AFTER_CLOSE:
                    return ("early", "'")
                previous = "'"
        elif char in "\"'" and (previous == "" or previous in _OPENS_VALUE):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return None  # a comment: nothing after it counts
        elif not char.isspace():
            previous = char
        index += 1
    return ("open", quote) if quote else None


def _quote_message(kind: str, quote: str) -> str:
    if kind == "open":
        return f"the quote {quote} that opens a text on this line is never closed; end the text with {quote}"
    inner = '\\"' if quote == '"' else "''"
    return (
        f"the quoted text on this line ends too early: a {quote} inside it ends the text; "
        f"write that one as {inner}, or put the whole text in the other kind of quotes"
    )


def _error_line(text: str) -> int | None:
    """The line PyYAML stops at in ``text`` (None: it parses)."""
    try:
        yaml.load(text, Loader=_Loader)  # a safe loader (libyaml's when available)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark else 1
    except yaml.YAMLError:
        return 1
    return None


def syntax_hint(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line to show and a plain message for a PyYAML syntax error in ``text``."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    what = exc.problem or exc.context or "cannot be read"
    lines = text.splitlines()
    # A tab where YAML expects indentation or a token: PyYAML calls it a character that
    # "cannot start any token".
    if exc.problem_mark is not None and "cannot start any token" in what:
        source = lines[line - 1] if line <= len(lines) else ""
        column = exc.problem_mark.column
        if "\t" in source[: column + 1]:
            return line, f"a tab on this line; YAML indents with spaces, not tabs: use spaces ({what})"
    # The scanner ran off the end of the file inside a quoted text: it knows where it opened.
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        opened = exc.context_mark.line + 1
        source = lines[opened - 1] if opened <= len(lines) else ""
        quote = source[exc.context_mark.column : exc.context_mark.column + 1] or '"'
        return opened, f"{_quote_message('open', quote)} (PyYAML: {what} at line {line})"
    # A quoted text closed too early, on the line where the parser stopped.
    if 0 < line <= len(lines):
        found = _unclosed_quote(lines[line - 1])
        if found is not None and found[0] == "early":
            return line, f"{_quote_message(*found)} (PyYAML: {what})"
    # Otherwise an open quote may have swallowed the next lines, so the parser stopped later.
    # Look back for the nearest line whose quote does not close, and blame it only if closing
    # it there lets the parser get further (a text may legally continue over lines).
    for number in range(min(line, len(lines)), 0, -1):
        found = _unclosed_quote(lines[number - 1])
        if found is None or found[0] != "open":
            continue
        fixed = [*lines]
        fixed[number - 1] += found[1]
        after = _error_line("\n".join(fixed) + "\n")
        if after is None or after > line:
            where = "" if number == line else f" at line {line}"
            return number, f"{_quote_message(*found)} (PyYAML: {what}{where})"
        break
    return line, what


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
        line, message = syntax_hint(text, exc)
        return Problem(shown_as, line, f"YAML syntax error: {message}")
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        try:
            _walk(node, (), lines)
        except _Duplicate as dup:
            return Problem(shown_as, dup.line, f"the key '{dup.key}' appears twice in one block")
    return Located(shown_as, data, lines)
