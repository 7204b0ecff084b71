"""Stage 'scale': run the batch stages on a distributed engine when one machine is not enough.

The heavy stages are pure functions over batches of models (cleaning RawDocuments, reading
Articles, building Dossiers). The pipeline hands each such function and its batches to a
`BatchMapper`; only the mapper decides where the work runs:

- `LocalMapper` runs batches in this process (the default); a stage that knows it has many
  articles asks it (`sized`) for its `ProcessMapper`, a pool of worker processes on this
  machine, one per core, started once and kept for the run;
- `DaskMapper` ships them to a Dask distributed cluster: a `LocalCluster` of worker processes
  on this machine, or an existing scheduler (`tcp://host:8786`) for many machines.

Results come back in input order, and at most `window` batches are in flight at once, so memory
stays bounded however large the input is. The store stays on the driver: workers never write.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatchMapper(Protocol):
    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]: ...

    def sized(self, items: int) -> "BatchMapper":
        """The mapper for a stage of `items` articles: this one, or one it lends."""
        ...

    def close(self) -> None: ...


class LocalMapper:
    """Runs each batch here, one after another; a stage of many articles on a machine with
    several cores gets a pool of processes instead (`sized`), kept until `close`."""

    def __init__(self, pool: bool = True) -> None:
        self.pool = pool  # False: every stage in this process, however many articles
        self._pool: ProcessMapper | None = None

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        for batch in batches:
            yield fn(batch)

    def sized(self, items: int) -> BatchMapper:
        cores = usable_cores()
        if not self.pool or cores < 2 or items < POOL_MIN_ITEMS:
            return self
        if self._pool is None:
            self._pool = ProcessMapper(cores)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


def _windowed(submit: Callable[[Any], Any], batches: Iterable[Any], window: int) -> Iterator[Any]:
    """Each batch's result in input order, with at most `window` batches submitted and not yet
    taken: the workers stay busy and memory stays bounded however many batches come."""
    in_flight: deque[Any] = deque()
    for batch in batches:
        in_flight.append(submit(batch))
        if len(in_flight) >= window:
            yield in_flight.popleft().result()
    while in_flight:
        yield in_flight.popleft().result()


class DaskMapper:
    """Runs batches on a Dask distributed cluster.

    `address=None` starts a LocalCluster of `workers` processes (one thread each: spaCy and torch
    are CPU-bound and hold the GIL); an address joins an existing cluster.
    """

    def __init__(self, address: str | None = None, workers: int = 2, window: int | None = None):
        from distributed import Client, LocalCluster

        self._cluster = None
        if address is None:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        else:
            self.client = Client(address)
        n_workers = len(self.client.scheduler_info().get("workers", {})) or workers
        self.window = window or max(2, 2 * n_workers)

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        # pure=False: two equal batches are still two tasks (results are not shared by hash)
        yield from _windowed(lambda batch: self.client.submit(fn, batch, pure=False), batches, self.window)

    def sized(self, items: int) -> BatchMapper:
        return self

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> "DaskMapper":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessMapper:
    """Runs batches in a pool of `processes` worker processes on this machine, started on the
    first batch. Spawned, not forked: a fork would copy this process's threads' locks (torch's,
    the database driver's) in whatever state they are. Each worker loads its models once, on its
    first batch, and keeps them; batches go as pickles, results come back in input order."""

    def __init__(self, processes: int = 2, window: int | None = None):
        self.processes = processes
        self.window = window or 2 * processes
        self._pool: Any = None

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[R]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_end_with_parent, initargs=(os.getpid(),))
        yield from _windowed(lambda batch: self._pool.submit(fn, batch), batches, self.window)

    def sized(self, items: int) -> BatchMapper:
        return self

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "ProcessMapper":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _end_with_parent(parent: int) -> None:
    """In a pool worker: end when the process that started it ends (Linux's parent-death signal),
    so a killed run leaves no worker waiting for batches that never come."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not glibc Linux: a worker outlives a killed run until it is stopped
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


# Below this many articles a pool's start (each worker imports storyweave and loads its models:
# about 5 CPU s) costs more than the second core saves.
POOL_MIN_ITEMS = 200


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def make_mapper(workers: int = 0, address: str | None = None, local_pool: bool = True) -> BatchMapper:
    """0 workers and no address: this machine (a local pool for big stages unless `local_pool`
    is off). Otherwise a Dask cluster."""
    if address or workers > 0:
        return DaskMapper(address=address, workers=max(workers, 1))
    return LocalMapper(pool=local_pool)


__all__ = ["BatchMapper", "DaskMapper", "LocalMapper", "ProcessMapper", "batched", "make_mapper", "usable_cores"]
