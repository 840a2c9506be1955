"""Class sign-in sessions: who is signed in on which device, wrong tries, locks and the teacher's key.

Why this exists (issue 14): a child signs in on a phone with the short secret on a login card
(netwise/app/logins.py). A short secret is enough only because guessing is limited here: a
pause after each wrong try (``slow``) and a lock after three wrong tries, lifted only by the
teacher (``unlock``); the tries are counted in the file, so a restart gives none back. A name on
the roster with no card yet (``no_card``) counts no try: there is nothing to guess. One device
holds a student at a time (``busy`` for a second one), so a classmate who saw a card cannot
quietly answer for its owner; the teacher frees the first device (``release``).

A signed-in browser holds a random token (``secrets.token_urlsafe(32)``) in an HttpOnly
cookie; the course folder keeps only its sha256 (``DIR/class/sessions.json``, 0600, written
atomically), so a copied course folder signs nobody in, and a server killed mid-class and
started again keeps every student signed in. The teacher's dashboard key is random per server
start and kept only in memory; the first visit swaps it for a cookie token whose hash is kept
here too, so the teacher's tablet survives a restart while the printed key does not.

The secrets' hashes are read again whenever ``class/secrets.json`` changes (its modification time,
size and inode, looked at on each sign-in): a teacher who runs ``netwise course cards DIR --reset ID``
for a lost card, or prints a newcomer's card, while the class is running gives a card the running
server accepts at once. Only the secrets are read again: sign-ins, wrong tries and locks stay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netwise.app.logins import StoredSecret, load_secrets
from netwise.errors import NetwiseError
from netwise.scoring.record import write_atomic

SESSIONS_FILE = "sessions.json"
FORMAT_VERSION = 1
MAX_FAILURES = 3  # wrong tries before a name is locked until the teacher unlocks it
PAUSE_AFTER_WRONG = 1.0  # seconds before the next try for a name after a wrong one
WAIT_FOR_RELEASE = 15 * 60  # seconds a second device, its secret right, waits for the first one's release
LOG = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    """What the course folder keeps of a token: never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in: ``status`` is ok, wrong, locked, busy, unknown, no_card or slow."""

    status: str
    token: str | None = None  # with "ok": the cookie's value
    tries_left: int = 0  # with "wrong"
    retry_after: float = 0.0  # with "slow": seconds


class SessionStore:
    """The class's sign-ins, kept hashed in ``class_dir/sessions.json``; safe to call from several threads."""

    def __init__(
        self,
        class_dir: Path,
        secrets_by_id: dict[str, StoredSecret],
        student_ids: Iterable[str],
        pause: float = PAUSE_AFTER_WRONG,
        clock: Callable[[], float] = time.monotonic,
        secrets_file: Path | None = None,
    ) -> None:
        self.path = class_dir / SESSIONS_FILE
        self.secrets = secrets_by_id
        # The course's secrets.json (logins.secrets_path), read again when it changes; None: never.
        self.secrets_file = secrets_file
        self._secrets_seen = self._signature()
        self.student_ids = set(student_ids)
        self.pause = pause
        self.clock = clock
        self._lock = threading.Lock()
        # The pause after a wrong try is in memory only, on purpose: it lasts a second and a restart
        # takes longer than that (kernels, Voilà), so a persisted pause would always be over when the
        # server answers again. What limits guessing across restarts is persisted: ``failures`` and
        # ``locked`` (written before a wrong try is answered), so a restart never gives back a try.
        self._next_try: dict[str, float] = {}
        self._teacher_key: str | None = None  # hash of this run's printed key
        # device hash -> (student, since): a right secret on a second device, waiting for a release
        self._waiting: dict[str, tuple[str, float]] = {}
        self._data = self._load()

    # --- the file ---------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"version": FORMAT_VERSION, "students": {}, "teacher": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["version"] != FORMAT_VERSION:
                raise ValueError(f"version {data['version']!r}, expected {FORMAT_VERSION}")
            if not isinstance(data["students"], dict) or not isinstance(data["teacher"], list):
                raise ValueError("students or teacher missing")
            return dict(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise NetwiseError(
                f"{self.path}: not a sessions file NetWise wrote ({type(exc).__name__}: {exc})"
            ) from None

    def _save(self) -> None:
        """Write the whole file at once (a crash leaves the old one), readable only by this account."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(self.path, self._data)  # the answer records' writer: mkstemp makes it 0600 from the start

    def _signature(self) -> tuple[int, int, int] | None:
        """What tells that secrets.json was written since it was read: a new file replaces it (os.replace)."""
        if self.secrets_file is None:
            return None
        try:
            stat = self.secrets_file.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def _fresh_secrets(self) -> dict[str, StoredSecret]:
        """The secrets, read again if the file changed (a ``course cards`` run meanwhile); held under the lock."""
        seen = self._signature()
        if self.secrets_file is not None and seen is not None and seen != self._secrets_seen:
            self._secrets_seen = seen
            try:
                self.secrets = load_secrets(self.secrets_file.parent.parent)
            except NetwiseError as exc:  # a broken file (edited by hand): keep the secrets in use
                LOG.warning("%s; the login secrets read before are still in use", exc)
        return self.secrets

    def _student(self, sid: str) -> dict[str, Any]:
        students: dict[str, Any] = self._data["students"]
        return students.setdefault(sid, {"tokens": {}, "failures": 0, "locked": False})

    # --- students ---------------------------------------------------------------------

    def sign_in(self, sid: str, secret: str, device: str) -> SignIn:
        """Check a typed secret for a student on a device (the ``nw_device`` cookie's value)."""
        if sid not in self.student_ids:
            return SignIn("unknown")
        with self._lock:
            stored = self._fresh_secrets().get(sid)
        if stored is None:  # on the roster, no card printed yet: nothing to guess, no try counted
            return SignIn("no_card")
        with self._lock:
            entry = self._data["students"].get(sid, {})
            if entry.get("locked"):
                return SignIn("locked")
            wait = self._next_try.get(sid, 0.0) - self.clock()
            if wait > 0:
                return SignIn("slow", retry_after=round(wait, 1))
            # Held until the check is done: two tries at once for one name cannot both pass the pause.
            self._next_try[sid] = self.clock() + self.pause
        right = stored.matches(secret)  # ~50 ms of scrypt, outside the lock
        with self._lock:
            entry = self._student(sid)
            if entry["locked"]:
                return SignIn("locked")
            if not right:
                entry["failures"] += 1
                if entry["failures"] >= MAX_FAILURES:
                    entry["locked"] = True
                self._save()
                if entry["locked"]:
                    return SignIn("locked")
                return SignIn("wrong", tries_left=MAX_FAILURES - entry["failures"])
            self._next_try.pop(sid, None)
            device_hash = token_hash(device)
            if any(t["device"] != device_hash for t in entry["tokens"].values()):
                self._waiting[device_hash] = (sid, self.clock())
                return SignIn("busy")  # the failures stay: a right secret is not a reason to forget them
            return self._issue(sid, entry, device_hash)

    def _issue(self, sid: str, entry: dict[str, Any], device_hash: str) -> SignIn:
        entry["failures"] = 0
        token = secrets.token_urlsafe(32)
        entry["tokens"][token_hash(token)] = {"device": device_hash, "since": _now()}
        self._waiting.pop(device_hash, None)
        self._save()
        return SignIn("ok", token=token)

    def resume(self, device: str) -> SignIn:
        """A second device that gave the right secret: signed in once the first is released ("busy" till then).

        "unknown" when this device is not waiting (or waited longer than :data:`WAIT_FOR_RELEASE`).
        """
        device_hash = token_hash(device)
        with self._lock:
            waiting = self._waiting.get(device_hash)
            if waiting is None or self.clock() - waiting[1] > WAIT_FOR_RELEASE:
                self._waiting.pop(device_hash, None)
                return SignIn("unknown")
            sid = waiting[0]
            entry = self._student(sid)
            if entry["locked"]:
                return SignIn("locked")
            if any(t["device"] != device_hash for t in entry["tokens"].values()):
                return SignIn("busy")
            return self._issue(sid, entry, device_hash)

    def student_for(self, token: str | None) -> str | None:
        """The student a session cookie signs in, or None."""
        if not token:
            return None
        wanted = token_hash(token)
        with self._lock:
            for sid, entry in self._data["students"].items():
                if wanted in entry.get("tokens", {}) and sid in self.student_ids:
                    return str(sid)
        return None

    def release(self, sid: str) -> None:
        """Sign the student out everywhere: the device is freed, the next sign-in wins."""
        with self._lock:
            entry = self._data["students"].get(sid)
            if entry and entry["tokens"]:
                entry["tokens"] = {}
                self._save()

    def replace_secret(self, sid: str, stored: StoredSecret) -> None:
        """A lost card's new secret (only its hash): checked from now on, whoever holds the old card is
        signed out, and the name is unlocked."""
        with self._lock:
            self.secrets[sid] = stored
        self.release(sid)
        self.unlock(sid)

    def unlock(self, sid: str) -> None:
        with self._lock:
            entry = self._data["students"].get(sid)
            if entry and (entry["locked"] or entry["failures"]):
                entry["locked"] = False
                entry["failures"] = 0
                self._save()
            self._next_try.pop(sid, None)

    def locked(self, sid: str) -> bool:
        with self._lock:
            return bool(self._data["students"].get(sid, {}).get("locked"))

    def signed_in(self) -> dict[str, dict[str, Any]]:
        """Each signed-in student: ``since`` (ISO time of the latest sign-in) and ``devices``."""
        with self._lock:
            return {
                sid: {
                    "since": max(t["since"] for t in entry["tokens"].values()),
                    "devices": len({t["device"] for t in entry["tokens"].values()}),
                }
                for sid, entry in self._data["students"].items()
                if entry.get("tokens")
            }

    def end(self) -> None:
        """The session is over: every student is signed out (locks stay for the teacher to see)."""
        with self._lock:
            for entry in self._data["students"].values():
                entry["tokens"] = {}
            self._save()

    def forget(self, sid: str) -> None:
        """Nothing of this student stays in the sessions file."""
        with self._lock:
            if self._data["students"].pop(sid, None) is not None:
                self._save()
            self._next_try.pop(sid, None)
            self._waiting = {device: entry for device, entry in self._waiting.items() if entry[0] != sid}

    # --- the teacher ------------------------------------------------------------------

    def issue_teacher_key(self) -> str:
        """A new dashboard key for this run (printed on the terminal, kept only in memory, hashed)."""
        key = secrets.token_urlsafe(24)
        self._teacher_key = token_hash(key)
        return key

    def swap_teacher_key(self, key: str | None) -> str | None:
        """The printed key for a teacher cookie token (its hash kept in the file), or None for a wrong key."""
        if not key or self._teacher_key is None or not hmac.compare_digest(token_hash(key), self._teacher_key):
            return None
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._data["teacher"].append(token_hash(token))
            self._save()
        return token

    def is_teacher(self, token: str | None) -> bool:
        if not token:
            return False
        wanted = token_hash(token)
        with self._lock:
            return any(hmac.compare_digest(wanted, kept) for kept in self._data["teacher"])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
