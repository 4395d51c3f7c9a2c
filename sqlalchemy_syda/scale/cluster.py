"""The Dask side: a client for what the user named, and partitions run as futures with progress and clear errors.

``cluster`` may be a ``distributed.Client`` (used as it is), a cluster object (``LocalCluster``, a
Kubernetes or SLURM cluster: a client is opened on it), a scheduler address (``"tcp://host:8786"``) or
``"local:N"`` (a ``LocalCluster`` of N single-threaded worker processes on the loopback interface,
closed afterwards). Partitions run as plain ``client.submit`` futures of the pure functions of
:mod:`.partitions`, in the order given; progress is reported per table as partitions finish::

    >>> from distributed import Client
    >>> seen = {}
    >>> with Client(processes=False, dashboard_address=None) as dask_client, cluster_client(dask_client) as client:
    ...     tasks = [Task("t", 0, 2, 0, 10, (10,)), Task("t", 1, 2, 10, 30, (20,))]
    ...     results = run_tasks(client, lambda n: n * 2, tasks, progress=lambda t, done, total: seen.update({t: done}))
    >>> results, seen
    ([20, 40], {'t': 30})

A partition that raises, or a worker that dies running one (the scheduler retries it on another worker
``distributed.scheduler.allowed-failures`` times first), ends the run with a :class:`~..exceptions.ClusterError`
naming the table and rows (a :class:`~..exceptions.SydaError` from the partition keeps its own class); the run
waits for the partitions still running, so that whoever cleans up after it sees everything they wrote.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..exceptions import ClusterError, MissingDependencyError, SydaError

__all__ = ["Task", "cluster_client", "default_partitions", "run_tasks"]


@dataclass(frozen=True)
class Task:
    """One future to run: ``fn(*args)`` for partition ``index`` of ``of`` (rows ``start`` .. ``stop - 1``)."""

    table: str
    index: int
    of: int
    start: int
    stop: int
    args: tuple


def _distributed():
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependencyError("Running on a Dask cluster needs dask.distributed: "
                                     "pip install 'sqlalchemy-syda[dask]'") from exc
    return distributed


@contextlib.contextmanager
def cluster_client(cluster: Any) -> Iterator[Any]:
    """A ``distributed.Client`` for ``cluster`` (see the module docstring); what this opened is closed after."""
    distributed = _distributed()
    if isinstance(cluster, distributed.Client):
        yield cluster
        return
    if isinstance(cluster, str) and _LOCAL.fullmatch(cluster.strip()):
        workers = _local_workers(cluster)
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as local, distributed.Client(local) as client:
            yield client
        return
    if not isinstance(cluster, str) and not hasattr(cluster, "scheduler_address"):
        raise ClusterError(f"cluster= takes a distributed.Client, a cluster object, a scheduler address "
                           f"('tcp://host:8786') or 'local:N'; got {type(cluster).__name__}.")
    try:
        client = distributed.Client(cluster, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"Cannot reach the Dask scheduler at {cluster}: {exc}. Is it running "
                           "(dask scheduler; dask worker tcp://host:8786) and the address right?") from None
    with client:
        yield client


_LOCAL = re.compile(r"local(:\d+)?")


def _local_workers(spec: str) -> int:
    _, _, number = spec.strip().partition(":")
    workers = int(number) if number else 2
    if workers < 1:
        raise ClusterError(f"'local:N' needs a positive number of worker processes; got {spec!r}.")
    return workers


def default_partitions(client: Any) -> int:
    """Two partitions per worker thread: enough to keep every worker busy while stragglers finish."""
    return max(1, 2 * sum(client.nthreads().values()))


def run_tasks(client: Any, fn: Callable[..., Any], tasks: Sequence[Task],
              progress: Callable[[str, int, int], None] | None = None, shared: Sequence[Any] = ()) -> list[Any]:
    """Run ``fn(*shared, *task.args)`` for every task on the cluster; results in task order.

    ``shared`` (e.g. the plan) is sent to every worker once, not once per task.
    """
    distributed = _distributed()
    run = uuid.uuid4().hex[:8]
    common = [client.scatter(value, broadcast=True, hash=False) for value in shared] if shared else []
    stop = f"syda-{run}-stop"
    futures = [client.submit(_guarded, stop, fn, *common, *task.args, key=f"syda-{run}-{task.table}-{task.index}",
                             pure=False) for task in tasks]
    of = {f.key: t for f, t in zip(futures, tasks)}
    totals: dict[str, int] = {}
    for task in tasks:
        totals[task.table] = totals.get(task.table, 0) + task.stop - task.start
    done: dict[str, int] = {}
    failed: tuple[Any, Task, BaseException | None] | None = None
    for future in distributed.as_completed(futures):
        task = of[future.key]
        if future.status != "finished":
            exc = _exception_of(future)  # a lost result is computed again: this waits for it
            if exc is not None or future.status != "finished":
                failed = (future, task, exc)
                break
        done[task.table] = done.get(task.table, 0) + task.stop - task.start
        if progress is not None:
            progress(task.table, done[task.table], totals[task.table])
    if failed is None:
        return client.gather(futures)
    _settle(distributed, client, stop, futures)
    raise _failure(*failed, suspects=_killed_with(failed, futures, of)) from None


def _guarded(stop: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` unless the run was stopped (a partition failed): then the task ends at once, writing nothing."""
    import distributed

    if distributed.Event(stop).is_set():
        return None
    try:
        return fn(*args)
    except SydaError as exc:  # without its chain, so that it keeps its class (a user's exception may not pickle)
        from ..parallel import detach

        detach(exc)
        raise


def _settle(distributed, client, stop: str, futures) -> None:
    """Stop the partitions that have not started, and wait until none is running any more, so that cleanup sees
    everything they wrote."""
    with contextlib.suppress(Exception):
        distributed.Event(stop, client=client).set()
    with contextlib.suppress(Exception):
        distributed.wait(futures, timeout=600)


def _exception_of(future) -> BaseException | None:
    """The future's exception once it is done (None if it finished after all)."""
    try:
        return future.exception()
    except Exception as other:  # the future itself cannot be read (cancelled, lost scheduler)
        return other


def _killed_with(failed: tuple[Any, Task, BaseException | None], futures, of: dict[str, Task]) -> list[Task]:
    """When workers died: every partition the scheduler gave up on. Dask cannot tell which task killed a worker,
    so each task that was running on it when it died is a suspect; the culprit is one of them."""
    if type(failed[2]).__name__ != "KilledWorker":
        return []
    suspects = []
    for future in futures:
        if future.status == "error" and type(_exception_of(future)).__name__ == "KilledWorker":
            suspects.append(of[future.key])
    return sorted(suspects, key=lambda t: (t.table, t.index))


def _where(task: Task) -> str:
    return f"partition {task.index + 1} of {task.of} of {task.table!r} (rows {task.start}..{task.stop - 1})"


def _failure(future, task: Task, exc: BaseException | None, suspects: Sequence[Task] = ()) -> SydaError:
    where = _where(task)
    if exc is None:
        return ClusterError(f"{where} ended as {future.status!r} on the Dask cluster. Nothing was published.")
    if isinstance(exc, SydaError):
        exc.add_note(f"(on the Dask cluster, in {where})")
        return exc
    name = type(exc).__name__
    if name == "KilledWorker":
        others = [_where(t) for t in suspects if t is not task]
        also = (f" Dask cannot tell which task kills a worker; these partitions were also running on the workers "
                f"that died, and the culprit is one of them: {'; '.join(others)}." if others else "")
        return ClusterError(f"A Dask worker died running {where}, on every worker the scheduler retried it on "
                            f"({exc}).{also} Check the workers' memory and logs; nothing was published.")
    return ClusterError(f"{where} failed on the Dask cluster: {name}: {exc}. Nothing was published.")
