"""Shared parts of the concurrency tests that need PostgreSQL's locks (make test-postgres)."""

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
