"""Voilà's exporter, with its Jinja templates compiled once per server instead of once per page.

Why: Voilà makes a new exporter, and so a new Jinja environment, for every page it renders,
and Jinja compiles each template of the page anew in it: about a quarter of the server's CPU
for a page whose kernel is started on request, when a year group arrives at once. Every
exporter here shares one in-memory bytecode cache, keyed by template name and source
checksum, so a template is compiled the first time and loaded from its code afterwards.
All these environments are alike (Voilà's exporter always renders asynchronously, with the
same extensions), so code compiled in one is valid in the others.
"""

from __future__ import annotations

from typing import Any

from jinja2.bccache import Bucket, BytecodeCache
from voila.exporter import VoilaExporter


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates, in this process's memory."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.store.clear()


COMPILED = MemoryBytecodeCache()


class NetwiseExporter(VoilaExporter):
    """Voilà's exporter whose Jinja environment shares :data:`COMPILED` (netwise/app/server.py patches it in)."""

    def _create_environment(self) -> Any:
        environment = super()._create_environment()
        environment.bytecode_cache = COMPILED
        return environment
