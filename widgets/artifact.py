"""Turn an Artifact (plus red-flag parts) into what the browser draws.

Every text slot is a list of segments ``{"text": ...}``; a red-flag part found inside a
slot becomes ``{"text": ..., "part": id}`` so the page can draw it as a toggle button in
place. Nothing here says which parts are suspicious.
"""

from __future__ import annotations

from typing import Any

from netwise.content.model import Artifact, FlagPart

Segments = list[dict[str, str]]

_HEADER_SLOTS = ("sender", "address", "subject", "url")
# Where to look for a part's text, by the part's place; "messages" means every chat bubble.
_SEARCH: dict[str, tuple[str, ...]] = {
    "sender": ("sender",),
    "address": ("address",),
    "subject": ("subject",),
    "url": ("url", "body", "messages"),
    "link": ("body", "messages", "url"),
    "body": ("body", "messages", "subject"),
    "attachment": (),
}


def _plain(text: str | None) -> Segments | None:
    return [{"text": text}] if text else None


def _cut(text: str, claims: list[tuple[int, int, str]]) -> Segments:
    segments: Segments = []
    at = 0
    for start, end, part_id in sorted(claims):
        if start > at:
            segments.append({"text": text[at:start]})
        segments.append({"text": text[start:end], "part": part_id})
        at = end
    if at < len(text):
        segments.append({"text": text[at:]})
    return segments


def _free_at(text: str, needle: str, taken: list[tuple[int, int, str]]) -> int:
    """First place ``needle`` occurs in ``text`` without overlapping a claimed part."""
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if all(end <= s or start >= e for s, e, _ in taken):
            return start
        start = text.find(needle, start + 1)
    return -1


def artifact_spec(
    artifact: Artifact,
    ui: dict[str, str],
    parts: list[FlagPart] | None = None,
) -> dict[str, Any]:
    slots: dict[str, str] = {
        name: getattr(artifact, name) or "" for name in ("sender", "address", "subject", "url", "body")
    }
    for i, message in enumerate(artifact.messages):
        slots[f"m{i}"] = message.text
    claims: dict[str, list[tuple[int, int, str]]] = {name: [] for name in slots}
    extra: list[Segments] = []
    attachments: list[Segments] = []
    for part in parts or []:
        placed = False
        for where in _SEARCH[part.place]:
            names = [n for n in slots if n.startswith("m")] if where == "messages" else [where]
            for name in names:
                at = _free_at(slots[name], part.text, claims[name]) if slots[name] else -1
                if at >= 0:
                    claims[name].append((at, at + len(part.text), part.id))
                    placed = True
                    break
            if placed:
                break
        if placed:
            continue
        # Not found in the drawn text (a translation may word it differently): show it
        # where that kind of thing lives, so every part can still be marked.
        if part.place in _HEADER_SLOTS and not slots[part.place]:
            slots[part.place] = part.text
            claims[part.place].append((0, len(part.text), part.id))
        elif part.place == "attachment":
            attachments.append([{"text": part.text, "part": part.id}])
        else:
            extra.append([{"text": part.text, "part": part.id}])

    def seg(name: str) -> Segments | None:
        text = slots[name]
        if not text:
            return None
        return _cut(text, claims[name]) if claims[name] else _plain(text)

    return {
        "kind": artifact.kind,
        "label": ui.get(f"{artifact.kind}_label", artifact.kind),
        "sender": seg("sender"),
        "address": seg("address"),
        "subject": seg("subject"),
        "url": seg("url"),
        "time": artifact.time,
        "body": seg("body"),
        "messages": [{"side": m.side, "time": m.time, "text": seg(f"m{i}")} for i, m in enumerate(artifact.messages)],
        "extra": extra,
        "attachments": attachments,
        # video_call: what the video shows; permission / install: one line per thing asked for.
        "scene": _plain(artifact.scene),
        "details": [_plain(line) for line in artifact.details],
    }
