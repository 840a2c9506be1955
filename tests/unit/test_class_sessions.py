"""SessionStore: wrong tries, the lock, one device per student, release, the teacher's key, and a restart.

The store is what makes a two-word secret enough (a pause after a wrong try, a lock after three)
and what keeps a class signed in across a server restart, so each rule is checked here against
a real file, and the file is checked to hold hashes only.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from netwise.app.logins import Secret, StoredSecret
from netwise.app.sessions import MAX_FAILURES, SessionStore, token_hash

SECRETS = {"dang.duc": "mèo sen", "an.nguyen": "cá voi"}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def hashed() -> dict[str, StoredSecret]:
    return {sid: StoredSecret.of(Secret("words", value)) for sid, value in SECRETS.items()}


def store(tmp_path: Path, hashed: dict[str, StoredSecret], clock: Clock | None = None) -> SessionStore:
    return SessionStore(tmp_path / "class", hashed, list(SECRETS), pause=1.0, clock=clock or Clock())


def test_right_secret_signs_in_without_diacritics_and_unknown_names_fail(
    tmp_path: Path, hashed: dict[str, StoredSecret]
) -> None:
    sessions = store(tmp_path, hashed)
    result = sessions.sign_in("dang.duc", "MEO SEN", "phone-1")
    assert result.status == "ok" and result.token
    assert sessions.student_for(result.token) == "dang.duc"
    assert sessions.student_for("not-a-token") is None and sessions.student_for(None) is None
    assert sessions.sign_in("nobody", "mèo sen", "phone-1").status == "unknown"
    assert "dang.duc" in sessions.signed_in() and "an.nguyen" not in sessions.signed_in()


def test_wrong_tries_pause_then_lock_until_unlocked(tmp_path: Path, hashed: dict[str, StoredSecret]) -> None:
    clock = Clock()
    sessions = store(tmp_path, hashed, clock)
    first = sessions.sign_in("an.nguyen", "cá mèo", "phone-2")
    assert (first.status, first.tries_left) == ("wrong", MAX_FAILURES - 1)
    slow = sessions.sign_in("an.nguyen", "cá voi", "phone-2")  # even the right secret waits the pause
    assert slow.status == "slow" and 0 < slow.retry_after <= 1.0
    clock.now += 1.1
    assert sessions.sign_in("an.nguyen", "voi cá", "phone-2").tries_left == MAX_FAILURES - 2
    clock.now += 1.1
    assert sessions.sign_in("an.nguyen", "trăng sao", "phone-2").status == "locked"
    clock.now += 60
    assert sessions.sign_in("an.nguyen", "cá voi", "phone-2").status == "locked"  # the right one too
    assert sessions.locked("an.nguyen")
    # Another student is not held up by a classmate's wrong tries.
    assert sessions.sign_in("dang.duc", "meo sen", "phone-1").status == "ok"
    sessions.unlock("an.nguyen")
    assert sessions.sign_in("an.nguyen", "ca voi", "phone-2").status == "ok"


def test_one_device_per_student_until_released(tmp_path: Path, hashed: dict[str, StoredSecret]) -> None:
    sessions = store(tmp_path, hashed)
    first = sessions.sign_in("dang.duc", "mèo sen", "phone-1")
    assert sessions.sign_in("dang.duc", "mèo sen", "phone-2").status == "busy"
    assert sessions.resume("phone-2").status == "busy"  # still waiting for the teacher
    assert sessions.resume("phone-3").status == "unknown"  # never gave the secret
    again = sessions.sign_in("dang.duc", "mèo sen", "phone-1")  # the same phone, e.g. another tab
    assert again.status == "ok" and sessions.student_for(first.token) == "dang.duc"
    sessions.release("dang.duc")
    assert sessions.student_for(first.token) is None and sessions.student_for(again.token) is None
    second = sessions.resume("phone-2")  # the waiting device goes on by itself, no secret again
    assert second.status == "ok" and sessions.student_for(second.token) == "dang.duc"
    assert sessions.resume("phone-2").status == "unknown"  # once
    sessions.end()
    assert sessions.student_for(second.token) is None and sessions.signed_in() == {}


def test_a_restart_keeps_sessions_and_locks_and_the_file_holds_only_hashes(
    tmp_path: Path, hashed: dict[str, StoredSecret]
) -> None:
    clock = Clock()
    sessions = store(tmp_path, hashed, clock)
    token = sessions.sign_in("dang.duc", "mèo sen", "phone-1").token
    for _ in range(MAX_FAILURES):
        sessions.sign_in("an.nguyen", "sai rồi", "phone-2")
        clock.now += 2
    key = sessions.issue_teacher_key()
    assert sessions.swap_teacher_key("wrong-key") is None
    teacher = sessions.swap_teacher_key(key)
    assert teacher and sessions.is_teacher(teacher) and not sessions.is_teacher(token)

    path = tmp_path / "class" / "sessions.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert token and token not in text and teacher not in text and key not in text
    assert token_hash(token) in text and token_hash(teacher) in text
    for secret in SECRETS.values():
        assert secret not in text and secret.split()[0] not in text
    assert json.loads(text)["students"]["an.nguyen"]["locked"] is True

    restarted = store(tmp_path, hashed)
    assert restarted.student_for(token) == "dang.duc"
    assert restarted.is_teacher(teacher)  # the tablet stays signed in
    assert restarted.swap_teacher_key(key) is None  # the printed key of the last run does not
    assert restarted.sign_in("an.nguyen", "cá voi", "phone-2").status == "locked"
    restarted.forget("dang.duc")
    assert restarted.student_for(token) is None
    assert "dang.duc" not in path.read_text(encoding="utf-8")
