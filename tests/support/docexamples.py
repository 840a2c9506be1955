"""The YAML examples of docs/authoring.md as a working curriculum, so the doc can never drift from the schema.

Blocks are fenced as ```yaml file=<path inside the curriculum> (the worked example) or
```yaml activity=<type> (the reference example of each activity type).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
_BLOCK = re.compile(r"^```yaml (file|activity)=(\S+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

# The lesson that gathers every activity type's reference example.
REFERENCE_LESSON = {
    "id": "reference-all-types",
    "title": "Every activity type",
    "summary": "The reference examples from docs/authoring.md.",
    "age_band": "11-13",
    "duration_min": 30,
    "objectives": ["Try every activity type."],
    "competences": {"digcomp": ["4.2"], "vn_framework": ["safety"]},
    "teacher_notes": {
        "timing": [{"minutes": 30, "step": "Do the activities."}],
        "discussion": ["Which activity was hardest?"],
        "rationale": "See each activity's explanations.",
    },
    "what_to_do": ["Tell a trusted adult and report it."],
}


def doc_blocks() -> tuple[dict[str, str], dict[str, str]]:
    """(files by curriculum path, activity examples by type) as written in the doc."""
    files: dict[str, str] = {}
    activities: dict[str, str] = {}
    for kind, name, body in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        (files if kind == "file" else activities)[name] = body
    return files, activities


def fill_catalog(path: Path) -> None:
    """Play the translator: every unfinished entry gets a (pretend) Vietnamese text, placeholders kept."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = f"[vi] {message.id}"
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def doc_curriculum(target: Path, with_reference: bool = True) -> tuple[Path, list[str]]:
    """Copy the small test curriculum, add the doc's module (and a module of every reference activity).

    Returns the curriculum folder and the ids of the modules added (not yet translated).
    """
    shutil.copytree(MINI, target)
    files, activities = doc_blocks()
    for relative, body in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    added = sorted({Path(relative).parts[1] for relative in files if relative.startswith("modules/")})
    if with_reference:
        lesson = dict(REFERENCE_LESSON)
        lesson["steps"] = [{"text": "Every activity type."}] + [
            {"activity": yaml.safe_load(body)} for body in activities.values()
        ]
        module = {"id": "reference", "title": "Reference", "summary": "Doc examples.", "lessons": [lesson["id"]]}
        folder = target / "modules" / "reference"
        (folder / "lessons").mkdir(parents=True)
        (folder / "module.yaml").write_text(yaml.safe_dump(module, allow_unicode=True), encoding="utf-8")
        (folder / "lessons" / f"{lesson['id']}.yaml").write_text(
            yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        added.append("reference")
    manifest = yaml.safe_load((target / "curriculum.yaml").read_text(encoding="utf-8"))
    manifest["modules"] += added  # the doc's "add - gaming to modules:" step
    (target / "curriculum.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return target, added


def own_ui_catalog(root: Path) -> None:
    """Give the copy its own finished interface catalog.

    Without one, a copy uses the bundled ui.po, which other work in progress may leave
    incomplete; these tests are about the doc's content, not the interface strings.
    """
    from netwise.paths import bundled_curriculum

    target = root / "locale" / "vi" / "LC_MESSAGES" / "ui.po"
    shutil.copyfile(bundled_curriculum() / "locale" / "vi" / "LC_MESSAGES" / "ui.po", target)
    fill_catalog(target)
