"""`netwise build`: deterministic notebooks, and `--check` finds stale or missing ones."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from support.paths import run_netwise


def test_build_writes_both_languages_deterministically(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "notebooks"
    first = run_netwise("build", "--curriculum", str(mini), "--out", str(out))
    assert first.returncode == 0, first.stderr
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.ipynb"))
    assert files == ["en/basics/01-basics-one.ipynb", "vi/basics/01-basics-one.ipynb"]
    snapshot = {f: (out / f).read_bytes() for f in files}
    again = run_netwise("build", "--curriculum", str(mini), "--out", str(out))
    assert again.returncode == 0 and "0 notebooks" in again.stdout
    assert {f: (out / f).read_bytes() for f in files} == snapshot
    check = run_netwise("build", "--curriculum", str(mini), "--out", str(out), "--check")
    assert check.returncode == 0, check.stdout


def test_notebook_shape(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "nb"
    assert run_netwise("build", "--curriculum", str(mini), "--out", str(out), "--lang", "vi").returncode == 0
    nb = nbformat.read(out / "vi/basics/01-basics-one.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["netwise"]["lesson"] == "basics-one" and nb.metadata["netwise"]["lang"] == "vi"
    ids = [cell.id for cell in nb.cells]
    assert len(ids) == len(set(ids)) and ids[0] == "title" and ids[-1] == "closing"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert (
        code[0].source
        == 'from netwise.widgets import Lesson\n\nlesson = Lesson("basics-one", lang="vi", region="vn")\nlesson'
    )
    # One short call per activity, in lesson order.
    assert [cell.source for cell in code[1:]] == [f'lesson.show("{a}")' for a in ("quiz", "judge", "flags", "chat")]
    title = nb.cells[0].source
    assert title.startswith("# VI Lesson one") and "VI Spot a scam." in title
    closing = nb.cells[-1].source
    assert "VI Tell a trusted adult." in closing and "111" in closing and "5656" in closing
    # The English notebook closes with the international profile.
    assert run_netwise("build", "--curriculum", str(mini), "--out", str(out), "--lang", "en").returncode == 0
    en = nbformat.read(out / "en/basics/01-basics-one.ipynb", as_version=4)
    assert "Child helpline" in en.cells[-1].source and "111" not in en.cells[-1].source


def test_check_lists_stale_missing_and_extra(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "nb"
    assert run_netwise("build", "--curriculum", str(mini), "--out", str(out)).returncode == 0
    lesson = mini / "modules/basics/lessons/basics-one.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace('  - text: "Welcome."\n', ""), encoding="utf-8")
    (out / "vi/basics/01-basics-one.ipynb").unlink()
    (out / "en/basics/99-old.ipynb").write_text("{}", encoding="utf-8")
    result = run_netwise("build", "--curriculum", str(mini), "--out", str(out), "--check")
    assert result.returncode == 1
    assert f"stale: {out / 'en/basics/01-basics-one.ipynb'}" in result.stdout
    assert f"missing: {out / 'vi/basics/01-basics-one.ipynb'}" in result.stdout
    assert f"not from the curriculum: {out / 'en/basics/99-old.ipynb'}" in result.stdout
    assert not (out / "vi/basics/01-basics-one.ipynb").exists()  # --check writes nothing


def test_untranslated_language_is_not_built(mini: Path, tmp_path: Path) -> None:
    (mini / "locale/vi/LC_MESSAGES/basics.po").unlink()
    result = run_netwise("build", "--curriculum", str(mini), "--out", str(tmp_path / "nb"), "--lang", "vi")
    assert result.returncode == 1
    assert "'vi' is not completely translated" in result.stderr and "Traceback" not in result.stderr


def test_list_json(mini: Path) -> None:
    result = run_netwise("list", "--curriculum", str(mini), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    module = data["modules"][0]
    assert module["id"] == "basics" and module["title"] == "Basics"
    assert module["age_bands"] == ["11-13"]
    assert module["competences"] == {"digcomp": ["4.2"], "vn_framework": ["safety"]}
    lesson = module["lessons"][0]
    assert {k: lesson[k] for k in ("id", "title", "age_band", "duration_min", "languages")} == {
        "id": "basics-one", "title": "Lesson one", "age_band": "11-13", "duration_min": 30, "languages": ["en", "vi"],
    }  # fmt: skip
    assert [(a["id"], a["type"]) for a in lesson["activities"]] == [
        ("quiz", "choice"), ("judge", "verdict"), ("flags", "red_flags"), ("chat", "branching"),
    ]  # fmt: skip
