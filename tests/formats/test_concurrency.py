"""Two creation runs at the same time create every edition exactly once (PostgreSQL only).

SQLite serialises writers for the whole database, so the race cannot happen there; on
PostgreSQL the second run's insert of the same (format, period) waits for the first
transaction and then fails on the unique constraint, which the run counts as "exists".
Runs in ``make test-postgres``.
"""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.formats.domain import creation
from pretix_innowerkstatt.formats.models import Edition, Format

from .conftest import make_format

NOW = datetime.datetime(2026, 11, 23, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
KEYS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2"]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: make test-postgres")


def test_two_runs_at_once_create_no_duplicates(organizer, template):
    fmt = make_format(organizer, template, count=len(KEYS))
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with scopes_disabled():
                own = Format.objects.select_related("template_event").get(pk=fmt.pk)  # own instance, own connection
                start.wait(timeout=30)
                results.append(creation.create_editions(own, now=NOW))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(results) == 2
    created = sorted(key for r in results for key in r.created)
    assert created == KEYS  # each period by exactly one of the two runs
    for result in results:
        assert sorted(result.created + result.existing) == KEYS
    with scopes_disabled():
        assert sorted(Edition.objects.filter(format=fmt).values_list("key", flat=True)) == KEYS
        assert Event.objects.filter(organizer=organizer, slug__startswith="innowerkstatt-20").count() == len(KEYS)
        assert all(e.event_id for e in Edition.objects.filter(format=fmt))
