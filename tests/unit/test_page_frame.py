"""NetWise's own server pages share one frame (``page.html.j2`` beside ``message.html``): the class's join,
wait and home pages and the lesson app's message page each fill only its blocks, so the head, skip link,
header, ``<main>`` and footer are the same on every page and a fix to the frame reaches them all.

Each page is rendered by the environment its handler uses (``class_env`` with StrictUndefined for the
class pages, ``page_env`` for the message page) with the catalog's real strings, and must match the
frame exactly, its own parts (a refresh line, its styles, a script) in their places and nowhere else.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from netwise.app.class_handlers import render_template
from netwise.app.config import TEMPLATE_DIR
from netwise.app.pages import page_env
from support.classes import ui

FRAME = re.compile(
    r'<!DOCTYPE html>\n<html lang="(?P<lang>[a-z]+)">\n<head>\n<meta charset="utf-8">\n'
    r'<meta name="viewport" content="width=device-width, initial-scale=1">\n(?P<head>(?:<meta [^>]*>\n)*)'
    r'<title>(?P<title>[^<]*)</title>\n<link rel="icon" href="data:,">\n<style>(?P<style>.*?)</style>\n</head>\n'
    r'<body>\n<a class="skip" href="#content">(?P<skip>[^<]*)</a>\n<header class="site-header">.*?</header>\n'
    r'<main id="content" tabindex="-1">\n(?P<main>.*?)\n</main>\n<footer class="site-footer">.*?</footer>\n'
    r"(?P<scripts>(?:<script>.*?</script>\n)?)</body>\n</html>",
    re.S,
)
XSRF = '<input type="hidden" name="_xsrf" value="token">'


def rendered(page: str, s: dict[str, str]) -> str:
    """The page as its handler renders it (netwise/app/class_handlers.py, netwise/app/pages.py)."""
    common = {"lang": "vi", "s": s, "course": "lop7", "title": "Tiêu đề <1>", "xsrf": XSRF}
    if page == "join.html":
        students = [{"id": "dang.duc", "name": "Đặng Đức", "search": "dang duc dang.duc"}]
        return render_template(page, **common, students=students, pictures=[], message="", chosen="")
    if page == "class_wait.html":
        return render_template(page, **common, text=s["class_wait_text"], refresh=5)
    if page == "class_home.html":
        lesson = SimpleNamespace(kind="lesson", url="/class/lesson/basics-one", page_id="basics-one", title="Bài 1")
        pages = [{"page": lesson, "state": s["class_not_started"], "done": 0, "total": 4}]
        return render_template(page, **common, hello="Chào Đức", pages=pages, feedback=[])
    languages = [{"url": "/?lang=vi", "code": "vi", "name": "Tiếng Việt", "current": True}]
    return page_env().get_template(page).render(**common, text=s["not_found_text"], retry="/again", languages=languages)


@pytest.mark.parametrize("page", ["join.html", "class_wait.html", "class_home.html", "message.html"])
def test_every_server_page_fills_the_one_frame(page: str) -> None:
    s = ui("vi")
    html = rendered(page, s)
    frame = FRAME.fullmatch(html)
    assert frame, f"{page} does not render the shared frame:\n{html}"
    assert frame["lang"] == "vi"
    assert frame["title"] == f"Tiêu đề &lt;1&gt; · {s['app_name']}"  # autoescaped, as every value
    app_css = (TEMPLATE_DIR / "app.css").read_text(encoding="utf-8")
    assert frame["style"].startswith(app_css.rstrip("\n")), "app.css first, the page's own rules after it"
    assert frame["skip"] == (s["skip_to_lessons"] if page == "class_home.html" else s["skip_to_main"])
    assert html.count("<main") == html.count("<footer") == html.count("<header") == 1, page
    # Each page's own parts stay in their blocks.
    assert frame["head"] == ('<meta http-equiv="refresh" content="5">\n' if page == "class_wait.html" else "")
    assert bool(frame["scripts"]) == (page == "join.html"), "only the join page has a script (name search)"
    own_rules = {"join.html": ".join {", "class_home.html": ".leave {"}
    for other, rule in own_rules.items():
        assert (rule in frame["style"]) == (other == page), (page, rule)
    assert "\n\n" not in html.replace(frame["style"], ""), "an empty block left a blank line"
