"""`netwise check`: broken content gives one located, understandable line per problem."""

from __future__ import annotations

import json
from pathlib import Path

from support.paths import run_netwise

LESSON = "modules/basics/lessons/basics-one.yaml"


def _edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace text in a content file; return the 1-based line where the new text starts."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:start].count("\n") + 1


def _check(root: Path) -> tuple[int, str]:
    result = run_netwise("check", "--curriculum", str(root))
    assert "Traceback" not in result.stdout + result.stderr
    return result.returncode, result.stdout


def test_valid_fixture_passes(mini: Path) -> None:
    code, out = _check(mini)
    assert code == 0, out
    assert "vi: 100.0% translated" in out


def test_correct_option_that_does_not_exist(mini: Path) -> None:
    line = _edit(mini, LESSON, "correct: [scammer]", "correct: [nobody]")
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: correct answer 'nobody' is not one of the options (bank, scammer)" in out


def test_duplicate_activity_id(mini: Path) -> None:
    line = _edit(mini, LESSON, "id: flags", "id: judge")
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: activity id 'judge' is used twice in this lesson" in out


def test_unreachable_branching_node(mini: Path) -> None:
    line = _edit(
        mini,
        LESSON,
        "        - id: safe\n",
        "        - id: lost\n          text: Nobody comes here.\n          outcome: safe\n          feedback: Fine.\n        - id: safe\n",
    )
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: node 'lost' cannot be reached from the start node 'ask'" in out


def test_branching_path_that_never_ends(mini: Path) -> None:
    _edit(
        mini,
        LESSON,
        '- {text: "Then no code", goto: safe}',
        '- {text: "Then no code", goto: safe}\n            - {text: "Ask again", goto: ask}',
    )
    text = (mini / LESSON).read_text(encoding="utf-8")
    line = text.splitlines().index("        - id: check") + 1
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: this path never ends: it loops ask → check → ask" in out


def test_dead_end_node(mini: Path) -> None:
    line = _edit(mini, LESSON, "          outcome: unsafe\n", "")
    code, out = _check(mini)
    assert code == 1
    assert "node 'gave' has no choices and no outcome: this path never ends" in out
    assert f"curriculum/{LESSON}:" in out
    del line


def test_missing_vietnamese_string(mini: Path) -> None:
    po = mini / "locale/vi/LC_MESSAGES/basics.po"
    text = po.read_text(encoding="utf-8")
    entry = 'msgctxt "lesson/basics-one:activity.quiz.options.bank.feedback"\nmsgid "Banks never ask for it."\nmsgstr "VI Banks never ask for it."\n'
    assert entry in text
    po.write_text(text.replace(entry, ""), encoding="utf-8")
    source = (mini / LESSON).read_text(encoding="utf-8").splitlines()
    line = source.index('          feedback: "Banks never ask for it."') + 1
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: no vi translation in curriculum/locale/vi/LC_MESSAGES/basics.po" in out
    assert "vi: 100.0%" not in out and "% translated (required)" in out


def test_yaml_syntax_error(mini: Path) -> None:
    line = _edit(mini, LESSON, 'prompt: "Scam or legit?"', "prompt: Scam: or legit?")
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: YAML syntax error: mapping values are not allowed" in out


def test_unknown_field_and_type_in_author_words(mini: Path) -> None:
    _edit(mini, LESSON, "type: red_flags", "type: redflags")
    _edit(mini, LESSON, "duration_min: 30", "duration_min: 30\nlevel: hard")
    code, out = _check(mini)
    assert code == 1
    assert "unknown activity type 'redflags'; use one of: choice, verdict, red_flags, branching" in out
    assert "unknown field 'level'" in out


def test_real_domain_in_scenario_is_refused(mini: Path) -> None:
    _edit(mini, LESSON, "https://bank-check.example", "https://www.vietcombank.com.vn")
    code, out = _check(mini)
    assert code == 1
    assert "'www.vietcombank.com.vn' is a real-looking address" in out


def test_check_json(mini: Path) -> None:
    _edit(mini, LESSON, "correct: [scammer]", "correct: [nobody]")
    result = run_netwise("check", "--curriculum", str(mini), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["problems"][0]["file"] == f"curriculum/{LESSON}"


def test_missing_curriculum_folder(tmp_path: Path) -> None:
    result = run_netwise("check", "--curriculum", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "curriculum folder not found" in result.stderr


def test_yaml_boolean_id_is_explained(mini: Path) -> None:
    line = _edit(mini, LESSON, "        - id: bank\n", "        - id: off\n")
    code, out = _check(mini)
    assert code == 1
    assert f"curriculum/{LESSON}:{line}: 'id' was read as false: YAML turns yes/no/on/off into true/false" in out
