"""`netwise guide`: the printable teacher guide, its content, its errors, and how it prints in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support.docexamples import doc_curriculum, own_ui_catalog
from support.paths import FIXTURES, run_netwise
from support.servers import chromium


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The bundled curriculum's guide in both languages, built once for this file."""
    out = tmp_path_factory.mktemp("guides")
    texts = {}
    for lang in ("en", "vi"):
        result = run_netwise("guide", "--lang", lang, "--out", str(out / f"guide-{lang}.html"))
        assert result.returncode == 0, result.stderr
        assert f"guide-{lang}.html" in result.stdout
        texts[lang] = (out / f"guide-{lang}.html").read_text(encoding="utf-8")
    texts["vi_path"] = str(out / "guide-vi.html")
    return texts


def test_english_guide_content(guides: dict[str, str]) -> None:
    html = guides["en"]
    assert '<html lang="en">' in html and "Teacher guide" in html
    assert "Scams and phishing" in html and "When a friend or relative is not who they seem" in html
    # Answer key: the correct option with its feedback, and a branching ending with the safe path.
    assert "Exactly. A code sent to your phone is a key to your account. It is only for you." in html
    assert "Right answer" in html and "Safe path" in html and "Safe ending" in html
    # Timing as a schedule, discussion, competences with names, the region's help.
    assert "0–5 min" in html and "Discussion prompts" in html
    assert "Protecting personal data and privacy" in html and "Safety" in html
    assert "Child Helpline International" in html or "child helpline" in html.lower()
    # One self-contained file: no scripts, no outside references, a CSP that forbids requests.
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html
    assert not re.search(r"""(?:src|href)=["'](?!#)""", html)


def test_vietnamese_guide_content(guides: dict[str, str]) -> None:
    html = guides["vi"]
    assert '<html lang="vi">' in html and "Hướng dẫn cho giáo viên" in html and "Mục lục" in html
    assert "Khi bạn bè hay người thân không phải là họ" in html  # a lesson title
    assert "Đáp án" in html and "Đáp án đúng" in html and "Cách đi an toàn" in html
    assert "Bảo vệ dữ liệu cá nhân và quyền riêng tư" in html and "An toàn" in html
    assert ">111<" in html  # the national child protection hotline from the vn region profile
    assert "113" in html and "5656" in html
    # No English interface words leaking into the Vietnamese guide.
    for english in ("Answer key", "Teacher guide", "Discussion prompts", "Help lines", "Safe path"):
        assert english not in html


def test_modules_filter(tmp_path: Path) -> None:
    out = tmp_path / "scams.html"
    result = run_netwise("guide", "--lang", "vi", "--modules", "scams", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'id="module-scams"' in html
    assert len(re.findall(r'<section class="module"', html)) == 1
    assert "1 modules" in result.stdout


def test_every_activity_type_in_the_answer_key(tmp_path: Path) -> None:
    """The doc's reference examples cover all eight types; each has its answer key entry."""
    root, _ = doc_curriculum(tmp_path / "curriculum")
    out = tmp_path / "guide.html"
    result = run_netwise(
        "guide", "--curriculum", str(root), "--lang", "en", "--modules", "reference,gaming", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for type_label in (
        "Multiple choice", "Judge each example", "Spot the red flags", "Conversation with choices",
        "Passphrase lab", "Privacy settings", "Link inspector", "Reliability rating",
    ):  # fmt: skip
        assert type_label in html
    assert "This one is: Scam" in html and "This one is: Legit" in html  # verdict answers
    assert "Not suspicious" in html and "Suspicious" in html  # red flags
    assert "Goal: reach strength 3 of 4" in html and "Avoid names, birthdays and song lyrics." in html
    assert "Best choice" in html and "Only people you accepted as friends can see your posts." in html
    assert "Not genuine" in html and "Real site: songxanh.example" in html
    assert "Reliable: should be rated high" in html and "Unreliable: should be rated low" in html
    assert "Scale: 1 = Not reliable at all, 7 = Very reliable" in html
    # Branching: each ending, how it is reached, and the safe path.
    assert "No thanks, I only chat in the game." in html and "Partly safe ending" in html
    # Text steps are summarised (heading and first block), their Markdown rendered as HTML.
    assert "Read a link from the end" in html and "<strong>blockquest.example</strong>" in html
    assert "Check before you log in" not in html


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    stderr = result.stderr.strip()
    assert result.returncode == 1, stderr
    assert stderr.count("\n") == 0 and "Traceback" not in stderr
    return stderr


def test_errors_are_one_line(tmp_path: Path) -> None:
    mini = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", mini)
    out = str(tmp_path / "g.html")
    assert "'nope'" in _one_line_error(
        run_netwise("guide", "--curriculum", str(mini), "--modules", "nope", "--out", out)
    )
    assert "'xx'" in _one_line_error(run_netwise("guide", "--curriculum", str(mini), "--lang", "xx", "--out", out))
    # A language a translator has only started is refused, not printed half in English.
    (mini / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    assert "'fr'" in _one_line_error(run_netwise("guide", "--curriculum", str(mini), "--lang", "fr", "--out", out))
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    bad_out = str(blocker / "guide.html")
    assert "cannot write" in _one_line_error(run_netwise("guide", "--curriculum", str(mini), "--out", bad_out))
    assert "folder" in _one_line_error(run_netwise("guide", "--curriculum", str(mini), "--out", str(tmp_path)))
    assert not Path(out).exists()
    # The mini curriculum itself builds in Vietnamese with its own catalogs.
    own_ui_catalog(mini)
    assert run_netwise("guide", "--curriculum", str(mini), "--lang", "vi", "--out", out).returncode == 0


@pytest.mark.browser
def test_vietnamese_guide_in_chromium_offline_and_paged(
    guides: dict[str, str], tmp_path: Path, artifacts: Path
) -> None:
    requests: list[str] = []
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(Path(guides["vi_path"]).as_uri())
        page.wait_for_load_state("load")
        assert page.title().startswith("Hướng dẫn cho giáo viên")
        assert page.locator("h1").inner_text() == "Hướng dẫn cho giáo viên"
        page.screenshot(path=str(artifacts / "guide-vi.png"))
        page.eval_on_selector("article.lesson", "e => e.scrollIntoView()")  # the first lesson at the top
        page.screenshot(path=str(artifacts / "guide-vi-lesson.png"))

        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(
            "article.lesson, section.module", "els => els.map(e => getComputedStyle(e).breakBefore)"
        )
        lessons = page.locator("article.lesson").count()
        assert lessons >= 4 and breaks and set(breaks) == {"page"}
        assert page.eval_on_selector(".screen-only", "e => getComputedStyle(e).display") == "none"
        pdf = page.pdf(format="A4", print_background=True)
        (artifacts / "guide-vi.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert pages >= lessons + page.locator("section.module").count() + 2  # cover, contents, a page each
    outside = [url for url in requests if not url.startswith(("file:", "data:", "about:"))]
    assert requests and not outside, outside
