"""Shared parts of the concurrency tests that need PostgreSQL's locks (make test-postgres)."""

import time

import pytest
from django.db import connection

WAIT = 30  # seconds; only reached when something is broken


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: make test-postgres")


def backend_pid() -> int:
    """This connection's server process, to see which session waits for which."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def blocked_query(waiter: int, holder: int) -> str | None:
    """The statement the session ``waiter`` runs while PostgreSQL reports it blocked by ``holder``, else None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s AND %s = ANY(pg_blocking_pids(pid))", [waiter, holder]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def second_waited_for_first(first, second, first_holds, release, pids, what: str) -> str | None:
    """Run two threads so that they overlap at a lock; the statement PostgreSQL saw the second wait in, or None.

    ``first`` sets ``first_holds`` once it holds the lock and then waits for ``release``; only then
    ``second`` starts. Both record their ``backend_pid()`` in ``pids`` under "first" and "second".
    ``release`` is set as soon as the second is seen waiting (or after ``WAIT``), and both are joined.
    """
    blocked_in = None
    try:
        first.start()
        assert first_holds.wait(timeout=WAIT), f"the first {what} never got to holding its lock"
        second.start()
        deadline = time.monotonic() + WAIT
        while blocked_in is None and time.monotonic() < deadline and second.is_alive():
            if "second" in pids and "first" in pids:
                blocked_in = blocked_query(pids["second"], pids["first"])
            time.sleep(0.05)
    finally:
        release.set()
        first.join(timeout=300)
        second.join(timeout=300)
    return blocked_in
