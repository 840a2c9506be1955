"""The text walker: every translatable string of a content model, with its catalog context.

Both validation (links and hosts inside any text) and translation (catalog entries)
walk the same fields, so the walk lives with the content model, below both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from netwise.content.model import Step, is_text, is_text_list
from netwise.content.yamlsource import Loc


@dataclass(frozen=True)
class TextEntry:
    context: str  # msgctxt: owner and stable path
    text: str  # the English source
    loc: Loc  # data path inside the owner's YAML file, for file:line


def segment(item: Any, index: int) -> str:
    if isinstance(item, Step):
        return f"activity.{item.activity.id}" if item.activity is not None else f"text.{index + 1}"
    item_id = getattr(item, "id", None)
    return item_id if isinstance(item_id, str) else str(index + 1)


def field_is_text(model: type[BaseModel], name: str) -> tuple[bool, bool]:
    info = model.model_fields[name]
    marked = any(type(meta).__name__ == "Translatable" for meta in info.metadata)
    return marked or is_text(info.annotation), is_text_list(info.annotation)


def _walk(model: BaseModel, key: tuple[str, ...], loc: Loc) -> Iterator[tuple[str, str, Loc]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if value is None:
            continue
        text, text_list = field_is_text(type(model), name)
        if text and isinstance(value, str):
            yield ".".join(key + (name,)), value, loc + (name,)
        elif text_list:
            for i, item in enumerate(value):
                yield ".".join(key + (name, str(i + 1))), item, loc + (name, i)
        elif isinstance(value, BaseModel):
            yield from _walk(value, key if isinstance(model, Step) else key + (name,), loc + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    inner_key = key + ((segment(item, i),) if isinstance(item, Step) else (name, segment(item, i)))
                    yield from _walk(item, inner_key, loc + (name, i))


def owner_of(model: BaseModel) -> str:
    return f"{type(model).__name__.lower()}/{getattr(model, 'id', 'curriculum')}"


def texts(model: BaseModel) -> list[TextEntry]:
    """Every translatable string of a lesson, module, region or manifest, in order."""
    owner = owner_of(model)
    return [TextEntry(f"{owner}:{path}", text, loc) for path, text, loc in _walk(model, (), ())]
