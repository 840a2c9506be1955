"""Notebook builder: curriculum -> notebooks/<lang>/<module>/<NN-lesson>.ipynb.

Deterministic: stable cell ids, no outputs, sorted JSON, so a rebuild gives identical
bytes and ``netwise build --check`` can tell stale notebooks from fresh ones. A cell
only names what to show; the text of activities comes from the curriculum at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from netwise.content import Curriculum
from netwise.content.assessment import all_forms, form
from netwise.errors import LanguageError
from netwise.i18n import Translator, complete_languages

NOTEBOOK_FORMAT_MINOR = 5
# Every built notebook runs in the standard Python kernel.
KERNEL_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def notebook_path(curriculum: Curriculum, lang: str, lesson_id: str) -> Path:
    module = curriculum.module_of(lesson_id)
    return Path(lang) / module.id / f"{curriculum.lesson_number(lesson_id):02d}-{lesson_id}.ipynb"


def form_path(curriculum: Curriculum, lang: str, module_id: str, form_id: str) -> Path:
    """An assessment form's notebook beside its module's lessons (00-check-before, 90-check-after, 91-booster-…)."""
    return Path(lang) / module_id / f"{form(curriculum, module_id, form_id).notebook_stem}.ipynb"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _contact(line: Any) -> str:
    head = f"**{line.name}**" + (f" — **{line.number}**" if line.number else "")
    extra = " ".join(x for x in (line.hours and f"({line.hours})", line.who, line.web and f"`{line.web}`") if x)
    return f"- {head}: {extra}"


def _closing(ui: dict[str, str], what_to_do: list[str], region: Any, distress: bool = False) -> str:
    lines = [
        f"## {ui['what_to_do']}",
        "",
        _bullets(what_to_do),
        "",
        f"### {ui['trusted_adults']}",
        "",
        region.trusted_adults,
        "",
    ]
    lines += [f"### {ui['help_lines']}", ""]
    if region.remember:
        lines += [f"**{region.remember}**", ""]
    lines += [_contact(line) for line in region.help_lines]
    if distress and region.distress is not None:
        lines += ["", f"### {ui['distress']}", "", region.distress.intro, ""]
        lines += [_contact(line) for line in region.distress.help_lines]
    lines += ["", f"### {ui['report']}", ""]
    for channel in region.reporting:
        where = " ".join(
            x for x in (channel.number and f"**{channel.number}**", channel.web and f"`{channel.web}`") if x
        )
        lines.append(f"- **{channel.name}**: {channel.how}" + (f" {where}" if where else ""))
    lines += ["", f"### {ui['emergency']}", "", region.emergency]
    return "\n".join(lines)


def _cell_id(text: str) -> str:
    return text[:64]


def licence_markdown(translator: Translator, ui: dict[str, str]) -> str | None:
    """The curriculum's licence line in Markdown (its address as code: no link to an outside site)."""
    licence = translator.manifest().licence
    if licence is None:
        return None
    attribution = licence.attribution.rstrip(".")
    return ui["licence_line"].format(attribution=attribution, licence=licence.name, url=f"`{licence.url}`")


def licence_cell(translator: Translator, ui: dict[str, str]) -> list[Any]:
    """The notebook's last cell: under what terms the lesson may be reused ([] if none is declared)."""
    line = licence_markdown(translator, ui)
    return [new_markdown_cell(f"---\n\n*{line}*", id="licence")] if line else []


def lesson_notebook(
    curriculum: Curriculum, lang: str, lesson_id: str, region: str | None = None
) -> nbformat.NotebookNode:
    """One lesson as a notebook in one language, for one region (default: the language's usual
    one): the region's help lines close it, and its local colour fills the scenarios."""
    translator = Translator(curriculum, lang, region)
    region_id = translator.region_id
    lesson = translator.lesson(lesson_id)
    module = translator.module(curriculum.module_of(lesson_id).id)
    region = translator.region()
    ui = translator.ui(lesson.age_band)
    if translator.missing:
        raise LanguageError(
            f"lesson '{lesson_id}' is not fully translated into '{lang}' ({len(translator.missing)} strings missing); run 'netwise check'"
        )
    cells = []
    intro = [
        f"# {lesson.title}",
        "",
        f"*{module.title}* · {ui['age_band'].format(band=lesson.age_band)} · {ui['duration'].format(minutes=lesson.duration_min)}",
        "",
        lesson.summary,
        "",
        f"**{ui['objectives']}:**",
        "",
        _bullets(lesson.objectives),
        "",
        f"*{ui['run_hint']}*",
    ]
    cells.append(new_markdown_cell("\n".join(intro), id="title"))
    setup = f'from netwise.widgets import Lesson\n\nlesson = Lesson("{lesson_id}", lang="{lang}", region="{region_id}")\nlesson'
    cells.append(new_code_cell(setup, id="setup", metadata={"deletable": False, "editable": False}))
    for index, step in enumerate(lesson.steps, start=1):
        if step.text is not None:
            cells.append(new_markdown_cell(step.text.strip(), id=_cell_id(f"text-{index}")))
        else:
            activity = step.activity  # the widget shows the activity's own title heading
            cells.append(
                new_code_cell(
                    f'lesson.show("{activity.id}")',
                    id=_cell_id(f"activity-{activity.id}"),
                    metadata={
                        "deletable": False,
                        "editable": False,
                        "netwise": {"activity": activity.id, "type": activity.type},
                    },
                )
            )
    cells.append(new_markdown_cell(_closing(ui, lesson.what_to_do, region, lesson.distress_help), id="closing"))
    cells += licence_cell(translator, ui)
    notebook = new_notebook(
        cells=cells,
        metadata={
            **KERNEL_METADATA,
            "netwise": {
                "lesson": lesson_id,
                "module": module.id,
                "lang": lang,
                "region": region_id,
                "title": lesson.title,
            },
        },
    )
    notebook.nbformat_minor = NOTEBOOK_FORMAT_MINOR
    return notebook


def form_notebook(
    curriculum: Curriculum, lang: str, module_id: str, form_id: str, region: str | None = None
) -> nbformat.NotebookNode:
    """One assessment form as a notebook: a short introduction and the form's widget."""
    translator = Translator(curriculum, lang, region)
    region_id = translator.region_id
    assessment = translator.assessment(module_id)
    module = translator.module(module_id)
    chosen = form(curriculum, module_id, form_id)
    ui = translator.ui(chosen.age_band)
    if translator.missing:
        raise LanguageError(
            f"the assessment of module '{module_id}' is not fully translated into '{lang}' "
            f"({len(translator.missing)} strings missing); run 'netwise check'"
        )
    kind = ui[f"as_kind_{chosen.kind}"].format(weeks=chosen.weeks or 0)
    intro = [
        f"# {assessment.title}",
        "",
        f"*{module.title}* · {kind} · {ui['age_band'].format(band=chosen.age_band)}",
        "",
        ui["as_intro"],
        "",
        f"*{ui['run_hint']}*",
    ]
    setup = (
        "from netwise.widgets import AssessmentWidget\n\n"
        f'check = AssessmentWidget("{module_id}", "{form_id}", lang="{lang}", region="{region_id}")\ncheck'
    )
    cells = [
        new_markdown_cell("\n".join(intro), id="title"),
        new_code_cell(
            setup,
            id="assessment",
            metadata={"deletable": False, "editable": False, "netwise": {"form": form_id, "module": module_id}},
        ),
        *licence_cell(translator, ui),
    ]
    notebook = new_notebook(
        cells=cells,
        metadata={
            **KERNEL_METADATA,
            "netwise": {
                "kind": "assessment",
                "form": form_id,
                "form_kind": chosen.kind,
                "module": module_id,
                "lang": lang,
                "region": region_id,
                "title": assessment.title,
            },
        },
    )
    notebook.nbformat_minor = NOTEBOOK_FORMAT_MINOR
    return notebook


def render(notebook: nbformat.NotebookNode) -> bytes:
    return (nbformat.writes(notebook, version=4) + "\n").encode("utf-8")


@dataclass
class BuildResult:
    written: list[Path]
    unchanged: list[Path]
    stale: list[Path]  # exist but differ (check mode)
    missing: list[Path]  # do not exist (check mode)
    extra: list[Path]  # notebooks no lesson produces (left in place)
    removed: list[Path] = field(default_factory=list)  # old generated notebooks deleted


def build_languages(curriculum: Curriculum, langs: list[str] | None) -> list[str]:
    """Required languages plus any language a translator has completed."""
    complete = complete_languages(curriculum)
    wanted = langs or list(dict.fromkeys([*curriculum.manifest.languages, *complete]))
    for lang in wanted:
        if lang not in complete:
            raise LanguageError(f"'{lang}' is not completely translated; run 'netwise check' to see what is missing")
    return wanted


def is_default_region(curriculum: Curriculum, lang: str, region: str | None) -> bool:
    """True when ``region`` is the language's usual pairing (what the committed notebooks use)."""
    return region is None or region == curriculum.region_id_for(lang)


def build(
    curriculum: Curriculum,
    out: Path,
    langs: list[str] | None = None,
    check: bool = False,
    progress: Any = None,
    region: str | None = None,
) -> BuildResult:
    """Write every notebook of ``langs``; ``region`` serves them all with one region profile
    instead of each language's usual one (the command line writes such pairs only under --out)."""
    result = BuildResult([], [], [], [], [])
    languages = build_languages(curriculum, langs)
    if region is not None:
        curriculum.region(region)  # raises UnknownContentError naming the known regions
    expected: set[Path] = set()

    # A job is a lesson id, or (module id, form id) for an assessment form.
    jobs: list[tuple[str, str | tuple[str, str]]] = []
    for lang in languages:
        for module in curriculum.modules:
            jobs += [(lang, lesson_id) for lesson_id in module.lessons]
            jobs += [(lang, (module.id, f.form_id)) for f in all_forms(curriculum, module.id)]
    for done, (lang, job) in enumerate(jobs, start=1):
        if isinstance(job, tuple):
            target = out / form_path(curriculum, lang, *job)
            data = render(form_notebook(curriculum, lang, *job, region=region))
        else:
            target = out / notebook_path(curriculum, lang, job)
            data = render(lesson_notebook(curriculum, lang, job, region))
        expected.add(target)
        if progress:
            progress(done, len(jobs), target)
        if target.is_file() and target.read_bytes() == data:
            result.unchanged.append(target)
        elif check:
            (result.stale if target.exists() else result.missing).append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            result.written.append(target)
    for lang in languages:
        for path in sorted((out / lang).rglob("*.ipynb")) if (out / lang).is_dir() else []:
            if path in expected or ".ipynb_checkpoints" in path.parts:
                continue
            if not check and _generated(path):
                path.unlink()  # a lesson renumbered or removed: its old generated notebook goes
                result.removed.append(path)
            else:
                result.extra.append(path)
    return result


def _generated(path: Path) -> bool:
    """True for a notebook this builder wrote (it names its lesson, or is an assessment form)."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("netwise", {})
        return "lesson" in meta or meta.get("kind") == "assessment"
    except (OSError, ValueError, AttributeError):
        return False
