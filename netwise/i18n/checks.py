"""Checks that need the translations: spelling and phone numbers in the catalogs, and the cue
rule on every language of every item bank (the worst language counts)."""

from __future__ import annotations

from dataclasses import dataclass

from netwise.content.brands import near_brand_message, near_brands
from netwise.content.cues import MAX_FIGURE, CueFigure, cue_figure
from netwise.content.loader import Curriculum
from netwise.content.local import PLACEHOLDER, hard_coded, hard_coded_message
from netwise.content.phones import ADVICE as PHONE_ADVICE
from netwise.content.phones import dialable_numbers
from netwise.content.spelling import tone_slips
from netwise.errors import Problem, relative
from netwise.i18n.catalog import COMMON, UI, domains, po_path, read_catalog
from netwise.i18n.register import is_young, older_you, register_message, young_contexts
from netwise.i18n.translate import Translator


def catalog_problems(curriculum: Curriculum, lang: str) -> list[Problem]:
    """One tone-mark convention in every catalog of ``lang``; no dialable number, and no region's
    currency or phone format written out instead of a placeholder, in a lesson's or bank's
    translation (region profiles, in ``common``, hold the real help lines); and the young
    learners' pronoun (Vietnamese *em*) in the narrator of 8-10 lessons and bank items; and no
    translated artifact name one letter from a real brand."""
    convention = curriculum.manifest.tone_marks.get(lang)
    young = young_contexts(curriculum)
    problems: list[Problem] = []
    for domain in domains(curriculum):
        path = po_path(curriculum.root, lang, domain)
        catalog = read_catalog(path)
        if catalog is None:
            continue
        shown = relative(path, curriculum.root)
        lines = path.read_text(encoding="utf-8").splitlines()
        for message in catalog:
            if not message.id or not isinstance(message.string, str) or not message.string:
                continue
            line = _msgstr_line(lines, message.lineno or 1)
            if convention is not None:
                for written, fixed in tone_slips(message.string, convention):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            f"'{written}' puts the tone mark the {'old' if convention == 'new' else 'new'} way; "
                            f"this curriculum writes {lang} the {convention} way ('{fixed}'), "
                            "see tone_marks in curriculum.yaml",
                        )
                    )
            if domain not in (COMMON, UI) and message.context and is_young(message.context, young):
                problems += [Problem(shown, line, register_message(lang, w)) for w in older_you(message.string, lang)]
            names = _named(message.context or "", domain)
            if names is not None:
                # A translation may rename a scenario's shop or sender: it too must look invented.
                for near in near_brands(PLACEHOLDER.sub(" ", message.string), prose=names == "prose"):
                    problems.append(Problem(shown, line, near_brand_message(near)))
            if domain not in (COMMON, UI):
                for found in hard_coded(message.string, curriculum.regions.values()):
                    problems.append(Problem(shown, line, hard_coded_message(found)))
                for number in dialable_numbers(message.string):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            f"'{number}' is a real-format Vietnamese phone number someone may own; {PHONE_ADVICE}",
                        )
                    )
    return problems


def _named(context: str, domain: str) -> str | None:
    """Whether a catalog string names things in an artifact: "name" (a sender, a region's local
    name other than its city), "prose" (a message), or None."""
    if domain == COMMON:
        return "name" if ":local.names." in context and not context.endswith(".city") else None
    if domain == UI or ".artifact." not in context:
        return None
    return "name" if context.endswith(".sender") else "prose"


def _msgstr_line(lines: list[str], msgid_line: int) -> int:
    """The line where the translation starts: what a translator opens to fix it."""
    for number in range(msgid_line, len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return msgid_line


@dataclass(frozen=True)
class BankCues:
    """A bank's cue figure in every language checked; the worst one counts."""

    module_id: str
    by_lang: dict[str, CueFigure]

    @property
    def lang(self) -> str:
        return max(self.by_lang, key=lambda lang: self.by_lang[lang].figure)

    @property
    def worst(self) -> CueFigure:
        return self.by_lang[self.lang]

    @property
    def figure(self) -> float:
        return self.worst.figure

    @property
    def ok(self) -> bool:
        return self.worst.ok


def bank_cues(curriculum: Curriculum, langs: list[str]) -> list[BankCues]:
    """The cue figure of every item bank in each of ``langs`` (the source language always)."""
    source = curriculum.manifest.source_language
    wanted = list(dict.fromkeys([source, *langs]))
    out = []
    for module_id, assessment in curriculum.assessments.items():
        by_lang: dict[str, CueFigure] = {}
        for lang in wanted:
            # As learners see it: translated, with the local colour of the language's usual region.
            translated = Translator(curriculum, lang).assessment(module_id)
            by_lang[lang] = cue_figure(translated.items, assessment.scale)
        out.append(BankCues(module_id, by_lang))
    return out


GUESSER_WORDS = {
    "sender": "who the sender looks like (an adult or official, a handle, a number, a name)",
    "kind": "the kind of message (SMS, chat, e-mail, post, web page, call)",
    "link": "whether it shows a link",
    "excited": "whether it has '!' or an emoji",
    "length": "how long it is",
    "naive Bayes": "all of these surface features together (naive Bayes)",
}


def cue_problems(curriculum: Curriculum, cues: list[BankCues]) -> list[Problem]:
    """A bank whose keys a surface feature guesses above ``MAX_FIGURE`` fails, at its 'items:' line."""
    problems = []
    for bank in cues:
        if bank.ok:
            continue
        worst = bank.worst
        src = curriculum.sources[f"assessment:{bank.module_id}"]
        problems.append(
            src.problem(
                ("items",),
                f"cue figure {worst.figure:.2f} ({bank.lang}) is above {MAX_FIGURE:.2f}: "
                f"{GUESSER_WORDS.get(worst.worst, worst.worst)} guesses {worst.figure:.0%} of the keys "
                "(leave-one-out); vary it across scam/legit (true/false) items so that only knowledge answers them",
            )
        )
    return problems
