"""Two creation runs at the same time create every edition exactly once (PostgreSQL only).

SQLite serialises writers for the whole database, so the race cannot happen there; on
PostgreSQL the second run's insert of the same (format, period) waits for the first
transaction and then fails on the unique constraint, which the run counts as "exists".
Runs in ``make test-postgres``.

The overlap is made certain, not left to the scheduler: the first run is held inside the
creation of its first edition (its edition row written, its transaction open) until
PostgreSQL itself reports that the second run waits for the first one's lock.
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
from tests.postgres_concurrency import WAIT, backend_pid, postgres_only, second_waited_for_first  # NOQA: F401  (fixture)

from .conftest import make_format

NOW = datetime.datetime(2026, 11, 23, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
KEYS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2"]
SLUGS = ["innowerkstatt-" + key.lower() for key in KEYS]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_runs_at_once_create_no_duplicates(organizer, template, monkeypatch):
    fmt = make_format(organizer, template, count=len(KEYS))
    first_holds, release = threading.Event(), threading.Event()
    pids, results, errors = {}, {}, []
    original_build = creation.EventBuilder.build

    def build_holding_the_first_edition(builder, entry, edition):
        # Only the very first edition of all: its Edition row is written, the transaction still open.
        if not first_holds.is_set():
            first_holds.set()
            release.wait(timeout=WAIT)
        return original_build(builder, entry, edition)

    monkeypatch.setattr(creation.EventBuilder, "build", build_holding_the_first_edition)

    def run(name):
        try:
            with scopes_disabled():
                pids[name] = backend_pid()  # its own thread, its own connection
                own = Format.objects.select_related("template_event").get(pk=fmt.pk)
                results[name] = creation.create_editions(own, now=NOW)
        except Exception as error:  # pragma: no cover - reported below
            errors.append((name, error))
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    second = threading.Thread(target=run, args=("second",))
    blocked_in = second_waited_for_first(first, second, first_holds, release, pids, "run")
    assert not errors, errors
    # Overlap proven by PostgreSQL: the second run waited on the first one's uncommitted edition row.
    assert blocked_in is not None, "the second run never waited for the first one"
    assert "INSERT" in blocked_in.upper() and Edition._meta.db_table in blocked_in

    first_result, second_result = results["first"], results["second"]
    assert first_result.created[0] == "2027-Q1" and "2027-Q1" in second_result.existing
    assert not first_result.conflicts and not second_result.conflicts
    assert sorted(first_result.created + second_result.created) == KEYS  # each period by exactly one run
    assert not set(first_result.created) & set(second_result.created)
    for result in (first_result, second_result):
        # what one run did not create, it reports as existing – none lost, none twice
        assert sorted(result.created + result.existing) == KEYS
    with scopes_disabled():
        rows = list(Edition.objects.filter(format=fmt).select_related("event").order_by("key"))
        assert [row.key for row in rows] == KEYS
        assert [row.event.slug for row in rows] == SLUGS
        events = Event.objects.filter(organizer=organizer).exclude(pk=template.pk)
        assert sorted(events.values_list("slug", flat=True)) == SLUGS
