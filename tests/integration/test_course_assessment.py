"""The classroom cycle with a module's pre and post checks, on real nbgrader and real kernels:
init adds the check assignments -> three students answer through the widget -> collect ->
grade (score = items right) -> the learning report: gain chart, per-student d′, item analysis, CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from netwise.grading.course import environment
from support.coursework import hand_in, roster_csv
from support.paths import FIXTURES, run_netwise

pytestmark = pytest.mark.slow

ROSTER = [("an.nguyen", "An", "Nguyễn Văn", ""), ("binh.tran", "Bình", "Trần Thị", ""), ("cuong.le", "Cường", "Lê", "")]
# Keys: pre p-otp scam, p-prize scam, p-mum legit, p-notice legit; post q-code, q-job scam, q-teacher, q-login legit.
ANSWERS = {
    "pre": {
        "an.nguyen": {"p-otp": "scam", "p-prize": "legit", "p-mum": "scam", "p-notice": "legit"},  # 2 of 4
        "binh.tran": {"p-otp": "scam", "p-prize": "scam", "p-mum": "scam", "p-notice": "scam"},  # all "scam"
        "cuong.le": {"p-otp": "scam", "p-prize": "scam", "p-mum": "legit", "p-notice": "legit"},  # 4 of 4
    },
    "post": {
        "an.nguyen": {"q-code": "scam", "q-job": "scam", "q-teacher": "legit", "q-login": "legit"},  # 4 of 4
        "binh.tran": {"q-code": "scam", "q-job": "scam", "q-teacher": "scam", "q-login": "legit"},  # 3 of 4
        "cuong.le": {"q-code": "scam", "q-job": "scam", "q-teacher": "legit", "q-login": "legit"},  # 4 of 4
    },
}
NOTEBOOK = {"pre": "00-check-before.ipynb", "post": "90-check-after.ipynb"}


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result.stdout


def do_check(release_zip: Path, work: Path, form: str, answers: dict[str, str], curriculum: Path) -> Path:
    """Unzip the released check, answer it in a real kernel through the widget, save."""
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(work)
    folder = next(p.parent for p in work.rglob(NOTEBOOK[form]))
    path = folder / NOTEBOOK[form]
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(new_code_cell("\n".join(f'check.judge("{i}", "{v}")' for i, v in answers.items())))
    with environment({"NETWISE_CURRICULUM": str(curriculum), "NETWISE_ANSWERS": None}):
        NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(folder)}}).execute()
    notebook.cells.pop()
    nbformat.write(notebook, path)
    return folder


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r.get("student_id") or f"{r['form']}:{r['item']}": r for r in csv.DictReader(handle)}


def test_pre_post_cycle_and_learning_report(tmp_path: Path) -> None:
    curriculum = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "assess", curriculum)
    course = tmp_path / "course"
    out = ok(run_netwise("course", "init", str(course), "--name", "lop-7a", "--lang", "en", "--modules", "basics",
                         "--students", str(roster_csv(tmp_path / "r.csv", ROSTER)), "--curriculum", str(curriculum)))  # fmt: skip
    for name in ("basics-pre", "basics", "basics-post", "basics-booster-2w"):
        assert any(line.split()[:1] == [name] for line in out.splitlines())  # init's release rhythm lists it
    released = (course / "release" / "basics-pre" / "00-check-before.ipynb").read_text(encoding="utf-8")
    assert "check-pre" in released and "BEGIN HIDDEN TESTS" not in released
    assert (course / "release" / "basics-booster-2w" / "91-booster-2w.ipynb").is_file()

    zips = tmp_path / "zips"
    for form in ("pre", "post"):
        assignment = f"basics-{form}"
        ok(run_netwise("course", "release", str(course), assignment, "--to", str(tmp_path / "usb")))
        (zips / form).mkdir(parents=True)
        handed = []
        for sid, *_ in ROSTER:
            folder = do_check(tmp_path / "usb" / f"{assignment}.zip", tmp_path / "work" / form / sid, form,
                              ANSWERS[form][sid], curriculum)  # fmt: skip
            assert (folder / f"basics-{form}.answers.json").is_file()
            handed.append(str(hand_in(folder, sid, zips / form)))
        ok(run_netwise("course", "collect", str(course), assignment, *handed))
        graded = ok(run_netwise("course", "grade", str(course), assignment))
        # score = items judged right, out of 4
        expected = {
            "pre": {"an.nguyen": 2, "binh.tran": 2, "cuong.le": 4},
            "post": {"an.nguyen": 4, "binh.tran": 3, "cuong.le": 4},
        }
        lines = {line.split()[0]: line for line in graded.splitlines() if line.split()}
        for sid, score in expected[form].items():
            assert f"{score}/4" in lines[sid], graded

    out = ok(run_netwise("course", "report", str(course), "basics-post"))
    assert "learning report:" in out
    html = (course / "reports" / "basics-learning.html").read_text(encoding="utf-8")
    # Class accuracy: pre (2+2+4)/12 -> mean of 0.5, 0.5, 1 = 66.7%; post (1 + 0.75 + 1)/3 = 91.7%; gain +25.0
    assert 'id="chart-gains"' in html
    assert 'data-form="pre" data-accuracy="66.7"' in html
    assert 'data-form="post" data-accuracy="91.7"' in html
    assert "91.7% (+25.0)" in html
    # d′ (N = 2 per class, so 1 -> 0.75 and 0 -> 0.25): an pre H=.5 F=.5 -> 0; post H=.75 F=.25 -> 1.35
    # binh pre all scam -> 0; post H=.75 F=.5 -> 0.67; cuong 1.35 and 1.35.
    # Class d′ pre (0 + 0 + 1.349)/3 = 0.45, post (1.349 + 0.674 + 1.349)/3 = 1.12
    assert 'data-dprime="0.45"' in html and 'data-dprime="1.12"' in html
    # one bar per check of the course; the booster is not given yet: an empty bar
    assert html.count('class="bar"') == 3 and 'data-form="booster-2w" data-accuracy=""' in html
    assert "nearly everyone right" in html  # p-otp: everyone right

    students = rows(course / "reports" / "basics-learning.students.csv")
    assert students["an.nguyen"]["pre_accuracy"] == "0.5000" and students["an.nguyen"]["post_accuracy"] == "1.0000"
    assert students["an.nguyen"]["pre_d_prime"] == "0.0000" and students["an.nguyen"]["post_d_prime"] == "1.3490"
    assert (
        students["binh.tran"]["pre_hit_rate"] == "1.0000" and students["binh.tran"]["pre_false_alarm_rate"] == "1.0000"
    )
    assert students["binh.tran"]["post_d_prime"] == "0.6745" and students["binh.tran"]["gain_post_accuracy"] == "0.2500"
    assert students["cuong.le"]["gain_post_d_prime"] == "0.0000"
    assert students["class-mean"]["pre_accuracy"] == "0.6667" and students["class-mean"]["post_accuracy"] == "0.9167"
    assert (
        students["class-mean"]["gain_post_accuracy"] == "0.2500"
        and students["class-mean"]["gain_post_d_prime"] == "0.6745"
    )
    assert students["an.nguyen"]["booster-2w_accuracy"] == ""  # not taken: not measured

    items = rows(course / "reports" / "basics-learning.items.csv")
    # pre: p-otp right for 3/3 (too easy); p-prize 2/3; p-mum 1/3; p-notice 2/3
    assert [items[f"pre:{i}"]["difficulty"] for i in ("p-otp", "p-prize", "p-mum", "p-notice")] == [
        "1.0000", "0.6667", "0.3333", "0.6667"
    ]  # fmt: skip
    assert items["pre:p-otp"]["flag"] == "too_easy" and items["pre:p-otp"]["discrimination"] == ""
    # p-mum: x = [0, 0, 1]; rest scores (an 2-0, binh 2-0, cuong 4-1) = [2, 2, 3] -> r = 1
    assert items["pre:p-mum"]["discrimination"] == "1.0000"
