"""``netwise lab --open DIR``: a student's unzipped release opens as it is, and says when it came
from another NetWise or curriculum than the one on this computer."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from netwise import __version__
from netwise.content import load
from netwise.grading import stamp
from netwise.paths import bundled_curriculum, bundled_notebooks
from support.paths import run_netwise


def _release(tmp_path: Path) -> Path:
    """An unzipped release as a student has it: one folder with a notebook and the stamp."""
    folder = tmp_path / "unzipped" / "scams"
    folder.mkdir(parents=True)
    notebook = next((bundled_notebooks() / "vi" / "scams").glob("*.ipynb"))
    shutil.copyfile(notebook, folder / notebook.name)
    made = stamp.current(bundled_curriculum(), str(load(bundled_curriculum()).manifest.title), "scams", "vi")
    (folder / stamp.STAMP).write_text(made.to_json(), encoding="utf-8")
    return folder


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_open_copies_nothing_and_names_the_folder(tmp_path: Path) -> None:
    folder = _release(tmp_path)
    before = _files(tmp_path)
    result = run_netwise("lab", "--open", str(tmp_path / "unzipped"), "--dry-run", "--no-browser")
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path) == before  # not one file added or changed
    assert "note:" not in result.stdout  # made with this very NetWise and curriculum
    assert f"--ServerApp.root_dir={tmp_path / 'unzipped'}" in result.stdout
    assert "Nothing was copied" in result.stdout and folder.is_dir()


def test_another_version_is_one_line(tmp_path: Path) -> None:
    folder = _release(tmp_path)
    made = stamp.read(folder)
    assert made is not None and made.netwise == __version__
    older = dataclasses.replace(made, netwise="0.0.1", curriculum_hash="0123456789ab")
    (folder / stamp.STAMP).write_text(older.to_json(), encoding="utf-8")
    result = run_netwise("lab", "--open", str(folder), "--dry-run", "--no-browser")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert "NetWise 0.0.1" in notes[0] and __version__ in notes[0] and "0123456789ab" in notes[0]


def test_open_refuses_what_it_cannot_open(tmp_path: Path) -> None:
    missing = run_netwise("lab", "--open", str(tmp_path / "nowhere"), "--dry-run")
    assert missing.returncode == 1 and missing.stderr.startswith("netwise: error: no folder")
    empty = run_netwise("lab", "--open", str(tmp_path), "--dry-run")
    assert empty.returncode == 1 and "no notebooks" in empty.stderr
    both = run_netwise("lab", "--open", str(tmp_path), "--dir", str(tmp_path / "w"), "--dry-run")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    assert not (tmp_path / "w").exists()


def test_the_hash_follows_the_content(tmp_path: Path) -> None:
    copy = tmp_path / "curriculum"
    shutil.copytree(bundled_curriculum(), copy)
    assert stamp.curriculum_hash(copy) == stamp.curriculum_hash(bundled_curriculum())
    manifest = copy / "curriculum.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n# an NGO's edit\n", encoding="utf-8")
    assert stamp.curriculum_hash(copy) != stamp.curriculum_hash(bundled_curriculum())
