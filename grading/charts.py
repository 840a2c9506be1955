"""Every chart of NetWise's pages, as inline SVG: no script, no image file, nothing to fetch.

The pages must work offline and print, so charts are plain SVG in the HTML. Python here
does the geometry (where each bar goes, what each label says); the markup is in
``templates/charts/``, escaped like the pages. Each chart carries a ``<title>`` per bar so a
screen reader or a hover gives the number, and the figures' ids (``chart-distribution``,
``chart-activities``, ``chart-gains``) are what the browser tests look for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .html import decimal, fragment, short

BINS = 10  # score distribution: 0-10 %, 10-20 %, ... 90-100 %
OK, PARTLY, BAD = "#1b7a3d", "#9a6700", "#b42318"
FORM_COLORS = {"pre": "#8c959f", "post": "#2f6fdd", "booster": "#1b7a3d"}


def _f(value: float) -> str:
    return f"{value:.1f}"


def histogram(percents: Sequence[float], ui: dict[str, str]) -> Markup:
    """How many students scored 0-10 %, 10-20 %, ... (one bar per tenth)."""
    counts = [0] * BINS
    for p in percents:
        counts[min(BINS - 1, int(p // (100 / BINS)))] += 1
    top = max([*counts, 1])
    width, height, left, bottom = 560, 240, 40, 40
    bar = (width - left - 10) / BINS
    base = height - bottom
    bars = []
    for i, count in enumerate(counts):
        h = (base - 20) * count / top
        x = left + i * bar
        bars.append(
            {
                "x": _f(x + 3),
                "y": _f(base - h),
                "width": _f(bar - 6),
                "height": _f(h),
                "tip": f"{i * 10}–{(i + 1) * 10}%: {count}",
                "count": count,
                "cx": _f(x + bar / 2),
                "label_y": _f(base - h - 4),
                "tick": i * 10,
            }
        )
    return fragment(
        "charts/histogram.svg.j2",
        ui=ui,
        width=width,
        height=height,
        left=left,
        base=base,
        bars=bars,
        axis_x=(width + left) / 2,
        axis_y=base / 2,
    )


def activities(
    groups: Sequence[tuple[str, Sequence[tuple[str, float]]]], ui: dict[str, str], lang: str = "en"
) -> Markup:
    """Percent correct per activity, as horizontal bars grouped by lesson: ``groups`` are
    (lesson title, [(activity title, percent), …]); each group starts with its lesson's title."""
    row_h, head_h, label_w, width = 28, 30, 260, 600
    span = width - label_w - 60
    heads, bars = [], []
    y = 5
    for lesson, rows in groups:
        heads.append({"label": short(lesson, 80), "title": lesson, "text_y": y + 20})
        y += head_h
        for title, percent in rows:
            bars.append(
                {
                    "title": title,
                    "label": short(title, 38),
                    "percent": decimal(percent, lang, 1),
                    "y": y,
                    "text_y": y + 18,
                    "bar_y": y + 4,
                    "width": _f(span * percent / 100),
                    "color": OK if percent >= 70 else PARTLY if percent >= 40 else BAD,
                }
            )
            y += row_h
    return fragment(
        "charts/activities.svg.j2",
        ui=ui,
        width=width,
        height=y + 5,
        label_w=label_w,
        span=span,
        bar_h=row_h - 10,
        heads=heads,
        bars=bars,
    )


@dataclass(frozen=True)
class GainBar:
    """One form's class result in the learning chart (numbers already formatted, "" if not measured)."""

    form_id: str
    kind: str  # pre, post or booster: the bar's colour
    label: str
    accuracy: float | None  # 0-1
    accuracy_text: str  # "66.7"
    d_prime_text: str  # "0.45"
    gain_text: str | None  # "+25.0" over the pre form, None for the pre form or when not measured


def gains(forms: Sequence[GainBar], ui: dict[str, str]) -> Markup:
    """Class mean accuracy per form as bars, with d′ and the gain over the pre form written on them."""
    width, height, left, bottom, top = 560, 260, 50, 50, 20
    slot = (width - left - 10) / max(len(forms), 1)
    span = height - bottom - top
    base = height - bottom
    ticks = [{"y": _f(base - span * tick / 100 + 4), "label": f"{tick}%"} for tick in (0, 50, 100)]
    bars = []
    for i, f in enumerate(forms):
        value = 0.0 if f.accuracy is None else 100 * f.accuracy
        bar_h = span * value / 100
        x = left + i * slot
        above = f"{f.accuracy_text}%" if f.accuracy is not None else "—"
        if f.gain_text is not None:
            above += f" ({f.gain_text})"
        bars.append(
            {
                "form": f.form_id,
                "accuracy": f.accuracy_text,
                "dprime": f.d_prime_text,
                "x": _f(x + 12),
                "y": _f(base - bar_h),
                "width": _f(slot - 24),
                "height": _f(bar_h),
                "color": FORM_COLORS[f.kind],
                "tip": f"{f.label}: {ui['rp_accuracy']} {f.accuracy_text}%, d′ {f.d_prime_text}",
                "above": above,
                "cx": _f(x + slot / 2),
                "above_y": _f(base - bar_h - 6),
                "label": f.label,
                "dprime_label": f"d′ {f.d_prime_text or '—'}",
            }
        )
    return fragment(
        "charts/gains.svg.j2", ui=ui, width=width, height=height, left=left, base=base, ticks=ticks, bars=bars
    )


def share(count: int, total: int) -> Markup:
    """A small bar for one row of an answer distribution: ``count`` of ``total`` students."""
    width = 100 * count / total if total else 0.0
    return fragment("charts/share.svg.j2", width=_f(width), tip=f"{count}/{total}")
