"""Where the per-document work runs: this process, a local process pool, or a Dask cluster.

`run_all(func, items, ...)` yields `(item, result)` in completion order, where `result` is
`func(item)` or the exception that stopped it. A worker process that dies (killed, out of
memory, a crash in a C library) is the failure of the document it was working on, never of
the run: the local pool is restarted and the other documents go on. In both engines the
documents that were running beside a dying worker are tried again one at a time at the end,
so that only the one that kills its worker again fails (Dask: `KilledWorker`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from budgetbook.limits import worker_init

T = TypeVar("T")
LOCAL = "local"


class WorkerDied(Exception):
    """The process working on a document ended without an answer."""


def run_all(
    func: Callable[[T], Any], items: Iterable[T], jobs: int = 1, scheduler: str | None = None
) -> Iterator[tuple[T, Any]]:
    """`(item, func(item) or the exception it raised)` for every item, in completion order."""
    items = list(items)
    if scheduler:
        yield from _dask(func, items, jobs, scheduler)
    elif jobs <= 1:
        for item in items:
            yield item, _call(func, item)
    else:
        yield from _pool(func, items, jobs)


def _call(func: Callable[[T], Any], item: T) -> Any:
    try:
        return func(item)
    except Exception as exc:  # the caller turns it into a problem of this item
        return exc


def _pool(func: Callable[[T], Any], items: list[T], jobs: int) -> Iterator[tuple[T, Any]]:
    """A process pool with at most `jobs` items in flight, so a dead worker names its suspects.

    When the pool breaks, every item then in flight is a suspect: each is run again alone in a
    fresh one-worker pool, where only the one that kills its worker again fails.
    """
    queue = list(reversed(items))
    suspects: list[T] = []
    while queue:
        pool = _limited_pool(jobs)
        running: dict[Future, T] = {}
        try:
            while queue or running:
                while queue and len(running) < jobs:
                    item = queue.pop()
                    running[pool.submit(func, item)] = item
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    item = running.pop(future)
                    try:
                        yield item, future.result()
                    except BrokenProcessPool:
                        suspects.append(item)
                    except Exception as exc:
                        yield item, exc
                if suspects:
                    suspects.extend(running.values())
                    running.clear()
                    break
        finally:  # Ctrl-C, a closed generator, an error: stop the queue and the running workers now
            _stop(pool)
        for item in suspects:
            yield item, _alone(func, item)
        suspects.clear()


def _alone(func: Callable[[T], Any], item: T) -> Any:
    pool = _limited_pool(1)
    try:
        return pool.submit(func, item).result()
    except BrokenProcessPool:
        return WorkerDied("the worker process died while reading it (over the memory limit, killed or crashed)")
    except Exception as exc:
        return exc
    finally:
        _stop(pool)


def _limited_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes that die with this one, leave Ctrl-C to it and hold the memory limit."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=worker_init, initargs=(os.getpid(),))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Drop the queued work and end the running workers now (no waiting for a stalled document)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _dask(func: Callable[[T], Any], items: list[T], jobs: int, scheduler: str) -> Iterator[tuple[T, Any]]:
    """Send every item to a Dask cluster: `scheduler` is its address, or `local` for a LocalCluster."""
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.scheduler import KilledWorker

    cluster = None
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        if scheduler == LOCAL:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
        try:
            with Client(cluster if cluster is not None else scheduler) as client:
                futures = {client.submit(func, item, pure=False): i for i, item in enumerate(items)}
                suspects = []
                for future in as_completed(futures):
                    item = items[futures[future]]
                    result = _dask_result(future)
                    if isinstance(result, KilledWorker):  # maybe only beside the culprit: try again, alone
                        suspects.append(item)
                    else:
                        yield item, result
                for item in suspects:
                    yield item, _dask_result(client.submit(func, item, pure=False))
        finally:
            if cluster is not None:
                cluster.close()


def _dask_result(future) -> Any:
    try:
        return future.result()
    except Exception as exc:  # KilledWorker, or the error the function raised
        return exc
    finally:
        future.release()


def default_jobs() -> int:
    return min(2, os.cpu_count() or 1)
