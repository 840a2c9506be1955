"""Checks that span fields: references, unique ids, branching graphs, content rules."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel

from netwise.content import links
from netwise.content.assessment import band_rank, younger_bands
from netwise.content.brands import near_brand_message, near_brands
from netwise.content.loader import Curriculum
from netwise.content.local import (
    PLACEHOLDER,
    LocalValues,
    cast_keys,
    hard_coded,
    hard_coded_message,
    local_values,
    localise,
    placeholder_problems,
)
from netwise.content.model import (
    DETAIL_KINDS,
    SCALE_ANSWERS,
    SCENE_KINDS,
    Artifact,
    Assessment,
    BranchingActivity,
    ChoiceActivity,
    Lesson,
    LinkInspectorActivity,
    PassphraseLabActivity,
    PrivacySettingsActivity,
    RatingActivity,
    RedFlagsActivity,
    Region,
    VerdictActivity,
    VerdictLabels,
)
from netwise.content.model import Activity as ActivityModel
from netwise.content.phones import ADVICE as PHONE_ADVICE
from netwise.content.phones import dialable_numbers
from netwise.content.spelling import tone_slips
from netwise.content.text import texts
from netwise.content.yamlsource import Loc, Located
from netwise.errors import Problem

# Scenario links must use names reserved for examples (RFC 2606 / RFC 6761).
_RESERVED = re.compile(r"(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def _host(link: str) -> str:
    host = re.sub(r"^[a-z]+://", "", link.strip(), flags=re.IGNORECASE).split("/")[0]
    return host.split("@")[-1].split(":")[0].rstrip(".").lower()


def _foreign_hosts(text: str) -> Iterator[str]:
    # A placeholder in an address ("{cast:shop-web}.example") stands for a name the region
    # fills in; the filled-in address is checked with the lesson's activities.
    text = PLACEHOLDER.sub("x", text)
    for match in _URL.finditer(text):
        host = _host(match.group(0)).rstrip(".,;:!?")
        if host and not _RESERVED.search(host):
            yield host
    for match in _EMAIL.finditer(text):
        host = match.group(1).lower().rstrip(".")
        if not _RESERVED.search(host):
            yield host


def _duplicates(ids: list[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            yield index, value
        seen.add(value)


# An install prompt's address may be the file offered (FreeDiamonds.apk), not a host.
_FILE_NAME = re.compile(r"^[\w() -]+\.(apk|xapk|ipa|exe|msi|dmg|pkg|zip|bat|jar)$", re.IGNORECASE)


def _artifact(src: Located, loc: Loc, artifact: Artifact) -> Iterator[Problem]:
    if artifact.scene is not None and artifact.kind not in SCENE_KINDS:
        yield src.problem(
            loc + ("scene",), f"'scene' belongs to a {' or '.join(SCENE_KINDS)} artifact, not '{artifact.kind}'"
        )
    if artifact.details and artifact.kind not in DETAIL_KINDS:
        yield src.problem(
            loc + ("details",), f"'details' belongs to a {' or '.join(DETAIL_KINDS)} artifact, not '{artifact.kind}'"
        )
    for name in ("url", "address"):
        value = getattr(artifact, name)
        if name == "address" and artifact.kind == "install" and value and _FILE_NAME.match(value.strip()):
            continue
        if value and "." in value and not _RESERVED.search(_host(value)):
            yield src.problem(
                loc + (name,),
                f"'{value}' is a real-looking address; scenarios must use reserved example domains "
                "such as bank.example or shop-vn.test",
            )
    if artifact.address:
        yield from _phones(src, loc + ("address",), artifact.address)


# Which artifact fields name something (every word may be a brand) and which are prose (only
# addresses and capitalised words may be).
_NAME_FIELDS = ("sender", "address", "url")
_PROSE_FIELDS = ("subject", "body", "scene")


def _artifacts(value: Any, loc: Loc) -> Iterator[tuple[Loc, Artifact]]:
    """Every artifact inside a lesson or bank, with its data path."""
    if isinstance(value, Artifact):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _artifacts(getattr(value, name), loc + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _artifacts(item, loc + (index,))


def _brands(src: Located, owner: BaseModel) -> Iterator[Problem]:
    """No invented name in an artifact is, or is one letter from, a real brand. Placeholders are
    left out: the names a region lends are checked in the region profile."""
    for loc, artifact in _artifacts(owner, ()):
        fields = [(loc + (name,), getattr(artifact, name), False) for name in _NAME_FIELDS]
        fields += [(loc + (name,), getattr(artifact, name), True) for name in _PROSE_FIELDS]
        fields += [(loc + ("messages", i, "text"), m.text, True) for i, m in enumerate(artifact.messages)]
        fields += [(loc + ("details", i), line, True) for i, line in enumerate(artifact.details)]
        for where, text, prose in fields:
            if text:
                for found in near_brands(PLACEHOLDER.sub(" ", text), prose=prose):
                    yield src.problem(where, near_brand_message(found))


def _phones(src: Located, loc: Loc, text: str) -> Iterator[Problem]:
    """A scenario must never show a number a child could dial (help lines live in region profiles)."""
    for number in dialable_numbers(text):
        yield src.problem(loc, f"'{number}' is a real-format Vietnamese phone number someone may own; {PHONE_ADVICE}")


def _spelling(src: Located, loc: Loc, text: str, conventions: dict[str, str]) -> Iterator[Problem]:
    for lang, convention in conventions.items():
        for written, fixed in tone_slips(text, convention):
            yield src.problem(
                loc,
                f"'{written}' puts the tone mark the {'old' if convention == 'new' else 'new'} way; "
                f"this curriculum writes {lang} the {convention} way ('{fixed}'), see tone_marks in curriculum.yaml",
            )


def _lesson_texts(lesson: Lesson) -> Iterator[tuple[Loc, str]]:
    for entry in texts(lesson):
        yield entry.loc, entry.text


def _branching(src: Located, loc: Loc, activity: BranchingActivity) -> Iterator[Problem]:
    nodes = {node.id: node for node in activity.nodes}
    index_of = {node.id: i for i, node in enumerate(activity.nodes)}
    for i, node_id in _duplicates([n.id for n in activity.nodes]):
        yield src.problem(loc + ("nodes", i, "id"), f"node id '{node_id}' is used twice")
    if activity.start not in nodes:
        yield src.problem(loc + ("start",), f"start node '{activity.start}' does not exist")
        return
    for i, node in enumerate(activity.nodes):
        node_loc = loc + ("nodes", i)
        if node.outcome and node.choices:
            yield src.problem(node_loc, f"node '{node.id}' has an outcome and choices; an ending has no choices")
        if node.outcome and not node.feedback:
            yield src.problem(node_loc, f"ending '{node.id}' needs 'feedback' saying what went well or what to do")
        if not node.outcome and not node.choices:
            yield src.problem(node_loc, f"node '{node.id}' has no choices and no outcome: this path never ends")
        for c, choice in enumerate(node.choices):
            if choice.goto not in nodes:
                yield src.problem(
                    node_loc + ("choices", c, "goto"), f"choice leads to node '{choice.goto}', which does not exist"
                )
    # Reachability from the start.
    reached: set[str] = set()
    stack = [activity.start]
    while stack:
        node_id = stack.pop()
        if node_id in reached or node_id not in nodes:
            continue
        reached.add(node_id)
        stack.extend(choice.goto for choice in nodes[node_id].choices)
    for node in activity.nodes:
        if node.id not in reached:
            yield src.problem(
                loc + ("nodes", index_of[node.id]),
                f"node '{node.id}' cannot be reached from the start node '{activity.start}'",
            )
    # Every path must end: no cycles among reachable nodes.
    state: dict[str, int] = {}

    def visit(node_id: str, trail: list[str]) -> list[str] | None:
        state[node_id] = 1
        for choice in nodes[node_id].choices:
            if choice.goto not in nodes:
                continue
            if state.get(choice.goto) == 1:
                return trail + [node_id, choice.goto]
            if choice.goto not in state:
                found = visit(choice.goto, trail + [node_id])
                if found:
                    return found
        state[node_id] = 2
        return None

    cycle = visit(activity.start, [])
    if cycle:
        start = cycle.index(cycle[-1])
        loop = " → ".join(cycle[start:])
        yield src.problem(loc + ("nodes", index_of[cycle[-2]]), f"this path never ends: it loops {loop}")


def _privacy_settings(src: Located, loc: Loc, activity: PrivacySettingsActivity) -> Iterator[Problem]:
    for i, setting_id in _duplicates([s.id for s in activity.settings]):
        yield src.problem(loc + ("settings", i, "id"), f"setting id '{setting_id}' is used twice")
    for i, setting in enumerate(activity.settings):
        setting_loc = loc + ("settings", i)
        option_ids = [o.id for o in setting.options]
        for o, option_id in _duplicates(option_ids):
            yield src.problem(setting_loc + ("options", o, "id"), f"option id '{option_id}' is used twice")
        for b, best in enumerate(setting.best):
            if best not in option_ids:
                yield src.problem(
                    setting_loc + ("best", b),
                    f"best option '{best}' is not one of the options ({', '.join(option_ids)})",
                )
        if set(option_ids) <= set(setting.best):
            yield src.problem(
                setting_loc + ("best",), f"every option of '{setting.id}' is best: there is nothing to decide"
            )


def _link_inspector(src: Located, loc: Loc, activity: LinkInspectorActivity) -> Iterator[Problem]:
    for i, item_id in _duplicates([item.id for item in activity.items]):
        yield src.problem(loc + ("items", i, "id"), f"item id '{item_id}' is used twice")
    for i, item in enumerate(activity.items):
        item_loc = loc + ("items", i)
        link = links.inspect(item.url)
        if not link.host:
            yield src.problem(item_loc + ("url",), f"'{item.url}' has no web address a browser could open")
            continue
        if not _RESERVED.search(link.host):
            yield src.problem(
                item_loc + ("url",),
                f"'{link.host}' is a real-looking address; scenarios must use reserved example domains "
                "such as bank.example or bank-login.test",
            )
            continue
        if not link.domain:
            yield src.problem(item_loc + ("url",), f"'{link.host}' is only a suffix: it names no site")
            continue
        if item.real_domain is None:
            continue
        real = links.normalize(item.real_domain)
        if not real or not _RESERVED.search(real):
            yield src.problem(
                item_loc + ("real_domain",),
                f"real_domain '{item.real_domain}' must be a reserved example domain such as vcbank.example",
            )
            continue
        own = links.registrable(real)
        if own != real:
            better = f"; use '{links.to_unicode(own)}'" if own else ""
            yield src.problem(
                item_loc + ("real_domain",),
                f"real_domain '{item.real_domain}' is not a registrable domain{better}",
            )
            continue
        opens = link.domain_shown
        if item.genuine and link.domain != real:
            yield src.problem(
                item_loc + ("genuine",),
                f"genuine is true, but this link opens {opens}, not the real domain {item.real_domain}",
            )
        elif not item.genuine and link.domain == real:
            yield src.problem(
                item_loc + ("genuine",),
                f"genuine is false, but this link opens {opens}, which is the real domain",
            )


def _choice(src: Located, loc: Loc, activity: ChoiceActivity) -> Iterator[Problem]:
    option_ids = [o.id for o in activity.options]
    for i, option_id in _duplicates(option_ids):
        yield src.problem(loc + ("options", i, "id"), f"option id '{option_id}' is used twice")
    for c, correct in enumerate(activity.correct):
        if correct not in option_ids:
            yield src.problem(
                loc + ("correct", c),
                f"correct answer '{correct}' is not one of the options ({', '.join(option_ids)})",
            )
    if not activity.multiple and len(activity.correct) != 1:
        yield src.problem(
            loc + ("correct",),
            "a single-answer choice needs exactly one correct option (or set 'multiple: true')",
        )


def _labels(src: Located, loc: Loc, labels: VerdictLabels | None, scale: str) -> Iterator[Problem]:
    """A label names one of the scale's two answers; a 'true' label on a scam-legit scale is a slip."""
    if labels is None:
        return
    allowed = SCALE_ANSWERS[scale]
    for key in labels.chosen():
        if key not in allowed:
            yield src.problem(
                loc + ("labels", key),
                f"label '{key}' is not an answer of scale '{scale}' (label {' and '.join(allowed)})",
            )


def _verdict(src: Located, loc: Loc, activity: VerdictActivity) -> Iterator[Problem]:
    allowed = SCALE_ANSWERS[activity.scale]
    yield from _labels(src, loc, activity.labels, activity.scale)
    for i, item_id in _duplicates([item.id for item in activity.items]):
        yield src.problem(loc + ("items", i, "id"), f"item id '{item_id}' is used twice")
    for i, item in enumerate(activity.items):
        if item.answer not in allowed:
            yield src.problem(
                loc + ("items", i, "answer"),
                f"answer '{item.answer}' does not fit scale '{activity.scale}' ({' or '.join(allowed)})",
            )
        yield from _artifact(src, loc + ("items", i, "artifact"), item.artifact)
    answers = {item.answer for item in activity.items}
    if len(activity.items) > 1 and len(answers) < 2:
        yield src.problem(
            loc + ("items",),
            f"all items are '{answers.pop()}'; mix {' and '.join(allowed)} items so that telling them apart is what scores",
        )


def _red_flags(src: Located, loc: Loc, activity: RedFlagsActivity) -> Iterator[Problem]:
    for i, part_id in _duplicates([p.id for p in activity.parts]):
        yield src.problem(loc + ("parts", i, "id"), f"part id '{part_id}' is used twice")
    flags = {part.suspicious for part in activity.parts}
    if flags != {True, False}:
        yield src.problem(loc + ("parts",), "mark at least one part suspicious and leave at least one part innocent")
    yield from _artifact(src, loc + ("artifact",), activity.artifact)


def _branching_activity(src: Located, loc: Loc, activity: BranchingActivity) -> Iterator[Problem]:
    yield from _branching(src, loc, activity)
    yield from _artifact(src, loc + ("artifact",), activity.artifact)


def _passphrase_lab(src: Located, loc: Loc, activity: PassphraseLabActivity) -> Iterator[Problem]:
    # The model's field bounds (goal 1-4, at least one tip) are all it needs; nothing spans fields.
    return iter(())


def _rating(src: Located, loc: Loc, activity: RatingActivity) -> Iterator[Problem]:
    for i, item_id in _duplicates([item.id for item in activity.items]):
        yield src.problem(loc + ("items", i, "id"), f"item id '{item_id}' is used twice")
    for i, item in enumerate(activity.items):
        yield from _artifact(src, loc + ("items", i, "artifact"), item.artifact)
    truths = {item.truth for item in activity.items}
    if truths != {True, False}:
        yield src.problem(
            loc + ("items",),
            f"all items have truth: {str(truths.pop()).lower()}; mix true and false items so that "
            "telling them apart is what scores",
        )


# Content's table of activity types: the rules that span an activity's fields, by model class.
# Every class of the model's union has an entry (tests/unit/test_activity_tables.py).
RULES: dict[type[ActivityModel], Callable[[Located, Loc, Any], Iterator[Problem]]] = {
    ChoiceActivity: _choice,
    VerdictActivity: _verdict,
    RedFlagsActivity: _red_flags,
    BranchingActivity: _branching_activity,
    PassphraseLabActivity: _passphrase_lab,
    PrivacySettingsActivity: _privacy_settings,
    LinkInspectorActivity: _link_inspector,
    RatingActivity: _rating,
}


def _activities(src: Located, lesson: Lesson) -> Iterator[Problem]:
    activity_ids: list[str] = []
    for s, step in enumerate(lesson.steps):
        activity = step.activity
        if activity is None:
            continue
        loc: Loc = ("steps", s, "activity")
        if activity.id in activity_ids:
            yield src.problem(loc + ("id",), f"activity id '{activity.id}' is used twice in this lesson")
        activity_ids.append(activity.id)
        yield from RULES[type(activity)](src, loc, activity)


BOOSTER_ITEMS = 5
MIN_SHARE = 0.4  # each form: at least 40% scam/false and 40% legit/true items (issue 6)


def _form_problems(
    src: Located, loc: Loc, name: str, ids: list[str], known: dict[str, Any], scale: str
) -> Iterator[Problem]:
    """One form: its items exist, appear once, and mix both answers (at least 40% each)."""
    for i, item_id in enumerate(ids):
        if item_id not in known:
            yield src.problem(loc + (i,), f"{name} lists item '{item_id}', which is not in 'items'")
    for i, item_id in _duplicates(ids):
        yield src.problem(loc + (i,), f"{name} lists item '{item_id}' twice")
    items = [known[i] for i in dict.fromkeys(ids) if i in known]
    if not items:
        return
    signal, noise = SCALE_ANSWERS[scale][0], SCALE_ANSWERS[scale][1]
    need = math.ceil(MIN_SHARE * len(items) - 1e-9)
    n_signal = sum(1 for item in items if item.answer == signal)
    n_noise = len(items) - n_signal
    if n_signal < need or n_noise < need:
        yield src.problem(
            loc,
            f"{name} has {n_signal} {signal} and {n_noise} {noise} items; with {len(items)} items each answer "
            f"needs at least {need} (40%) so that telling them apart is what scores",
        )


def _balance(items: list[Any], scale: str) -> tuple[int, int]:
    signal = SCALE_ANSWERS[scale][0]
    n_signal = sum(1 for item in items if item.answer == signal)
    return n_signal, len(items) - n_signal


def _mix(items: list[Any]) -> str:
    counts = {level: sum(1 for i in items if i.difficulty == level) for level in ("easy", "medium", "hard")}
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def _assessment(curriculum: Curriculum, module_id: str, assessment: Assessment) -> Iterator[Problem]:
    src = curriculum.sources[f"assessment:{module_id}"]
    if assessment.id != module_id:
        yield src.problem(("id",), f"assessment id '{assessment.id}' must be the module id '{module_id}'")
    allowed = SCALE_ANSWERS[assessment.scale]
    yield from _labels(src, (), assessment.labels, assessment.scale)
    for i, item_id in _duplicates([item.id for item in assessment.items]):
        yield src.problem(("items", i, "id"), f"item id '{item_id}' is used twice")
    yield from _brands(src, assessment)
    # Addresses and links as learners see them, with each region's local colour (as for
    # lessons): a bank's "@{cast:news-web}" or "https://{cast:news-web}.example" names a site.
    colours = _colours_in_use(curriculum)
    for i, item in enumerate(assessment.items):
        if item.answer not in allowed:
            yield src.problem(
                ("items", i, "answer"),
                f"answer '{item.answer}' does not fit scale '{assessment.scale}' ({' or '.join(allowed)})",
            )
        yield from dict.fromkeys(
            problem
            for values in colours
            for problem in _artifact(src, ("items", i, "artifact"), localise(item.artifact, values))
        )
    for entry in texts(assessment):
        for host in _foreign_hosts(entry.text):
            yield src.problem(
                entry.loc, f"'{host}' is a real-looking address; use a reserved example domain (.example, .test)"
            )
    known = {item.id: item for item in assessment.items}
    forms = assessment.forms
    for entry in texts(assessment):
        yield from _phones(src, entry.loc, entry.text)
    yield from _form_problems(src, ("forms", "pre"), "the pre form", forms.pre, known, assessment.scale)
    yield from _form_problems(src, ("forms", "post"), "the post form", forms.post, known, assessment.scale)
    shared = [i for i in dict.fromkeys(forms.post) if i in set(forms.pre)]
    if shared:
        yield src.problem(
            ("forms", "post"),
            f"the post form repeats item(s) of the pre form ({', '.join(shared)}); use different items "
            "of matched difficulty, not the same items twice",
        )
    pre = [known[i] for i in dict.fromkeys(forms.pre) if i in known]
    post = [known[i] for i in dict.fromkeys(forms.post) if i in known]
    if len(forms.pre) != len(forms.post):
        yield src.problem(
            ("forms", "post"),
            f"the post form has {len(forms.post)} items but the pre form {len(forms.pre)}; make them the same size",
        )
    else:
        yield from _matched(src, "", pre, post, assessment.scale)
    for b, booster_id in _duplicates([b.id for b in forms.boosters]):
        yield src.problem(("forms", "boosters", b, "id"), f"booster id '{booster_id}' is used twice")
    for b, booster in enumerate(forms.boosters):
        loc: Loc = ("forms", "boosters", b)
        if booster.id in ("pre", "post"):
            yield src.problem(loc + ("id",), f"a booster cannot be called '{booster.id}'; use e.g. booster-2w")
        if len(booster.items) != BOOSTER_ITEMS:
            yield src.problem(
                loc + ("items",),
                f"booster '{booster.id}' has {len(booster.items)} items; a booster has exactly {BOOSTER_ITEMS}",
            )
        yield from _form_problems(
            src, loc + ("items",), f"booster '{booster.id}'", booster.items, known, assessment.scale
        )
    yield from _age_bands(curriculum, module_id, src, assessment, pre, post)


MIN_BAND_FORM = 4  # a younger class's pre, post or booster form keeps at least this many items


def _matched(src: Located, who: str, pre: list[Any], post: list[Any], scale: str) -> Iterator[Problem]:
    """Pre and post forms of the same size: the same difficulty mix and the same balance."""
    allowed = SCALE_ANSWERS[scale]
    if not (pre and post and len(pre) == len(post)):
        return
    if _mix(pre) != _mix(post):
        yield src.problem(
            ("forms", "post"),
            f"{who}the difficulty mix differs: pre has {_mix(pre)}, post has {_mix(post)}; "
            "match them so gains mean learning",
        )
    if _balance(pre, scale) != _balance(post, scale):
        (ps, pn), (qs, qn) = _balance(pre, scale), _balance(post, scale)
        yield src.problem(
            ("forms", "post"),
            f"{who}pre has {ps} {allowed[0]} and {pn} {allowed[1]} items but post has {qs} and {qn}; "
            "use the same balance",
        )


def _age_bands(
    curriculum: Curriculum, module_id: str, src: Located, assessment: Assessment, pre: list[Any], post: list[Any]
) -> Iterator[Problem]:
    """Every class the module teaches gets forms with no item of an older band, still matched."""
    module = next((m for m in curriculum.modules if m.id == module_id), None)
    taught = sorted(
        {curriculum.lessons[lid].age_band for lid in (module.lessons if module else []) if lid in curriculum.lessons},
        key=band_rank,
    )
    youngest_item = min((i.age_band for i in assessment.items), key=band_rank)
    if taught and band_rank(taught[0]) < band_rank(youngest_item):
        yield src.problem(
            ("items",),
            f"the module teaches ages {taught[0]}, but the bank's youngest items are for ages {youngest_item}; "
            f'give that class items (age_band: "{taught[0]}") for its pre, post and booster forms',
        )
    known = {item.id: item for item in assessment.items}
    for band in younger_bands(assessment):
        fits = {i for i, item in known.items() if band_rank(item.age_band) <= band_rank(band)}
        who = f"for a class of ages {band} (no item of an older band): "
        band_pre = [item for item in pre if item.id in fits]
        band_post = [item for item in post if item.id in fits]
        if len(band_pre) != len(band_post):
            yield src.problem(
                ("forms", "post"),
                f"{who}the post form has {len(band_post)} items but the pre form {len(band_pre)}; "
                "give the items of older bands matched partners on both forms",
            )
        else:
            yield from _matched(src, who, band_pre, band_post, assessment.scale)
        named: list[tuple[Loc, str, list[str]]] = [
            (("forms", "pre"), "the pre form", [i.id for i in band_pre]),
            (("forms", "post"), "the post form", [i.id for i in band_post]),
        ]
        named += [
            (("forms", "boosters", b, "items"), f"booster '{booster.id}'", [i for i in booster.items if i in fits])
            for b, booster in enumerate(assessment.forms.boosters)
        ]
        for loc, name, ids in named:
            if len(ids) < MIN_BAND_FORM:
                yield src.problem(loc, f"{who}{name} keeps {len(ids)} items; it needs at least {MIN_BAND_FORM}")
            else:
                yield from _form_problems(src, loc, f"{who}{name}", ids, known, assessment.scale)


def validate(curriculum: Curriculum) -> list[Problem]:
    problems: list[Problem] = []
    manifest = curriculum.manifest
    msrc = curriculum.sources["manifest"]
    if manifest.source_language not in manifest.languages:
        problems.append(
            msrc.problem(("languages",), f"languages must include the source language '{manifest.source_language}'")
        )
    if manifest.default_region not in curriculum.regions:
        problems.append(
            msrc.problem(
                ("default_region",),
                f"region '{manifest.default_region}' has no file regions/{manifest.default_region}.yaml",
            )
        )
    for lang, region_id in manifest.regions.items():
        if region_id not in curriculum.regions:
            problems.append(
                msrc.problem(("regions", lang), f"region '{region_id}' has no file regions/{region_id}.yaml")
            )
    for i, module_id in _duplicates(manifest.modules):
        problems.append(msrc.problem(("modules", i), f"module '{module_id}' is listed twice"))
    owner: dict[str, str] = {}
    for module in curriculum.modules:
        src = curriculum.sources[f"module:{module.id}"]
        for i, lesson_id in enumerate(module.lessons):
            if lesson_id in owner:
                problems.append(
                    src.problem(("lessons", i), f"lesson '{lesson_id}' already belongs to module '{owner[lesson_id]}'")
                )
            owner.setdefault(lesson_id, module.id)
        if module.family is not None:  # the family guide speaks of tools in general terms, no brands
            for name, lines in module.family:
                for i, line in enumerate(lines):
                    for near in near_brands(line, prose=True):
                        problems.append(src.problem(("family", name, i), near_brand_message(near)))
    for module_id, assessment in curriculum.assessments.items():
        problems.extend(_assessment(curriculum, module_id, assessment))
    problems.extend(_regions(curriculum))
    problems.extend(_source_spelling(curriculum))
    problems.extend(_local_colour(curriculum))
    colours = _colours_in_use(curriculum)
    for lesson in curriculum.lessons.values():
        src = curriculum.sources[f"lesson:{lesson.id}"]
        # Links and addresses are checked as learners see them: with each region's local colour.
        found: dict[Problem, None] = {}  # in order, once each
        for values in colours:
            found.update(dict.fromkeys(_activities(src, localise(lesson, values))))
        found.update(dict.fromkeys(_brands(src, lesson)))
        problems.extend(found)
        for loc, text in _lesson_texts(lesson):
            for host in _foreign_hosts(text):
                problems.append(
                    src.problem(
                        loc, f"'{host}' is a real-looking address; use a reserved example domain (.example, .test)"
                    )
                )
            problems.extend(_phones(src, loc, text))
        if lesson.distress_help:
            for region_id in _regions_in_use(curriculum):
                region = curriculum.regions.get(region_id)
                if region is not None and region.distress is None:
                    problems.append(
                        src.problem(
                            ("distress_help",),
                            f"the lesson shows the help path for distress, but region '{region_id}' has none; "
                            f"add 'distress:' to regions/{region_id}.yaml",
                        )
                    )
        planned = sum(step.minutes for step in lesson.teacher_notes.timing)
        if abs(planned - lesson.duration_min) > 5:
            problems.append(
                src.problem(
                    ("teacher_notes", "timing"),
                    f"the timing steps add up to {planned} min but the lesson lasts {lesson.duration_min} min",
                )
            )
    return problems


# --- region profiles -------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
STALE_MONTHS = 12


def _regions_in_use(curriculum: Curriculum) -> list[str]:
    manifest = curriculum.manifest
    return list(dict.fromkeys([*manifest.regions.values(), manifest.default_region]))


def _colours_in_use(curriculum: Curriculum) -> list[LocalValues | None]:
    """The local colour of each region in use, in the source language, to check content as learners
    see it; ``[None]`` (the content as written) when no region profile is in use."""
    lang = curriculum.manifest.source_language
    in_use = [curriculum.regions[r] for r in _regions_in_use(curriculum) if r in curriculum.regions]
    return [local_values(region, lang) for region in in_use] or [None]


def _regions(curriculum: Curriculum) -> Iterator[Problem]:
    """Every real service in a region profile says when it was last checked, and against what."""
    for region in curriculum.regions.values():
        src = curriculum.sources[f"region:{region.id}"]
        yield from _region_local(src, region)
        for loc, contact in region.contacts():
            what = getattr(contact, "name", "this contact")
            if not contact.verified:
                yield src.problem(
                    loc,
                    f"'{what}' needs 'verified: YYYY-MM', the month someone last checked it against its source",
                )
            elif not _MONTH.match(contact.verified):
                yield src.problem(
                    loc + ("verified",), f"verified '{contact.verified}' must be a month written YYYY-MM, e.g. 2026-12"
                )
            if not contact.source or not contact.source.strip():
                yield src.problem(
                    loc, f"'{what}' needs a 'source': the official page, document or review it was checked against"
                )


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every string of a content model (text, addresses, links), with its data path."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, loc + (i,))
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), loc + (name,))


def _local_colour(curriculum: Curriculum) -> Iterator[Problem]:
    """Placeholders are known and every region in use fills them; no lesson or bank hard-codes a
    region's currency or phone format (netwise.content.local)."""
    regions = list(curriculum.regions.values())
    in_use = [curriculum.regions[r] for r in _regions_in_use(curriculum) if r in curriculum.regions]
    owners: list[tuple[str, Any]] = [(f"lesson:{lid}", lesson) for lid, lesson in curriculum.lessons.items()]
    owners += [(f"assessment:{mid}", a) for mid, a in curriculum.assessments.items()]
    for key, model in owners:
        src = curriculum.sources.get(key)
        if src is None:
            continue
        for loc, text in _strings(model, ()):
            for message in placeholder_problems(text):
                yield src.problem(loc, message)
            first = PLACEHOLDER.search(text)
            for region in in_use if first is not None else []:
                if region.local is None:
                    yield src.problem(
                        loc,
                        f"'{first.group(0) if first else ''}' needs the local colour of region "
                        f"'{region.id}'; add 'local:' to regions/{region.id}.yaml",
                    )
            for found in hard_coded(text, regions):
                yield src.problem(loc, hard_coded_message(found))
            for cast_key in cast_keys(text):
                for region in in_use:
                    if region.local is not None and cast_key not in region.local.cast:
                        yield src.problem(
                            loc,
                            f"'{{cast:{cast_key}}}' is not in the cast of region '{region.id}'; add "
                            f"'{cast_key}: <name>' under local.cast in regions/{region.id}.yaml",
                        )


def _region_local(src: Located, region: Region) -> Iterator[Problem]:
    if region.local is None:
        return
    phone = region.local.phone
    try:
        shown = phone.format(n=31)
    except (KeyError, IndexError, ValueError):
        shown = ""
    if "{n" not in phone or not shown:
        yield src.problem(
            ("local", "phone"),
            f"phone '{phone}' must hold the number as {{n}} or {{n:03}}, e.g. '+84 000 000 {{n:03}}'",
        )
    elif dialable_numbers(shown):
        yield src.problem(("local", "phone"), f"phone '{phone}' makes real-format numbers ('{shown}'); {PHONE_ADVICE}")
    if "{amount}" not in region.local.currency.format:
        yield src.problem(
            ("local", "currency", "format"),
            f"currency format '{region.local.currency.format}' must hold {{amount}}, e.g. '{{amount}} đ'",
        )
    for name, value in region.local.names:
        if name != "city":  # a real city is fine: it is not a brand
            for found in near_brands(str(value)):
                yield src.problem(("local", "names", name), near_brand_message(found))
    for key, value in region.local.cast.items():
        for found in near_brands(value):
            yield src.problem(("local", "cast", key), near_brand_message(found))
    web = region.local.names.bank_web
    if not re.fullmatch(r"[a-z0-9-]+", web):
        yield src.problem(
            ("local", "names", "bank_web"),
            f"bank_web '{web}' is the bank's name in its example domain ({web}.example): a-z, 0-9, '-'",
        )


def _source_spelling(curriculum: Curriculum) -> Iterator[Problem]:
    """The tone-mark convention also holds for the Vietnamese names and words in the YAML sources."""
    conventions: dict[str, str] = dict(curriculum.manifest.tone_marks)
    if not conventions:
        return
    owners: list[tuple[str, Any]] = [("manifest", curriculum.manifest)]
    owners += [(f"region:{r.id}", r) for r in curriculum.regions.values()]
    owners += [(f"module:{m.id}", m) for m in curriculum.modules]
    owners += [(f"lesson:{lid}", lesson) for lid, lesson in curriculum.lessons.items()]
    owners += [(f"assessment:{mid}", a) for mid, a in curriculum.assessments.items()]
    for key, model in owners:
        src = curriculum.sources.get(key)
        if src is None:
            continue
        for entry in texts(model):
            yield from _spelling(src, entry.loc, entry.text, conventions)


def months_between(earlier: str, today: date) -> int | None:
    match = _MONTH.match(earlier)
    if match is None:
        return None
    return (today.year - int(match.group(1))) * 12 + today.month - int(match.group(2))


def warnings(curriculum: Curriculum, today: date | None = None) -> list[Problem]:
    """What ``netwise check`` reports without failing: contacts not checked for over a year,
    a curriculum that does not say under what licence its lessons may be reused."""
    today = today or date.today()
    found: list[Problem] = []
    for region in curriculum.regions.values():
        src = curriculum.sources[f"region:{region.id}"]
        for loc, contact in region.contacts():
            age = months_between(contact.verified or "", today)
            if age is not None and age > STALE_MONTHS:
                what = getattr(contact, "name", "this contact")
                found.append(
                    src.problem(
                        loc + ("verified",),
                        f"'{what}' was last verified {contact.verified}, {age} months ago: check it again "
                        f"against its source ({contact.source}) and update 'verified'",
                    )
                )
    if curriculum.manifest.licence is None and "manifest" in curriculum.sources:
        found.append(
            curriculum.sources["manifest"].problem(
                (), "no 'licence:' block: the pages cannot say under what terms the lessons may be reused"
            )
        )
    return found
