"""The pool refill policy (netwise/kernel_pool.py) against a stand-in for Voilà's pool.

Real Voilà pools are exercised by test_serve*.py; here the policy's timing alone: a
taken kernel is replaced once the page has been quiet.
"""

from __future__ import annotations

import asyncio
from typing import Any

from traitlets import HasTraits

from netwise.app.pool import RefillWhenQuiet


class FakeVoilaPool(HasTraits):
    """What RefillWhenQuiet relies on in Voilà's VoilaKernelManager: _pools and fill_if_needed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pools: dict[str, list[str]] = {"page": ["k1", "k2", "k3"]}
        self.fills: list[tuple[float, str | None, dict[str, str]]] = []

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       extra_kernel_env_variables: dict[str, str] | None = None, **kwargs: Any) -> None:  # fmt: skip
        self.fills.append((asyncio.get_event_loop().time(), notebook_name, dict(extra_kernel_env_variables or {})))

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        pass


class Pool(RefillWhenQuiet, FakeVoilaPool):
    pass


def test_taken_kernels_are_replaced_once_the_page_is_quiet() -> None:
    async def scenario() -> tuple[float, Pool]:
        pool = Pool(refill_after_quiet=0.3)
        start = asyncio.get_event_loop().time()
        for _ in range(2):  # two visitors, 0.2 s apart: each take restarts the wait
            pool._pools["page"].pop(0)
            pool.fill_if_needed(None, "page", {"VOILA_REQUEST_URL": "http://visitor"})
            await asyncio.sleep(0.2)
        assert pool.fills == []  # not while visitors keep arriving
        await asyncio.sleep(0.3)
        return start, pool

    start, pool = asyncio.run(scenario())
    assert len(pool.fills) == 1
    when, page, env = pool.fills[0]
    assert page == "page"
    assert when - start >= 0.2 + 0.3 - 0.05  # quiet time after the last take
    assert env == {}  # a visitor's request URL does not go to the next visitor's kernel


def test_the_start_up_fill_and_shutdown() -> None:
    async def scenario() -> Pool:
        pool = Pool(refill_after_quiet=0.1)
        pool.fill_if_needed(0, "page", {})  # Voilà's fill at start-up goes straight through
        pool._pools["page"].pop(0)
        pool.fill_if_needed(None, "page", {})
        await pool.shutdown_all()  # stopping cancels the pending refill
        await asyncio.sleep(0.3)
        return pool

    pool = asyncio.run(scenario())
    assert [page for _, page, _ in pool.fills] == ["page"]
