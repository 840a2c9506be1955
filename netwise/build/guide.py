"""The teacher guide: a printable teacher guide, one self-contained HTML file per language.

The guide is built from the same curriculum and catalogs as the notebooks, so it can never
disagree with what students see. It loads nothing from anywhere (no fonts, no scripts, a
Content-Security-Policy that forbids every request) because teachers print it or open it
offline, and lessons must never open an outside site.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mistune
from jinja2 import Environment
from markupsafe import Markup

from netwise.build.notebooks import notebook_path
from netwise.build.templating import html_environment
from netwise.content import Curriculum
from netwise.errors import LanguageError, NetwiseError
from netwise.i18n import Translator, language_name

TEMPLATES = Path(__file__).resolve().parent / "templates" / "guide"

# Competence names come from the frameworks' own texts; the ui catalogs translate them.
# DigComp 2.2 (European Commission JRC, 2022): code -> interface string key.
DIGCOMP_NAMES: dict[str, str] = {
    "1.1": "guide_dc_1_1",
    "1.2": "guide_dc_1_2",
    "1.3": "guide_dc_1_3",
    "2.1": "guide_dc_2_1",
    "2.2": "guide_dc_2_2",
    "2.3": "guide_dc_2_3",
    "2.4": "guide_dc_2_4",
    "2.5": "guide_dc_2_5",
    "2.6": "guide_dc_2_6",
    "3.1": "guide_dc_3_1",
    "3.2": "guide_dc_3_2",
    "3.3": "guide_dc_3_3",
    "3.4": "guide_dc_3_4",
    "4.1": "guide_dc_4_1",
    "4.2": "guide_dc_4_2",
    "4.3": "guide_dc_4_3",
    "4.4": "guide_dc_4_4",
    "5.1": "guide_dc_5_1",
    "5.2": "guide_dc_5_2",
    "5.3": "guide_dc_5_3",
    "5.4": "guide_dc_5_4",
}
# Vietnam's learner digital competence framework (Circular 02/2025/TT-BGDĐT): domain -> (number, key).
VN_DOMAINS: dict[str, tuple[int, str]] = {
    "information-data": (1, "guide_vn_information_data"),
    "communication-collaboration": (2, "guide_vn_communication_collaboration"),
    "content-creation": (3, "guide_vn_content_creation"),
    "safety": (4, "guide_vn_safety"),
    "problem-solving": (5, "guide_vn_problem_solving"),
    "ai": (6, "guide_vn_ai"),
}


# Interface strings the guide shows besides its own "guide_*" ones. Only these must be translated:
# an unfinished widget string elsewhere in the ui catalog should not block a printed guide.
SHARED_UI_KEYS: tuple[str, ...] = (
    "age_band", "duration", "what_to_do", "trusted_adults", "help_lines", "report", "emergency",
    "scam", "legit", "true", "false", "cues", "verdict_is", "fb_why", "subject",
    "option_right", "option_wrong", "outcome_safe", "outcome_partly", "outcome_unsafe",
    "sms_label", "chat_label", "email_label", "post_label", "web_label", "call_label", "distress", "licence_line",
    "video_call_label", "permission_label", "install_label", "video_scene",
)  # fmt: skip


def _guide_ui(translator: Translator) -> tuple[dict[str, str], list[str]]:
    """The interface strings in the guide's language, and the keys the guide uses that lack one."""
    before = len(translator.missing)
    ui = translator.ui()
    missing = [key for key in translator.missing[before:] if key.startswith("guide_") or key in SHARED_UI_KEYS]
    del translator.missing[before:]
    return ui, missing


class _PlainLinks(mistune.HTMLRenderer):
    """Markdown without links or images: a printed guide must not point anywhere or load anything."""

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return text

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return text


# escape=True: raw HTML in content is shown as text, never interpreted.
_markdown = mistune.create_markdown(escape=True, renderer=_PlainLinks(escape=True))


def markdown(text: str) -> Markup:
    return Markup(str(_markdown(text)).strip())


def _inline(text: str) -> Markup:
    """One line of Markdown (bold, code) without the surrounding paragraph."""
    html = str(markdown(text))
    return Markup(html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html)


@dataclass
class TextSummary:
    heading: Markup | None
    body: Markup | None


def summarise(text: str) -> TextSummary:
    """A text step in brief: its heading and its first block (paragraph or list).

    The notebook has the full text; the teacher needs to know what the step is about.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    heading = None
    if blocks and blocks[0].startswith("#"):
        first, _, rest = blocks[0].partition("\n")
        heading = _inline(first.lstrip("#").strip())
        blocks[0] = rest.strip()
        blocks = [b for b in blocks if b]
    body = markdown(blocks[0]) if blocks else None
    return TextSummary(heading, body)


@dataclass
class Ending:
    node: Any
    path: list[str]  # the learner's choices from the start to this ending


def endings(activity: Any) -> list[Ending]:
    """Every ending of a branching activity with the shortest path of choices that reaches it."""
    nodes = {node.id: node for node in activity.nodes}
    paths: dict[str, list[str]] = {activity.start: []}
    queue = deque([activity.start])
    while queue:
        node_id = queue.popleft()
        for choice in nodes[node_id].choices:
            if choice.goto in nodes and choice.goto not in paths:
                paths[choice.goto] = [*paths[node_id], choice.text]
                queue.append(choice.goto)
    return [Ending(node, paths.get(node.id, [])) for node in activity.nodes if node.outcome]


def safe_path(activity: Any) -> list[str] | None:
    safe = [ending.path for ending in endings(activity) if ending.node.outcome == "safe"]
    return min(safe, key=len) if safe else None


@dataclass
class LessonView:
    number: int
    lesson: Any
    notebook: str
    timing: list[tuple[int, int, str]]  # start minute, end minute, step
    steps: list[Any]  # TextSummary or an activity
    digcomp: list[tuple[str, str]]
    vn_framework: list[tuple[int, str]]


@dataclass
class ModuleView:
    number: int
    module: Any
    lessons: list[LessonView] = field(default_factory=list)


def _lesson_view(curriculum: Curriculum, translator: Translator, ui: dict[str, str], lesson_id: str) -> LessonView:
    lesson = translator.lesson(lesson_id)
    timing: list[tuple[int, int, str]] = []
    start = 0
    for item in lesson.teacher_notes.timing:
        timing.append((start, start + item.minutes, item.step))
        start += item.minutes
    steps = [summarise(step.text) if step.text is not None else step.activity for step in lesson.steps]
    digcomp = [(code, ui[DIGCOMP_NAMES[code]]) for code in lesson.competences.digcomp]
    vn = [(VN_DOMAINS[d][0], ui[VN_DOMAINS[d][1]]) for d in lesson.competences.vn_framework]
    return LessonView(
        number=curriculum.lesson_number(lesson_id),
        lesson=lesson,
        notebook=f"notebooks/{notebook_path(curriculum, translator.lang, lesson_id).as_posix()}",
        timing=timing,
        steps=steps,
        digcomp=digcomp,
        vn_framework=vn,
    )


def scale_label(label: str) -> str:
    """A rating label without its own "1 –" or "7 -": the guide's scale line already names the number."""
    return re.sub(r"^\s*[1-7]\s*[–—=:.-]\s*", "", label)


def _environment() -> Environment:
    env = html_environment(TEMPLATES)
    env.filters["md"] = markdown
    env.filters["points"] = lambda value: f"{value:g}"
    env.filters["scale_label"] = scale_label
    env.globals.update(endings=endings, safe_path=safe_path, isinstance=isinstance, TextSummary=TextSummary)
    return env


def selected_modules(curriculum: Curriculum, ids: list[str] | None) -> list[str]:
    known = [module.id for module in curriculum.modules]
    if not ids:
        return known
    unknown = [module_id for module_id in ids if module_id not in known]
    if unknown:
        raise NetwiseError(
            f"no module {', '.join(repr(u) for u in unknown)} in the curriculum (modules: {', '.join(known)})"
        )
    return [module_id for module_id in known if module_id in ids]  # curriculum order


def render_guide(
    curriculum: Curriculum, lang: str, module_ids: list[str] | None = None, region: str | None = None
) -> str:
    """The whole guide as one HTML document in one language, for one region (default: the
    language's usual one); LanguageError if anything is untranslated."""
    translator = Translator(curriculum, lang, region)
    ui, ui_missing = _guide_ui(translator)
    modules = []
    for module_id in selected_modules(curriculum, module_ids):
        view = ModuleView(curriculum.modules.index(curriculum.module(module_id)) + 1, translator.module(module_id))
        view.lessons = [_lesson_view(curriculum, translator, ui, lid) for lid in curriculum.module(module_id).lessons]
        modules.append(view)
    return _render(
        "guide",
        "the guide",
        translator,
        ui,
        ui_missing,
        modules=modules,
        lesson_count=sum(len(m.lessons) for m in modules),
    )


def _render(name: str, what: str, translator: Translator, ui: dict[str, str], missing: list[str], **views: Any) -> str:
    """A guide page (``name``.html.j2 with its ``name``.css inlined) in the translator's language and
    region; LanguageError naming ``what`` if anything it shows is untranslated."""
    manifest = translator.manifest()
    region = translator.region()
    missing = missing + translator.missing
    if missing:
        # A Vietnamese guide with English paragraphs in it would mislead; refuse instead.
        raise LanguageError(
            f"{what} is not fully translated into '{translator.lang}' ({len(missing)} strings missing, "
            f"first: {missing[0]}); run 'netwise check'"
        )
    html = (
        _environment()
        .get_template(f"{name}.html.j2")
        .render(
            lang=translator.lang,
            ui=ui,
            css=Markup((TEMPLATES / f"{name}.css").read_text(encoding="utf-8")),
            title=manifest.title,
            language=language_name(translator.lang),
            region=region,
            licence=ui["licence"],
            **views,
        )
    )
    return html.lstrip()  # the macros above <!DOCTYPE> leave blank lines


# The family guide's own strings, besides the help path's shared ones.
FAMILY_UI_KEYS: tuple[str, ...] = (
    "fam_title", "fam_cover_note", "fam_print_hint", "fam_module", "fam_learned", "fam_starters", "fam_tools",
    "fam_tools_note", "fam_what_to_do", "fam_who_to_call", "fam_see_full", "fam_full_help", "trusted_adults", "help_lines", "report", "emergency",
    "distress", "guide_language", "guide_region", "guide_licence",
)  # fmt: skip


@dataclass
class FamilyView:
    number: int
    module: Any  # translated, with its family block
    distress: bool  # a lesson of the module shows the distress help path: so does its page


def render_family_guide(
    curriculum: Curriculum, lang: str, module_ids: list[str] | None = None, region: str | None = None
) -> str:
    """The family guide: one printable page per module for parents and carers, in one language,
    with the region's help lines; LanguageError if anything is untranslated, NetwiseError if a
    module has no ``family:`` block."""
    chosen = selected_modules(curriculum, module_ids)
    lacking = [m for m in chosen if curriculum.module(m).family is None]
    if lacking:
        raise NetwiseError(
            f"module {', '.join(repr(m) for m in lacking)} has no 'family:' block in its module.yaml; "
            "write one or leave the module out with --modules"
        )
    translator = Translator(curriculum, lang, region)
    before = len(translator.missing)
    ui = translator.ui()
    missing = [key for key in translator.missing[before:] if key in FAMILY_UI_KEYS]
    del translator.missing[before:]
    pages = []
    for module_id in chosen:
        module = curriculum.module(module_id)
        distress = any(curriculum.lessons[lid].distress_help for lid in module.lessons if lid in curriculum.lessons)
        pages.append(FamilyView(curriculum.modules.index(module) + 1, translator.module(module_id), distress))
    return _render("family", "the family guide", translator, ui, missing, pages=pages)


def write_guide(html: str, out: Path) -> None:
    if out.is_dir():
        raise NetwiseError(f"cannot write the guide to {out}: it is a folder; give a file name such as guide.html")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(out)  # never leave half a guide behind
    except OSError as exc:
        raise NetwiseError(f"cannot write the guide to {out}: {exc.strerror or exc}") from None


__all__ = [
    "render_guide",
    "render_family_guide",
    "write_guide",
    "selected_modules",
    "summarise",
    "endings",
    "safe_path",
]
