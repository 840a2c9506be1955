"""Grading's tables per activity type: what the learner's feedback and the class report show.

``FEEDBACK`` and ``REPORT`` each have one entry per class of the content model's ``Activity``
union, keyed by the class, so an activity type cannot be half supported: a test checks both
tables against the union, and the pages dispatch through them (``FEEDBACK[type(activity)]``)
instead of comparing type strings. An entry turns one activity of the curriculum (already in
the course language) and first answers from answer records into data for a template
fragment under ``templates/feedback/`` or ``templates/report/``; the pages around the
fragments are feedback.py and report.py.

Correctness comes from ``netwise.scoring`` — the functions the widget and the graded check
call — never from the record, so the feedback, the check and the report cannot disagree.
What the record holds also bounds what a page can show: for the passphrase lab only the
strength reached (0-4), never the text typed, and an entry reads only the fields it knows,
so a stray field in a record never reaches a page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from netwise.build.guide import scale_label
from netwise.content import links
from netwise.content.model import (
    SCALE_ANSWERS,
    ActivityBase,
    Artifact,
    BranchingActivity,
    ChoiceActivity,
    LinkInspectorActivity,
    PassphraseLabActivity,
    PrivacySettingsActivity,
    RatingActivity,
    RedFlagsActivity,
    VerdictActivity,
    VerdictLabels,
)
from netwise.scoring import (
    ACTIVITY_PART,
    RATING_MAX,
    RATING_MIDDLE,
    RATING_MIN,
    branching,
    choice,
    link_item,
    parts,
    passphrase,
    privacy_settings,
    rating_discernment,
    rating_item,
    rating_value,
    red_flags,
    verdict_item,
)

from .html import decimal, short

Answers = dict[str, list[dict[str, Any]]]  # one activity's attempts per part, as in the answer record

VERDICT_WORDS = frozenset(a for pair in SCALE_ANSWERS.values() for a in pair)
RATINGS = list(range(RATING_MIN, RATING_MAX + 1))


@dataclass(frozen=True)
class Context:
    """What every entry needs besides the activity: the course language and its interface strings."""

    ui: dict[str, str]
    lang: str


@dataclass(frozen=True)
class Fragment:
    """A template under ``grading/templates/`` and the data it shows (``view`` inside the template)."""

    template: str
    view: dict[str, Any]


@dataclass(frozen=True)
class Count:
    """One row of an answer distribution: how many students gave one answer."""

    key: str  # the answer as data (an option id, a verdict, a strength 0-4, a domain): for the CSV
    answer: str  # the answer as the teacher reads it, in the course language
    count: int
    right: bool | None  # a right answer, a wrong one, or neither (a rating in the middle, a partly safe ending)
    note: str = ""  # what the answer means, e.g. who can see a post with this privacy option


@dataclass(frozen=True)
class Group:
    """The rows of one item or setting (or of the whole activity: ``id`` empty)."""

    id: str  # the item's or setting's id in the curriculum: for the CSV
    title: str
    rows: list[Count]
    note: str = ""


@dataclass(frozen=True)
class Wrong:
    """One misunderstanding: a wrong first answer, how many students gave it, and the curriculum's why."""

    key: str  # stable within the activity ("option:bank", "setting:posts:public"): the misconception's identity
    label: str
    explanation: str
    count: int


@dataclass(frozen=True)
class ActivityReport:
    """One activity in the class report: its answer distribution and misconceptions, most common first."""

    answered: int  # students whose record holds a first answer to this activity
    groups: list[Group]
    wrong: list[Wrong]
    distribution: Fragment

    @property
    def most_common(self) -> Wrong | None:
        return self.wrong[0] if self.wrong else None


# --- shared helpers ----------------------------------------------------------------------


def first(answers: Answers, part: str) -> Any:
    """The first answer given to one part (the one that counts for marks), or None."""
    attempts = answers.get(part) or []
    return attempts[0].get("value") if attempts and isinstance(attempts[0], dict) else None


def given(answers: list[Answers], part: str = ACTIVITY_PART) -> list[Any]:
    """The first answers to one part, of the students who gave one (a report's "answered by")."""
    return [value for own in answers if (value := first(own, part)) is not None]


def has_answer(activity: Any, answers: Answers) -> bool:
    return any(first(answers, part) is not None for part in parts(activity))


def with_sender(sender: str | None, body: str) -> str:
    """``sender: body``, but the sender once: an SMS often starts with its sender's name already
    ("ShopNhanh: Your order…"), and a page must not say "ShopNhanh: ShopNhanh: …"."""
    if not sender or not body:
        return sender or body
    head = body.split(":", 1)[0].strip().casefold() if ":" in body else ""
    name = sender.strip().casefold()
    if body.casefold().startswith(name) or (head and (name.startswith(head) or head.startswith(name))):
        return body
    return f"{sender}: {body}"


def artifact_text(artifact: Artifact) -> str:
    """What a quoted artifact shows in a page: the sender, then the body or first message."""
    body = artifact.body or (artifact.messages[0].text if artifact.messages else "") or artifact.subject or ""
    return with_sender(artifact.sender, body)


def number(value: float, lang: str) -> str:
    """A mean such as 5.5 in the course language's digits and separator (5,5 in Vietnamese)."""
    return decimal(value, lang, 1)


def verdict_word(ui: dict[str, str], given: Any, labels: VerdictLabels | None = None) -> str:
    """A verdict as the learner saw it (the author's label, else the course language's word);
    anything else a record may hold, as it is."""
    if isinstance(given, str) and labels is not None and (chosen := labels.for_answer(given)):
        return chosen
    return ui[given] if isinstance(given, str) and given in VERDICT_WORDS else str(given)


def _ranked(counts: Counter[str], described: dict[str, tuple[str, str]]) -> list[Wrong]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Wrong(key, described[key][0], described[key][1], n) for key, n in ranked if n > 0]


def _report(answered: int, groups: list[Group], wrong: list[Wrong], **extra: Any) -> ActivityReport:
    template = extra.pop("template", "report/distribution.html.j2")
    view = {"groups": groups, "total": answered, **extra}
    return ActivityReport(answered, groups, wrong, Fragment(template, view))


# --- choice ------------------------------------------------------------------------------


def choice_feedback(activity: ChoiceActivity, answers: Answers, ctx: Context) -> Fragment:
    value = first(answers, ACTIVITY_PART)
    selected = choice(activity, value).details["selected"] if value is not None else []
    chosen = [
        {"text": o.text, "feedback": o.feedback, "right": o.id in activity.correct}
        for o in activity.options
        if o.id in selected
    ]
    missing = [o.text for o in activity.options if o.id in activity.correct and o.id not in selected]
    return Fragment(
        "feedback/choice.html.j2", {"chosen": chosen, "missing": missing, "explanation": activity.explanation}
    )


def choice_report(activity: ChoiceActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    values = given(answers)
    answered = len(values)
    picked = Counter(s for value in values for s in choice(activity, value).details["selected"])
    rows = [Count(o.id, o.text, picked[o.id], o.id in activity.correct) for o in activity.options]
    described = {f"option:{o.id}": (o.text, o.feedback) for o in activity.options if o.id not in activity.correct}
    wrong = Counter({f"option:{o.id}": picked[o.id] for o in activity.options if o.id not in activity.correct})
    return _report(answered, [Group("", "", rows)], _ranked(wrong, described))


# --- verdict -----------------------------------------------------------------------------


def _verdict_item_text(activity: VerdictActivity, number_: int, item: Any, ui: dict[str, str]) -> str:
    """How the class report names an item: its sender (or "Example 2 of 6") and the start of its text."""
    what = item.artifact.sender or ui["item_label"].format(number=number_, total=len(activity.items))
    body = item.artifact.body or (item.artifact.messages[0].text if item.artifact.messages else "")
    return short(with_sender(what, body), 50 + len(what) + 2) if body else what


def verdict_feedback(activity: VerdictActivity, answers: Answers, ctx: Context) -> Fragment:
    ui, total = ctx.ui, len(activity.items)
    items = []
    for n, item in enumerate(activity.items, start=1):
        value = first(answers, item.id)
        given = verdict_item(activity, item.id, value).details["verdict"] if value is not None else None
        items.append(
            {
                "label": ui["item_label"].format(number=n, total=total),
                "text": artifact_text(item.artifact),
                "given": verdict_word(ui, given, activity.labels) if given else None,
                "right": given == item.answer,
                "answer": verdict_word(ui, item.answer, activity.labels),
                "explanation": item.explanation,
                "cues": list(item.cues),
            }
        )
    return Fragment("feedback/verdict.html.j2", {"items": items})


def verdict_report(activity: VerdictActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    groups, wrong, described = [], Counter[str](), {}
    answered = sum(1 for own in answers if has_answer(activity, own))
    for n, item in enumerate(activity.items, start=1):
        text = _verdict_item_text(activity, n, item, ui)
        given: Counter[str] = Counter(
            verdict
            for own in answers
            if (value := first(own, item.id)) is not None
            and isinstance(verdict := verdict_item(activity, item.id, value).details["verdict"], str)
        )
        shown = [*SCALE_ANSWERS[activity.scale], *(g for g in given if g not in SCALE_ANSWERS[activity.scale])]
        word = {g: verdict_word(ui, g, activity.labels) for g in shown}
        groups.append(Group(item.id, text, [Count(g, word[g], given[g], g == item.answer) for g in shown]))
        for g in shown:
            if g != item.answer and given[g]:
                key = f"item:{item.id}:{g}"
                wrong[key] = given[g]
                described[key] = (ui["rp_judged"].format(item=text, answer=word[g]), item.explanation)
    return _report(answered, groups, _ranked(wrong, described))


# --- red flags ---------------------------------------------------------------------------

_FLAG_LABEL = {"hit": "flag_hit", "missed": "flag_missed", "false_alarm": "flag_false_alarm", "ok": "flag_ok"}


def red_flags_feedback(activity: RedFlagsActivity, answers: Answers, ctx: Context) -> Fragment:
    ui = ctx.ui
    value = first(answers, ACTIVITY_PART)
    score = None
    marked: set[str] = set()
    if value is not None:
        details = red_flags(activity, value).details
        score = ui["flags_score"].format(
            hits=details["hits"], total=details["total"], false_alarms=details["false_alarms"]
        )
        marked = set(details["marked"])
    shown: list[dict[str, Any]] = []
    for part in activity.parts:
        if value is None:  # not done: no verdict on each part ("fine, and you left it unmarked" reads as praise)
            shown.append({"text": part.text, "right": None, "status": None, "explanation": part.explanation})
            continue
        if part.id in marked:
            status = "hit" if part.suspicious else "false_alarm"
        else:
            status = "missed" if part.suspicious else "ok"
        shown.append(
            {
                "text": part.text,
                "right": status in ("hit", "ok"),
                "status": ui[_FLAG_LABEL[status]],
                "explanation": part.explanation,
            }
        )
    return Fragment("feedback/red_flags.html.j2", {"score": score, "parts": shown})


def red_flags_report(activity: RedFlagsActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    values = given(answers)
    answered = len(values)
    marked = Counter(p for value in values for p in red_flags(activity, value).details["marked"])
    rows = [Count(p.id, short(p.text), marked[p.id], p.suspicious) for p in activity.parts]
    wrong, described = Counter[str](), {}
    for part in activity.parts:
        if part.suspicious:
            key, label, count = f"missed:{part.id}", ui["rp_missed"], answered - marked[part.id]
        else:
            key, label, count = f"alarm:{part.id}", ui["rp_false_alarm"], marked[part.id]
        wrong[key] = count
        described[key] = (label.format(part=short(part.text)), part.explanation)
    return _report(answered, [Group("", ui["rp_marked"], rows)], _ranked(wrong, described))


# --- branching ---------------------------------------------------------------------------


def branching_feedback(activity: BranchingActivity, answers: Answers, ctx: Context) -> Fragment:
    ui = ctx.ui
    value = first(answers, ACTIVITY_PART)
    details = branching(activity, value).details if value is not None else {"outcome": None, "path": []}
    nodes = {node.id: node for node in activity.nodes}
    path = details["path"]
    # The learner's replies along the way: the choice leading from each node to the next.
    replies = [next(c.text for c in nodes[a].choices if c.goto == b) for a, b in zip(path, path[1:], strict=False)]
    end = nodes[path[-1]] if path else None
    outcome = details["outcome"]
    safe = next((n.feedback for n in activity.nodes if n.outcome == "safe" and n.feedback), None)
    return Fragment(
        "feedback/branching.html.j2",
        {
            "replies": replies,
            "ending": ui["outcome_" + str(outcome or "unsafe")] if end else None,
            "mark": {"safe": "ok", "partly": "partly"}.get(str(outcome), "bad"),
            "end_text": end.text if end else None,
            "end_feedback": end.feedback if end else None,
            "safe_feedback": safe if outcome != "safe" else None,
        },
    )


def branching_report(activity: BranchingActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    values = given(answers)
    answered = len(values)
    paths = [branching(activity, value).details["path"] for value in values]
    reached = Counter(path[-1] for path in paths if path)
    endings = [n for n in activity.nodes if n.outcome is not None or reached[n.id]]
    rows = []
    for n in endings:
        outcome = n.outcome or "unsafe"  # a path that stops short of an ending scores as unsafe
        label = f"{ui['outcome_' + outcome]}: {short(n.text)}"
        rows.append(Count(n.id, label, reached[n.id], {"safe": True, "partly": None}.get(outcome, False)))
    wrong = Counter({f"ending:{n.id}": reached[n.id] for n in endings if n.outcome != "safe"})
    described = {
        f"ending:{n.id}": (ui["rp_ending"].format(text=short(n.text)), n.feedback or "")
        for n in endings
        if n.outcome != "safe"
    }
    return _report(answered, [Group("", ui["rp_endings"], rows)], _ranked(wrong, described))


# --- passphrase lab ----------------------------------------------------------------------


def passphrase_feedback(activity: PassphraseLabActivity, answers: Answers, ctx: Context) -> Fragment:
    ui = ctx.ui
    goal = ui[f"strength_{activity.goal_score}"]
    value = first(answers, ACTIVITY_PART)
    view: dict[str, Any] = {
        "headline": None,
        "reached": False,
        "strength": None,
        "goal": ui["pass_goal"].format(level=goal),
        "tips": list(activity.tips),
        "explanation": activity.explanation,
    }
    if value is not None:
        # Only the estimator's 0-4 score and whether the goal was reached: the text typed is never recorded.
        details = passphrase(activity, value).details
        level = ui[f"strength_{details['score']}"] if details["score"] is not None else None
        if details["reached"]:
            view["headline"] = ui["pass_reached"].format(level=level or goal)
        else:
            view["headline"] = ui["pass_not_reached"].format(level=level or ui["strength_0"], goal=goal)
        view["reached"] = details["reached"]
        view["strength"] = ui["fb_pass_strength"].format(level=level) if level else None
    return Fragment("feedback/passphrase_lab.html.j2", view)


def passphrase_report(activity: PassphraseLabActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    goal = ui[f"strength_{activity.goal_score}"]
    levels: Counter[int | None] = Counter()
    missed_unknown = 0
    for value in given(answers):
        details = passphrase(activity, value).details
        levels[details["score"]] += 1
        if details["score"] is None and not details["reached"]:
            missed_unknown += 1
    answered = sum(levels.values())
    rows = [Count(str(s), ui[f"strength_{s}"], levels[s], s >= activity.goal_score) for s in range(5)]
    if levels[None]:
        rows.append(Count("unknown", ui["rp_strength_unknown"], levels[None], None))
    wrong = Counter({f"below:{s}": levels[s] for s in range(activity.goal_score)})
    described = {
        f"below:{s}": (ui["rp_pass_below"].format(level=ui[f"strength_{s}"], goal=goal), activity.explanation)
        for s in range(activity.goal_score)
    }
    wrong["below:unknown"] = missed_unknown
    described["below:unknown"] = (ui["rp_pass_missed"].format(goal=goal), activity.explanation)
    return _report(answered, [Group("", ui["rp_strengths"], rows)], _ranked(wrong, described))


# --- privacy settings --------------------------------------------------------------------


def privacy_feedback(activity: PrivacySettingsActivity, answers: Answers, ctx: Context) -> Fragment:
    ui = ctx.ui
    value = first(answers, ACTIVITY_PART)
    details = privacy_settings(activity, value).details if value is not None else None
    chosen = details["settings"] if details else {}
    settings = []
    for setting in activity.settings:
        option = next((o for o in setting.options if o.id == chosen.get(setting.id)), None)
        fits = bool(details and details["fits"][setting.id])
        best = ", ".join(o.text for o in setting.options if o.id in setting.best)
        settings.append(
            {
                "chosen": ui["ps_chosen"].format(setting=setting.label, option=option.text if option else "—"),
                "who": ui["ps_who_sees"].format(audience=option.audience) if option else None,
                "fits": fits,
                "verdict": (ui["ps_fits"] if fits else ui["ps_not_fit"]) if option else None,
                "better": None if fits else ui["ps_better"].format(options=best),
                "explanation": setting.explanation,
            }
        )
    return Fragment(
        "feedback/privacy_settings.html.j2",
        {
            "app": ui["ps_title"].format(app=activity.app_name),
            "situation": activity.situation,
            "score": ui["ps_score"].format(right=details["right"], total=details["total"]) if details else None,
            "settings": settings,
        },
    )


def privacy_report(activity: PrivacySettingsActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    values = given(answers)
    answered = len(values)
    chosen = Counter(pair for value in values for pair in privacy_settings(activity, value).details["settings"].items())
    groups, wrong, described = [], Counter[str](), {}
    for setting in activity.settings:
        rows = [
            Count(o.id, o.text, chosen[(setting.id, o.id)], o.id in setting.best, note=o.audience)
            for o in setting.options
        ]
        groups.append(Group(setting.id, setting.label, rows))
        for o in setting.options:
            if o.id not in setting.best:
                key = f"setting:{setting.id}:{o.id}"
                wrong[key] = chosen[(setting.id, o.id)]
                label = ui["rp_setting"].format(setting=setting.label, option=o.text, audience=o.audience)
                described[key] = (label, setting.explanation)
    return _report(answered, groups, _ranked(wrong, described))


# --- link inspector ----------------------------------------------------------------------


def link_feedback(activity: LinkInspectorActivity, answers: Answers, ctx: Context) -> Fragment:
    ui, total = ctx.ui, len(activity.items)
    items = []
    for n, item in enumerate(activity.items, start=1):
        value = first(answers, item.id)
        details = link_item(activity, item.id, value).details if value is not None else None
        link = links.inspect(item.url)
        picked = details["domain"] if details else ""
        genuine = details["genuine"] if details else None
        items.append(
            {
                "label": ui["item_label"].format(number=n, total=total),
                "url": item.url,
                "claims": ui["li_claims"].format(claims=item.claims),
                "answered": details is not None,
                "picked": ui["li_you_picked"].format(domain=links.to_unicode(picked)) if picked else None,
                "domain_ok": bool(details and details["domain_ok"]),
                "said": ui["you_said"].format(answer=ui["li_yes"] if genuine else ui["li_no"])
                if genuine is not None
                else None,
                "genuine_ok": bool(details and details["genuine_ok"]),
                "opens": ui["li_opens"].format(domain=link.domain_shown),
                "lookalike": ui["li_punycode"].format(ascii=link.domain, shown=link.domain_shown)
                if link.lookalike
                else None,
                "belongs": ui["li_belongs" if item.genuine else "li_not_belongs"].format(claims=item.claims),
                "real_site": ui["li_real_site"].format(claims=item.claims, domain=item.real_domain)
                if item.real_domain and not item.genuine
                else None,
                "explanation": item.explanation,
            }
        )
    return Fragment("feedback/link_inspector.html.j2", {"items": items})


def link_report(activity: LinkInspectorActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    groups, wrong, described = [], Counter[str](), {}
    answered = sum(1 for own in answers if has_answer(activity, own))
    for item in activity.items:
        link = links.inspect(item.url)
        domains: Counter[str] = Counter()
        verdicts: Counter[bool] = Counter()
        for own in answers:
            value = first(own, item.id)
            if value is None:
                continue
            details = link_item(activity, item.id, value).details
            if details["domain"]:
                domains[details["domain"]] += 1
            if details["genuine"] is not None:
                verdicts[details["genuine"]] += 1
        others = sorted((d for d in domains if d != link.domain), key=lambda d: (-domains[d], d))
        rows = [
            Count(d, ui["rp_link_picked"].format(domain=links.to_unicode(d)), domains[d], d == link.domain)
            for d in [link.domain, *others]
        ]
        rows += [
            Count("genuine", ui["li_yes"], verdicts[True], item.genuine),
            Count("not-genuine", ui["li_no"], verdicts[False], not item.genuine),
        ]
        groups.append(Group(item.id, item.url, rows, note=ui["li_claims"].format(claims=item.claims)))
        why_domain = f"{ui['li_opens'].format(domain=link.domain_shown)} {item.explanation}"
        for d in others:
            key = f"domain:{item.id}:{d}"
            wrong[key] = domains[d]
            described[key] = (ui["rp_link_domain"].format(url=item.url, domain=links.to_unicode(d)), why_domain)
        said = not item.genuine  # the wrong verdict on this link
        key = f"genuine:{item.id}:{'yes' if said else 'no'}"
        wrong[key] = verdicts[said]
        label = ui["rp_link_trusted" if said else "rp_link_distrusted"].format(url=item.url, claims=item.claims)
        described[key] = (label, item.explanation)
    return _report(answered, groups, _ranked(wrong, described))


# --- reliability rating ------------------------------------------------------------------


def _rating_right(rating: int, truth: bool) -> bool | None:
    """A rating leans the right way (5-7 for a reliable item, 1-3 for a false one), the wrong way, or neither (4)."""
    if rating == RATING_MIDDLE:
        return None
    return (rating > RATING_MIDDLE) == truth


def rating_feedback(activity: RatingActivity, answers: Answers, ctx: Context) -> Fragment:
    ui, total = ctx.ui, len(activity.items)
    ratings = {item.id: rating_value(first(answers, item.id)) for item in activity.items}
    items = []
    for n, item in enumerate(activity.items, start=1):
        result = rating_item(activity, item.id, first(answers, item.id))
        rating = result.details["rating"]
        lean = _rating_right(rating, item.truth) if rating is not None else False
        if rating is None:
            headline = None
        elif rating == RATING_MIDDLE:
            headline = ui["rt_middle"]
        else:
            headline = ui["rt_good"] if result.correct else ui["rt_off"]
        items.append(
            {
                "label": ui["item_label"].format(number=n, total=total),
                "text": artifact_text(item.artifact),
                "rated": ui["rt_you_rated"].format(rating=rating) if rating is not None else None,
                "mark": "partly" if lean is None else "ok" if lean else "bad",
                "headline": headline,
                "truth": ui["rt_is_true" if item.truth else "rt_is_false"],
                "cues": list(item.cues),
                "explanation": item.explanation,
            }
        )
    summary = None
    if any(r is not None for r in ratings.values()):
        d = rating_discernment(activity, ratings)
        summary = {
            "means": ui["rt_summary"].format(
                true_mean=number(d["mean_true"], ctx.lang), false_mean=number(d["mean_false"], ctx.lang)
            ),
            "discernment": ui["rt_discernment"].format(percent=number(round(d["fraction"] * 100), ctx.lang)),
        }
    scale = ui["rt_scale"].format(low=scale_label(activity.low_label), high=scale_label(activity.high_label))
    return Fragment("feedback/rating.html.j2", {"scale": scale, "items": items, "summary": summary})


def rating_report(activity: RatingActivity, answers: list[Answers], ctx: Context) -> ActivityReport:
    ui = ctx.ui
    groups, wrong, described, rows_view = [], Counter[str](), {}, []
    answered = sum(1 for own in answers if has_answer(activity, own))
    means: dict[bool, list[int]] = {True: [], False: []}
    for n, item in enumerate(activity.items, start=1):
        given = [r for own in answers if (r := rating_value(first(own, item.id))) is not None]
        counts = Counter(given)
        text = artifact_text(item.artifact) or ui["item_label"].format(number=n, total=len(activity.items))
        truth = ui["rt_is_true" if item.truth else "rt_is_false"]
        groups.append(
            Group(
                item.id, text, [Count(str(r), str(r), counts[r], _rating_right(r, item.truth)) for r in RATINGS], truth
            )
        )
        means[item.truth] += given
        rows_view.append(
            {
                "text": short(text, 90),
                "full": text,
                "truth": truth,
                "reliable": item.truth,
                "cells": [{"count": counts[r], "right": _rating_right(r, item.truth)} for r in RATINGS],
                "mean": number(sum(given) / len(given), ctx.lang) if given else "",
            }
        )
        side = "low" if item.truth else "high"
        key = f"rated:{item.id}:{side}"
        wrong[key] = sum(1 for r in given if _rating_right(r, item.truth) is False)
        described[key] = (ui[f"rp_rated_{side}"].format(item=short(text)), item.explanation)
    class_means = None
    if means[True] and means[False]:
        class_means = ui["rp_rating_means"].format(
            true_mean=number(sum(means[True]) / len(means[True]), ctx.lang),
            false_mean=number(sum(means[False]) / len(means[False]), ctx.lang),
        )
    return _report(
        answered,
        groups,
        _ranked(wrong, described),
        template="report/rating.html.j2",
        scale=ui["rt_scale"].format(low=scale_label(activity.low_label), high=scale_label(activity.high_label)),
        values=RATINGS,
        items=rows_view,
        means=class_means,
    )


def class_rows(activity: Any, records: list[dict[str, Any]], ctx: Context) -> ActivityReport:
    """One activity's report rows over a class: ``records`` holds each student's answer blocks
    (an answer record's ``answers``). The class report and the live dashboard of a class session
    (netwise/app/progress.py) both call this, so they show the same numbers."""
    answers: list[Answers] = [own.get(activity.id) or {} for own in records]
    return REPORT[type(activity)](activity, answers, ctx)


# --- the tables --------------------------------------------------------------------------

FEEDBACK: dict[type[ActivityBase], Callable[[Any, Answers, Context], Fragment]] = {
    ChoiceActivity: choice_feedback,
    VerdictActivity: verdict_feedback,
    RedFlagsActivity: red_flags_feedback,
    BranchingActivity: branching_feedback,
    PassphraseLabActivity: passphrase_feedback,
    PrivacySettingsActivity: privacy_feedback,
    LinkInspectorActivity: link_feedback,
    RatingActivity: rating_feedback,
}

REPORT: dict[type[ActivityBase], Callable[[Any, list[Answers], Context], ActivityReport]] = {
    ChoiceActivity: choice_report,
    VerdictActivity: verdict_report,
    RedFlagsActivity: red_flags_report,
    BranchingActivity: branching_report,
    PassphraseLabActivity: passphrase_report,
    PrivacySettingsActivity: privacy_report,
    LinkInspectorActivity: link_report,
    RatingActivity: rating_report,
}
