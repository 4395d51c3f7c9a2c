"""Generate the next batch while the database ingests the current one.

A background thread runs the batch iterator ``depth`` batches ahead. numpy and the database
drivers release the GIL in their heavy parts, so on two cores generation hides behind the write.
Results are identical to the plain iterator (each batch is a pure function of its row range)::

    >>> squares = prefetch(np.arange(i, i + 3) ** 2 for i in range(0, 9, 3))
    >>> [batch.tolist() for batch in squares]
    [[0, 1, 4], [9, 16, 25], [36, 49, 64]]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["prefetch"]

T = TypeVar("T")
_DONE = object()


def prefetch(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """Yield ``items`` in order, computed up to ``depth`` ahead in a worker thread.

    An exception raised while producing is re-raised in the consumer at the point it would have
    occurred; closing the consumer early stops the worker (no put waits on a consumer that is gone).
    """
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        """Hand ``entry`` over unless the consumer has gone (every put gives up then, the last one too)."""
        while not stop.is_set():
            try:
                q.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((True, _DONE))
        except BaseException as exc:  # handed over to the consumer
            put((False, exc))

    thread = threading.Thread(target=work, name="syda-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = q.get()
            if not ok:
                raise item
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
