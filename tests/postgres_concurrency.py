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


def waits_for(waiter: int, holder: int) -> bool:
    """Whether PostgreSQL reports the session ``waiter`` blocked by the session ``holder``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND %s = ANY(pg_blocking_pids(pid))", [waiter, holder]
        )
        return cursor.fetchone() is not None


def second_waited_for_first(first, second, first_holds, release, pids, what: str) -> bool:
    """Run two threads so that they overlap at a lock; True if PostgreSQL saw the second wait.

    ``first`` sets ``first_holds`` once it holds the lock and then waits for ``release``; only then
    ``second`` starts. Both record their ``backend_pid()`` in ``pids`` under "first" and "second".
    ``release`` is set as soon as the second is seen waiting (or after ``WAIT``), and both are joined.
    """
    overlapped = False
    try:
        first.start()
        assert first_holds.wait(timeout=WAIT), f"the first {what} never got to holding its lock"
        second.start()
        deadline = time.monotonic() + WAIT
        while not overlapped and time.monotonic() < deadline and second.is_alive():
            if "second" in pids and "first" in pids:
                overlapped = waits_for(pids["second"], pids["first"])
            time.sleep(0.05)
    finally:
        release.set()
        first.join(timeout=300)
        second.join(timeout=300)
    return overlapped
