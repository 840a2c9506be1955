"""The command line as a user meets it: help, version, one-line errors."""

from __future__ import annotations

from pathlib import Path

from support.paths import run_netwise


def test_help_and_version() -> None:
    result = run_netwise("--help")
    assert result.returncode == 0
    for command in ("check", "list", "build", "lab", "i18n"):
        assert command in result.stdout
    version = run_netwise("--version")
    assert version.returncode == 0 and version.stdout.startswith("netwise ")


def test_bad_usage_is_one_line_error() -> None:
    result = run_netwise("build", "--nonsense")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_unknown_language(tmp_path: Path) -> None:
    result = run_netwise("build", "--lang", "xx", "--out", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "'xx'" in result.stderr


def test_lab_prepares_a_working_copy(tmp_path: Path) -> None:
    result = run_netwise("lab", "--lang", "vi", "--dry-run", "--dir", str(tmp_path / "work"))
    assert result.returncode == 0, result.stderr
    copied = sorted(p.name for p in (tmp_path / "work").rglob("*.ipynb"))
    assert copied and all(name[:2].isdigit() for name in copied)
    assert "jupyterlab" in result.stdout and str(tmp_path / "work") in result.stdout
    # A learner's own copy is never overwritten.
    mine = next((tmp_path / "work").rglob("*.ipynb"))
    mine.write_text("my work", encoding="utf-8")
    assert run_netwise("lab", "--lang", "vi", "--dry-run", "--dir", str(tmp_path / "work")).returncode == 0
    assert mine.read_text(encoding="utf-8") == "my work"
