"""docs/authoring.md: its worked example and every activity example pass `netwise check`."""

from __future__ import annotations

import re
from pathlib import Path

from netwise.content.model import ACTIVITY_TYPES
from support.docexamples import doc_blocks, doc_curriculum, fill_catalog, own_ui_catalog
from support.paths import run_netwise


def test_doc_has_a_worked_module_and_every_activity_type() -> None:
    files, activities = doc_blocks()
    assert any(name.endswith("module.yaml") for name in files)
    assert any("/lessons/" in name for name in files)
    assert sorted(activities) == sorted(ACTIVITY_TYPES)


def test_worked_example_passes_check_following_the_documented_steps(tmp_path: Path) -> None:
    root, added = doc_curriculum(tmp_path / "my-curriculum")
    own_ui_catalog(root)
    # Before translating, check names the missing Vietnamese strings (and only those).
    before = run_netwise("check", "--curriculum", str(root))
    assert before.returncode == 1
    problems = [line for line in before.stdout.splitlines() if ": " in line and not line.startswith(("en:", "vi:"))]
    assert problems and all(re.search(r"\bvi\b", line) for line in problems), problems[:5]

    domains = [arg for module in added for arg in ("--domain", module)]
    update = run_netwise("i18n", "update", "--curriculum", str(root), "--lang", "vi", *domains)
    assert update.returncode == 0, update.stderr
    for module in added:
        fill_catalog(root / "locale" / "vi" / "LC_MESSAGES" / f"{module}.po")

    after = run_netwise("check", "--curriculum", str(root))
    assert after.returncode == 0, after.stdout + after.stderr
    assert "vi: 100.0% translated" in after.stdout and "no problems" in after.stdout


def test_english_only_variant_passes_check(tmp_path: Path) -> None:
    """The doc's alternative: publish in English first by listing languages: [en]."""
    root, _ = doc_curriculum(tmp_path / "my-curriculum", with_reference=False)
    own_ui_catalog(root)
    manifest = root / "curriculum.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("- vi\n", ""), encoding="utf-8")
    result = run_netwise("check", "--curriculum", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "vi:" in result.stdout and "in progress" in result.stdout
