"""YAML syntax errors in curriculum files name their cause in plain words (issue 13).

PyYAML reports a tab as "found character that cannot start any token" and an unclosed quote
where it ran out of file, often many lines later. Authors at an NGO need the cause and the
line to fix, still as one ``file:line: message`` line from ``netwise check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netwise.content.yamlsource import read_yaml
from netwise.errors import Problem
from support.paths import run_netwise

LESSON = "modules/basics/lessons/basics-one.yaml"


def _break(root: Path, old: str, new: str) -> int:
    """Replace text in the fixture lesson; return the 1-based line where it was."""
    path = root / LESSON
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _check_lines(root: Path) -> list[str]:
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "YAML syntax error" in line]


def test_tab_indent_says_use_spaces(mini: Path) -> None:
    line = _break(mini, '  - text: "Welcome."', '\t- text: "Welcome."')
    found = _check_lines(mini)
    assert len(found) == 1, found
    assert found[0].startswith(f"curriculum/{LESSON}:{line}: YAML syntax error: a tab on this line")
    assert "use spaces" in found[0] and "not tabs" in found[0]


def test_unclosed_quote_points_at_the_line_that_opens_it(mini: Path) -> None:
    # The quote opened here swallows the rest of the file; PyYAML stops at its end.
    line = _break(mini, 'prompt: "Who asks for your OTP code?"', 'prompt: "Who asks for your OTP code?')
    total = len((mini / LESSON).read_text(encoding="utf-8").splitlines())
    found = _check_lines(mini)
    assert len(found) == 1, found
    assert found[0].startswith(f'curriculum/{LESSON}:{line}: YAML syntax error: the quote " that opens')
    assert "never closed" in found[0]
    assert line < total - 5  # the line shown is the opening one, far from where PyYAML stopped


def test_quote_inside_a_quoted_text(mini: Path) -> None:
    line = _break(mini, 'text: "Your bank"', 'text: "Your "real" bank"')
    found = _check_lines(mini)
    assert len(found) == 1, found
    assert found[0].startswith(
        f"curriculum/{LESSON}:{line}: YAML syntax error: the quoted text on this line ends too early"
    )
    assert '\\"' in found[0]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # a single-quoted text left open: the parser stops two lines later at the next key
        ("a: 1\nb: 'it\nc: 2\nd: 'x'\n", 2, "the quote ' that opens"),
        # an open quote inside a list, in a flow mapping of a chat line
        ('a:\n  - {side: them, text: "hi, time: "1"}\n', 2, "ends too early"),
        ("a:\n  -\tx: 1\n", 2, "not tabs"),
    ],
)
def test_hints_in_other_shapes(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = read_yaml(path, "x.yaml")
    assert isinstance(result, Problem)
    assert result.line == line and words in result.message, result


def test_legal_multiline_quote_is_not_blamed(tmp_path: Path) -> None:
    # A quoted text may go on over lines; an error after it is reported as PyYAML found it.
    text = 'a: "one\n  two"\nb: c: d\n'
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result = read_yaml(path, "x.yaml")
    assert isinstance(result, Problem)
    assert result.line == 3 and "quote" not in result.message, result
