"""Answers survive the kernel: a new kernel on the same folder shows what was answered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import start_new_kernel

from support.paths import FIXTURES

pytestmark = pytest.mark.slow
MINI = FIXTURES / "mini"


def _run(cwd: Path, code: str) -> str:
    """Run code in a fresh real kernel started in ``cwd``; return what it printed."""
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(cwd))
    out: list[str] = []

    def hook(message: dict[str, Any]) -> None:
        if message["msg_type"] == "stream":
            out.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            out.append("\n".join(message["content"]["traceback"]))

    try:
        reply = client.execute_interactive(code, output_hook=hook, timeout=120)
        assert reply["content"]["status"] == "ok", "".join(out)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return "".join(out)


def test_new_kernel_restores_earlier_answers(tmp_path: Path) -> None:
    setup = f"from netwise.widgets import Lesson\nlesson = Lesson('basics-one', lang='vi', curriculum={str(MINI)!r})\n"
    _run(
        tmp_path,
        setup + "lesson.show('quiz').select('bank')\nlesson.show('quiz').check()\n"
        "lesson.show('judge').judge('otp', 'scam')\n"
        "lesson.show('flags').mark('from', 'hurry')\nlesson.show('flags').check()\n"
        "chat = lesson.show('chat')\nchat.choose(1)\nchat.choose(0)\n",
    )
    assert (tmp_path / "basics-one.answers.json").is_file()
    printed = _run(
        tmp_path,
        setup + "import json\n"
        "print(json.dumps({k: lesson.show(k).state for k in ('quiz', 'judge', 'flags', 'chat')}))\n"
        "print(json.dumps({'progress': lesson.progress_text, 'quiz': lesson.show('quiz').feedback_text}))\n",
    )
    states_line, extra_line = printed.strip().splitlines()[-2:]
    states, extra = json.loads(states_line), json.loads(extra_line)
    assert states["quiz"]["selected"] == ["bank"] and states["quiz"]["feedback"]
    assert "VI Banks never ask for it." in extra["quiz"]  # the earlier feedback, in Vietnamese
    otp = next(item for item in states["judge"]["items"] if item["id"] == "otp")
    assert otp["verdict"] == "scam" and otp["feedback"]
    assert sorted(states["flags"]["marked"]) == ["from", "hurry"] and states["flags"]["locked"]
    assert states["chat"]["path"] == ["ask", "check", "safe"] and states["chat"]["ending"]["outcome"] == "safe"
