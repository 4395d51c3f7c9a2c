"""A failing or interrupted load leaves no blocked thread, and a progress callback cannot deadlock the seed.

The prefetch thread's last hand-over used to wait forever on a consumer that had gone (the seed then waited
5 s in ``join`` and left the thread behind); a progress callback that queried the seed's own connection during
a PostgreSQL COPY waited on itself forever.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from sqlalchemy_syda.prefetch import prefetch

ROOT = Path(__file__).resolve().parents[2]


def _prefetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "syda-prefetch" and t.is_alive()]


def _items(produced: threading.Event, fail: bool):
    yield 1
    yield 2  # fills the queue of depth 1 once the consumer has taken 1
    produced.set()  # the worker asks for more only after handing 2 over: the queue is full now
    if fail:
        raise RuntimeError("late failure")


@pytest.mark.parametrize("fail", [False, True], ids=["end-marker", "error"])
def test_closing_the_consumer_early_ends_the_worker_thread_also_after_the_last_item(fail):
    before = _prefetch_threads()
    produced = threading.Event()
    stream = prefetch(_items(produced, fail), depth=1)
    assert next(stream) == 1
    assert produced.wait(30)
    stream.close()  # the worker's last hand-over (the end marker, or the error) must not wait on us forever
    assert _prefetch_threads() == before


_CALLBACK_ON_OWN_CONNECTION = textwrap.dedent("""
    import sys
    import sqlalchemy as sa
    from sqlalchemy.orm import Session
    from examples.crm_models import Base, Customer
    from sqlalchemy_syda import SydaError, seed

    engine = sa.create_engine(sys.argv[1])
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        def progress(table, done, total):
            session.execute(sa.text("SELECT count(*) FROM customers")).scalar()
        try:
            with session.begin():
                seed(session, {Customer: 5000}, chunk_size=1000, progress=progress)
        except SydaError as exc:
            print("SydaError:", exc)
    with engine.connect() as conn:
        print("rows:", conn.execute(sa.text("SELECT count(*) FROM customers")).scalar())
""")


@pytest.mark.postgres
def test_a_progress_callback_querying_the_seeds_own_connection_gets_an_error_not_a_deadlock(pg_url):
    """Run in a subprocess with a timeout: before the fix the process never ended."""
    done = subprocess.run([sys.executable, "-c", _CALLBACK_ON_OWN_CONNECTION, pg_url], cwd=ROOT, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SydaError: The progress callback ran a query on the seed's own connection" in done.stdout
    assert "rows: 0" in done.stdout  # rolled back


def test_a_progress_callback_using_another_connection_still_works(sqlite_url):
    import sqlalchemy as sa

    from examples.crm_models import Base, Customer
    from sqlalchemy_syda import seed

    engine = sa.create_engine(sqlite_url)
    Base.metadata.create_all(engine)
    seen: list[int] = []
    seed(engine, {Customer: 3000}, chunk_size=1000, progress=lambda table, done, total: seen.append(done))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM customers")).scalar() == 3000
    engine.dispose()
    assert seen == [1000, 2000, 3000]
