"""The answer record: atomic, merged under a lock, corrupt files set aside, never lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netwise.scoring.record import AnswerRecord, CorruptRecord, read, record_name


def test_answers_are_written_as_given(tmp_path: Path) -> None:
    record = AnswerRecord.open("l1", "vi", tmp_path)
    record.add("quiz", "_", {"selected": ["b"]})
    record.add("judge", "otp", {"verdict": "scam"})
    data = json.loads((tmp_path / record_name("l1")).read_text(encoding="utf-8"))
    assert data["kind"] == "netwise-answers" and data["schema"] == 1
    assert data["lesson"] == "l1" and data["lang"] == "vi"
    assert [a["value"] for a in data["answers"]["quiz"]["_"]] == [{"selected": ["b"]}]
    assert data["answers"]["judge"]["otp"][0]["value"] == {"verdict": "scam"}
    assert data["answers"]["judge"]["otp"][0]["at"].endswith("Z")
    # Choices and times only: nothing says whether an answer was right.
    assert "correct" not in json.dumps(data) and "score" not in json.dumps(data)


def test_reopen_restores(tmp_path: Path) -> None:
    AnswerRecord.open("l1", "en", tmp_path).add("quiz", "_", {"selected": ["a"]})
    again = AnswerRecord.open("l1", "en", tmp_path)
    assert again.attempts("quiz")[0]["value"] == {"selected": ["a"]}
    assert again.set_aside is None


@pytest.mark.parametrize(
    "content",
    [
        '{"kind": "netwise-answers", "schema": 1, "answ',
        "not json at all",
        '{"kind": "something-else"}',
        '{"kind": "netwise-answers", "schema": 1, "lesson": "other", "answers": {}}',
    ],
)
def test_corrupt_record_is_set_aside(tmp_path: Path, content: str) -> None:
    path = tmp_path / record_name("l1")
    path.write_text(content, encoding="utf-8")
    record = AnswerRecord.open("l1", "en", tmp_path)
    assert record.set_aside is not None and record.set_aside.exists()
    assert record.set_aside.read_text(encoding="utf-8") == content  # kept byte for byte
    assert record.reason
    assert read(path, "l1")["answers"] == {}  # a fresh, valid record
    record.add("quiz", "_", {"selected": ["a"]})
    assert read(path, "l1")["answers"]["quiz"]["_"][0]["value"] == {"selected": ["a"]}


def test_two_writers_lose_nothing(tmp_path: Path) -> None:
    """Two kernels (processes) writing the same record at once keep every answer."""
    script = (
        "import sys; from pathlib import Path; from netwise.scoring.record import AnswerRecord\n"
        "r = AnswerRecord.open('l1', 'en', Path(sys.argv[1]))\n"
        "for i in range(40): r.add(sys.argv[2], '_', {'selected': [str(i)]})\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), name]) for name in ("a", "b")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    data = read(tmp_path / record_name("l1"), "l1")
    for name in ("a", "b"):
        assert [a["value"]["selected"][0] for a in data["answers"][name]["_"]] == [str(i) for i in range(40)]


def test_writer_killed_mid_write_leaves_previous_record(tmp_path: Path) -> None:
    AnswerRecord.open("l1", "en", tmp_path).add("quiz", "_", {"selected": ["first"]})
    before = (tmp_path / record_name("l1")).read_bytes()
    marker = tmp_path / "writing"
    # The child stalls after its new data is in the temporary file but before the
    # rename, and is killed there: the moment a crash would hurt an in-place write.
    script = (
        "import os, sys, time; from pathlib import Path; import netwise.scoring.record as rec\n"
        "def stall(fd):\n"
        "    Path(sys.argv[2]).write_text('x'); time.sleep(120)\n"
        "rec.os.fsync = stall\n"
        "r = rec.AnswerRecord.open('l1', 'en', Path(sys.argv[1]))\n"
        "r.add('quiz', '_', {'selected': ['second' * 20000]})\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path), str(marker)])
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert (tmp_path / record_name("l1")).read_bytes() == before
    record = AnswerRecord.open("l1", "en", tmp_path)
    assert record.set_aside is None
    assert [a["value"] for a in record.attempts("quiz")] == [{"selected": ["first"]}]


def test_parse_rejects_damaged_answers_block() -> None:
    with pytest.raises(CorruptRecord, match="damaged"):
        from netwise.scoring.record import parse

        parse('{"kind": "netwise-answers", "schema": 1, "lesson": "l1", "answers": {"q": []}}', "l1")


def test_memory_mode_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWISE_ANSWERS", "memory")
    record = AnswerRecord.open("l1", "en", tmp_path)
    record.add("quiz", "_", {"selected": ["a"]})
    assert record.attempts("quiz")[0]["value"] == {"selected": ["a"]}
    assert list(tmp_path.iterdir()) == []
