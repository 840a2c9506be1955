"""The answer record: every answer a learner gives, saved beside the notebook as JSON.

nbgrader grades in a fresh kernel, so widget clicks would be lost; the record keeps
them. It holds choices and times only — correctness is computed from the curriculum at
grading time. Writes are atomic (temp file, fsync, rename) and serialised with a lock
file, re-reading the file under the lock so two kernels writing at once lose nothing.
A record that cannot be read is moved aside (never deleted) and a fresh one started.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netwise.errors import RecordError

SCHEMA = 1
KIND = "netwise-answers"
MEMORY_ENV = "NETWISE_ANSWERS"  # "memory": keep answers in the kernel only (lesson apps)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: rename is still atomic, no cross-process lock
    fcntl = None  # type: ignore[assignment]


def record_name(lesson_id: str) -> str:
    return f"{lesson_id}.answers.json"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def empty(lesson_id: str, lang: str, region: str | None = None) -> dict[str, Any]:
    stamp = now()
    data: dict[str, Any] = {
        "kind": KIND,
        "schema": SCHEMA,
        "lesson": lesson_id,
        "lang": lang,
        "created": stamp,
        "updated": stamp,
        "answers": {},
    }
    if region is not None:
        # The region profile the lesson was shown with: names in its activities (a link's
        # site) come from it, so a graded check scores the answer against the same names.
        data["region"] = region
    return data


class CorruptRecord(ValueError):
    """The file exists but is not a readable answer record for this lesson."""


def parse(text: str, lesson_id: str | None = None) -> dict[str, Any]:
    """Parse and check a record; raise CorruptRecord saying why."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptRecord(f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise CorruptRecord("not a NetWise answer record")
    if data.get("schema") != SCHEMA:
        raise CorruptRecord(f"schema version {data.get('schema')!r}, expected {SCHEMA}")
    if lesson_id is not None and data.get("lesson") != lesson_id:
        raise CorruptRecord(f"belongs to lesson {data.get('lesson')!r}, not {lesson_id!r}")
    answers = data.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(parts, dict) and all(isinstance(a, list) for a in parts.values()) for parts in answers.values()
    ):
        raise CorruptRecord("the 'answers' block is damaged")
    return data


def read(path: Path, lesson_id: str | None = None) -> dict[str, Any]:
    return parse(path.read_text(encoding="utf-8"), lesson_id)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    if fcntl is None:
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomic(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` in one step: a crash leaves either the old or the new file. The new file is
    readable by this account only (mkstemp's 0600), which the class secrets' file relies on."""
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class AnswerRecord:
    """One lesson's answers for one learner; ``path=None`` keeps them in memory only."""

    def __init__(self, lesson_id: str, lang: str, path: Path | None, region: str | None = None):
        self.lesson_id = lesson_id
        self.lang = lang
        self.region = region
        self.path = path
        self.set_aside: Path | None = None  # where a corrupt file was moved, to tell the learner
        self.reason: str | None = None
        self.error: str | None = None  # last write failure, shown to the learner
        self.data = empty(lesson_id, lang, region)
        if path is not None:
            with _locked(path):
                self.data = self._load_or_reset(path)
        if region is not None:
            self.data.setdefault("region", region)  # a record from before regions were recorded

    @classmethod
    def open(cls, lesson_id: str, lang: str, directory: Path | None = None, region: str | None = None) -> AnswerRecord:
        if os.environ.get(MEMORY_ENV) == "memory":
            return cls(lesson_id, lang, None, region)
        return cls(lesson_id, lang, (directory or Path.cwd()) / record_name(lesson_id), region)

    def _load_or_reset(self, path: Path) -> dict[str, Any]:
        if not path.exists():
            return empty(self.lesson_id, self.lang, self.region)
        try:
            return read(path, self.lesson_id)
        except (CorruptRecord, UnicodeDecodeError, OSError) as exc:
            self.reason = str(exc)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            aside = path.with_name(f"{path.stem}.corrupt-{stamp}.json")
            counter = 1
            while aside.exists():
                aside = path.with_name(f"{path.stem}.corrupt-{stamp}-{counter}.json")
                counter += 1
            os.replace(path, aside)  # keep the damaged file: nothing is ever silently lost
            self.set_aside = aside
            fresh = empty(self.lesson_id, self.lang, self.region)
            write_atomic(path, fresh)
            return fresh

    def attempts(self, activity_id: str, part: str = "_") -> list[dict[str, Any]]:
        return list(self.data["answers"].get(activity_id, {}).get(part, []))

    def answers(self, activity_id: str) -> dict[str, list[dict[str, Any]]]:
        return {k: list(v) for k, v in self.data["answers"].get(activity_id, {}).items()}

    def add(self, activity_id: str, part: str, value: dict[str, Any]) -> dict[str, Any]:
        """Append one attempt and save; returns the attempt as stored."""
        attempt = {"value": value, "at": now()}
        if self.path is None:
            self._append(self.data, activity_id, part, attempt)
            return attempt
        try:
            with _locked(self.path):
                try:
                    current = read(self.path, self.lesson_id) if self.path.exists() else copy.deepcopy(self.data)
                except (CorruptRecord, UnicodeDecodeError):
                    current = self._load_or_reset(self.path)
                self._append(current, activity_id, part, attempt)
                current["updated"] = attempt["at"]
                write_atomic(self.path, current)
                self.data = current
                self.error = None
        except OSError as exc:
            # Keep the answer in memory so the learner's session goes on, and say so.
            self._append(self.data, activity_id, part, attempt)
            self.error = exc.strerror or str(exc)
            raise RecordError(f"cannot save answers to {self.path}: {self.error}") from exc
        return attempt

    @staticmethod
    def _append(data: dict[str, Any], activity_id: str, part: str, attempt: dict[str, Any]) -> None:
        data["answers"].setdefault(activity_id, {}).setdefault(part, []).append(attempt)
