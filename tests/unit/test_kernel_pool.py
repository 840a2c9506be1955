"""The pool refill policy (netwise/kernel_pool.py) against a stand-in for Voilà's pool.

Real Voilà pools are exercised by test_serve*.py; here the policy alone: a taken kernel
is replaced once the page has been quiet, or at once when few are left ready, and a
visitor is handed a ready kernel only.
"""

from __future__ import annotations

import asyncio
from typing import Any

from traitlets import HasTraits

from netwise.app.pool import RefillWhenQuiet


class Prepared:
    """A pool entry as Voilà keeps it (a task): done once its kernel and page are ready."""

    def __init__(self, name: str, ready: bool = True) -> None:
        self.name, self.ready = name, ready

    def done(self) -> bool:
        return self.ready


class FakeVoilaPool(HasTraits):
    """What RefillWhenQuiet relies on in Voilà's VoilaKernelManager: _pools, kernel_pools_config,
    fill_if_needed and get_rendered_notebook (which hands out the pool's first entry)."""

    def __init__(self, size: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pools: dict[str, list[Prepared]] = {"page": [Prepared(f"k{i}") for i in range(size)]}
        self.kernel_pools_config = {"default": {"pool_size": 0}, "page": {"pool_size": size}}
        self.fills: list[tuple[float, str | None, dict[str, str]]] = []

    async def get_rendered_notebook(self, notebook_name: str, **kwargs: Any) -> str:
        return self._pools[notebook_name].pop(0).name

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       extra_kernel_env_variables: dict[str, str] | None = None, **kwargs: Any) -> None:  # fmt: skip
        self.fills.append((asyncio.get_event_loop().time(), notebook_name, dict(extra_kernel_env_variables or {})))

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        pass


class Pool(RefillWhenQuiet, FakeVoilaPool):
    pass


def test_taken_kernels_are_replaced_once_the_page_is_quiet() -> None:
    async def scenario() -> tuple[float, Pool]:
        pool = Pool(refill_after_quiet=0.3, size=4)
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


def test_few_ready_kernels_refill_at_once_while_visitors_keep_coming() -> None:
    async def scenario() -> Pool:
        pool = Pool(refill_after_quiet=60, refill_below=0.25, size=8)
        for taken in range(1, 8):  # visitors 0.01 s apart: never quiet
            await pool.get_rendered_notebook("page")
            pool.fill_if_needed(None, "page", {})
            assert len(pool.fills) == (1 if taken >= 7 else 0), taken  # 1 ready of 8 is under a quarter
            await asyncio.sleep(0.01)
        return pool

    pool = asyncio.run(scenario())
    assert [page for _, page, _ in pool.fills] == ["page"]
    assert not pool._refill_timers  # the quiet timer went with the refill


def test_a_visitor_is_handed_a_ready_kernel_never_one_being_prepared() -> None:
    async def scenario() -> tuple[int, str, int]:
        pool = Pool(size=0)
        pool._pools["page"] = [Prepared("preparing", ready=False), Prepared("ready"), Prepared("later", ready=False)]
        before = pool.get_pool_size("page")
        handed = await pool.get_rendered_notebook("page")
        return before, handed, pool.get_pool_size("page")

    before, handed, after = asyncio.run(scenario())
    assert (before, handed, after) == (1, "ready", 0)
