"""The static site's own interface strings, in every language the site is exported in.

The lesson and activity strings come from the curriculum's catalogs as on the served page;
these few are only the static site's (the self-study notice, the clear control, offline).
A child's page never mixes in English silently, so :func:`site_strings` refuses a language
it has no strings for instead of falling back.
"""

from __future__ import annotations

from netwise.errors import NetwiseError

SITE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "self_study_title": "For self-study",
        "self_study": (
            "These pages are for learning on your own. The answers are inside the pages, and nothing is "
            "graded or sent anywhere: your answers stay in this browser."
        ),
        "for_teachers": (
            "Teachers: for a graded class, use NetWise class sessions or nbgrader, which keep the answer "
            "keys on the teacher's computer."
        ),
        "clear_answers": "Clear my answers",
        "cleared": "Your answers on this page are cleared.",
        "saved_here": "Your answers are kept only in this browser, on this device.",
    },
    "vi": {
        "self_study_title": "Để tự học",
        "self_study": (
            "Các trang này dùng để tự học. Đáp án nằm ngay trong trang, không có gì được chấm điểm hay gửi "
            "đi đâu: câu trả lời của em chỉ lưu trong trình duyệt này."
        ),
        "for_teachers": (
            "Thầy cô: với lớp học có chấm điểm, hãy dùng buổi học của NetWise hoặc nbgrader, để đáp án "
            "chỉ nằm trên máy của thầy cô."
        ),
        "clear_answers": "Xoá câu trả lời của em",
        "cleared": "Câu trả lời của em trên trang này đã được xoá.",
        "saved_here": "Câu trả lời của em chỉ được lưu trong trình duyệt này, trên thiết bị này.",
    },
}


def site_strings(lang: str) -> dict[str, str]:
    """The static site's strings in ``lang``; an error naming the languages it has."""
    if lang not in SITE_TEXT:
        raise NetwiseError(
            f"the static site has no interface strings in '{lang}' (it has: {', '.join(SITE_TEXT)}); "
            "add them to netwise/site/text.py"
        )
    return SITE_TEXT[lang]
