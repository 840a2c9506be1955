"""Voilà's preheated kernel pool, refilled when the class has arrived rather than during it.

Voilà refills a page's pool one second after each kernel is taken. When a class of
forty arrives within ten seconds, that starts forty more kernels (and renders forty
more pages) exactly while the forty students are loading theirs, on the same two
cores. Voilà's ``fill_delay`` only postpones the start: it puts the waiting refill
in the pool at once, so the next visitor is handed a kernel that has not started yet
and waits out the delay.

Here a taken kernel is replaced once no visitor has opened that page for
``refill_after_quiet`` seconds, and pool kernels are prepared one at a time;
meanwhile visitors take what is ready, and once the pool is empty they get a kernel
started for them, as without a pool.

When visitors keep arriving (a year group: 200 over a minute), the page is never quiet and
the pool, once taken, stayed empty: every later page was rendered on request, all of them
at once on the server's one thread, and each visitor waited for all the others. So once a
page's ready kernels fall below ``refill_below`` of its pool, refilling starts at once,
still one kernel at a time: it uses what the class leaves of the two cores and most
visitors find a ready kernel. A visitor only ever takes a *ready* kernel (Voilà would hand
out one still being prepared, and the visitor would wait behind every refill before it);
with none ready the page is rendered for the visitor, as without a pool.

A preheated kernel has already run one page's notebook, so pools cannot be shared between
pages: ``--pool N`` is divided among the lesson pages (:func:`pool_sizes`), and each
before/after check page keeps at most one (Voilà's ``kernel_pools_config``). Every page kept
its own ``--pool`` kernels before, and a module with its checks held three times the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from traitlets import Float, HasTraits

from netwise.app.admission import AdmittingKernelManager


class RefillWhenQuiet(HasTraits):
    """Mixin for Voilà's ``VoilaKernelManager`` (configure it as ``VoilaKernelManager``)."""

    refill_after_quiet = Float(
        2.0,
        config=True,
        help="Seconds without a new visitor to a page before its preheated kernels are replaced.",
    )

    refill_below = Float(
        0.25,
        config=True,
        help="Refill a page's pool at once, without waiting for quiet, when fewer than this "
        "fraction of its preheated kernels are ready (0: only when quiet).",
    )

    def __init__(self, **kwargs: Any) -> None:
        self._refill_timers: dict[str | None, asyncio.TimerHandle] = {}
        self._one_at_a_time: asyncio.Semaphore | None = None
        super().__init__(**kwargs)

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> Any:
        """Prepare pool kernels one at a time, each until its page is rendered.

        Started all at once, forty refills hold the server's one thread for seconds and
        every student's answer waits behind them; one at a time leaves a core to the class.
        """
        if kernel_id is not None:  # a restart: as Voilà does
            return await super()._initialize(notebook_path, kernel_id, **kwargs)  # type: ignore[misc]
        if self._one_at_a_time is None:
            self._one_at_a_time = asyncio.Semaphore(1)
        async with self._one_at_a_time:
            prepared = await super()._initialize(notebook_path, None, **kwargs)  # type: ignore[misc]
            await asyncio.wait([prepared["task"]])  # the page rendered (its errors are the visitor's)
            return prepared

    def fill_if_needed(
        self,
        delay: float | None = None,
        notebook_name: str | None = None,
        extra_kernel_env_variables: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        if delay is not None:  # the fill at start-up (delay 0): as Voilà does
            super().fill_if_needed(delay, notebook_name, extra_kernel_env_variables or {}, **kwargs)  # type: ignore[misc]
            return
        # A kernel was just taken. The visitor's own request variables stay with the
        # visitor's kernel, not with the replacements.
        if self._ready(notebook_name) < self.refill_below * self._size(notebook_name):
            self._refill(notebook_name, kwargs)  # visitors keep coming: no waiting for quiet
            return
        # Otherwise (re)start this page's quiet timer.
        timers = self._refill_timers
        if notebook_name in timers:
            timers.pop(notebook_name).cancel()
        fill: Callable[[], None] = lambda: self._refill(notebook_name, kwargs)  # noqa: E731
        timers[notebook_name] = asyncio.get_event_loop().call_later(self.refill_after_quiet, fill)

    def _refill(self, notebook_name: str | None, kwargs: dict[str, Any]) -> None:
        timer = self._refill_timers.pop(notebook_name, None)
        if timer is not None:
            timer.cancel()
        # Voilà adds one (waiting) preparation per missing kernel; none is added twice.
        super().fill_if_needed(0, notebook_name, {}, **kwargs)  # type: ignore[misc]

    def _pool(self, notebook_name: str | None) -> list[Any]:
        pools: dict[str | None, list[Any]] = self._pools  # type: ignore[attr-defined]
        return pools.get(notebook_name, [])

    def _size(self, notebook_name: str | None) -> int:
        """The page's pool size, as Voilà reads it from ``kernel_pools_config``."""
        config: dict[str | None, Any] = getattr(self, "kernel_pools_config", {})
        default = config.get("default", {})
        return int(config.get(notebook_name, default).get("pool_size", default.get("pool_size", 1)))

    def _ready(self, notebook_name: str | None) -> int:
        return sum(1 for task in self._pool(notebook_name) if task.done())

    def get_pool_size(self, notebook_name: str) -> int:
        """Kernels a visitor can take now: ready ones only (Voilà counts those being prepared too)."""
        return self._ready(notebook_name)

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        """Voilà hands out the pool's first kernel: make that the first ready one."""
        pool = self._pool(notebook_name)
        ready = next((i for i, task in enumerate(pool) if task.done()), None)
        if ready is not None and ready > 0:
            pool.insert(0, pool.pop(ready))
        return await super().get_rendered_notebook(notebook_name, *args, **kwargs)  # type: ignore[misc]

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        for timer in self._refill_timers.values():
            timer.cancel()  # no new kernels while stopping
        self._refill_timers.clear()
        await super().shutdown_all(*args, **kwargs)  # type: ignore[misc]


def kernel_manager_factory(factory: Callable[..., type]) -> Callable[..., type]:
    """Wrap ``voila.app.voila_kernel_manager_factory``: seats for pages' kernels, and a pool that refills when quiet."""

    def make(base_class: type, preheat_kernel: bool, default_pool_size: int, **kwargs: Any) -> type:
        cls = factory(base_class, preheat_kernel, default_pool_size, **kwargs)
        bases: tuple[type, ...] = (AdmittingKernelManager, cls)
        if preheat_kernel:
            bases = (AdmittingKernelManager, RefillWhenQuiet, cls)
        return type("NetwiseKernelManager", bases, {"__module__": __name__})

    return make


def pool_sizes(lessons: list[str], checks: list[str], total: int) -> dict[str, int]:
    """Preheated kernels per page: ``total`` shared by the lesson pages (the first ones get any
    remainder), and one for each before/after check page when there is a pool at all."""
    sizes = {path: 0 for path in [*lessons, *checks]}
    if total <= 0:
        return sizes
    for i, path in enumerate(lessons):
        sizes[path] = total // len(lessons) + (1 if i < total % len(lessons) else 0)
    for path in checks:
        sizes[path] = 1
    return sizes
