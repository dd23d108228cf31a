"""Two imports of the same schedule at the same time add every talk and person once (PostgreSQL only).

SQLite serialises writers for the whole database, so the race cannot happen there. On
PostgreSQL the second import waits for the organiser's import lock until the first has
committed, then finds its items and speakers and updates them instead of adding them again;
the unique constraints on the external ids are the backstop. Runs in ``make test-postgres``.

The overlap is made certain, not left to the scheduler: the first import is held just before
it writes (lock taken, plan made, transaction open) until PostgreSQL itself reports that the
second one waits for it.
"""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.agenda.domain import importing
from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from tests.postgres_concurrency import WAIT, backend_pid, postgres_only, second_waited_for_first  # NOQA: F401  (fixture)

from .interop_helpers import DEMOCON

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_imports_at_once_add_no_duplicates(event, monkeypatch):
    parsed = importing.read_schedule(DEMOCON.read_bytes())
    talks, persons = len(parsed.talks), len(parsed.persons)
    first_holds, release = threading.Event(), threading.Event()
    pids, results, errors = {}, {}, []
    original_store = importing._store

    def store_holding_the_first(plan):
        if not first_holds.is_set():
            first_holds.set()
            release.wait(timeout=WAIT)
        return original_store(plan)

    monkeypatch.setattr(importing, "_store", store_holding_the_first)

    def run(name):
        try:
            with scopes_disabled():
                pids[name] = backend_pid()  # its own thread, its own connection
                own = Event.objects.select_related("organizer").get(pk=event.pk)
                results[name] = importing.apply_schedule(own, None, importing.read_schedule(DEMOCON.read_bytes()))
        except Exception as error:  # pragma: no cover - reported below
            errors.append((name, error))
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    second = threading.Thread(target=run, args=("second",))
    overlapped = second_waited_for_first(first, second, first_holds, release, pids, "import")
    assert not errors, errors
    assert overlapped, "the second import never waited for the first one"

    assert (results["first"].created, results["first"].speakers_created) == (talks, persons)
    assert (results["second"].created, results["second"].speakers_created) == (0, 0)
    assert results["second"].unchanged == talks
    with scopes_disabled():
        assert AgendaItem.objects.filter(event=event).count() == talks
        assert Speaker.objects.filter(organizer=event.organizer).count() == persons
        ids = list(AgendaItem.objects.filter(event=event).values_list("external_id", flat=True))
        assert len(ids) == len(set(ids))
        links = list(AgendaItemSpeaker.objects.filter(item__event=event).values_list("item", "speaker"))
        assert len(links) == len(set(links))


def test_the_database_refuses_a_second_item_or_speaker_with_the_same_external_id(event):
    from django.db import IntegrityError, transaction

    with scopes_disabled():
        AgendaItem.objects.create(event=event, start=event.date_from, title={"de": "a"}, external_id="talk-1")
        with pytest.raises(IntegrityError), transaction.atomic():
            AgendaItem.objects.create(event=event, start=event.date_from, title={"de": "b"}, external_id="talk-1")
        AgendaItem.objects.create(event=event, start=event.date_from, title={"de": "c"}, external_id="")
        AgendaItem.objects.create(event=event, start=event.date_from, title={"de": "d"}, external_id="")
        Speaker.objects.create(organizer=event.organizer, name="A", external_id="P1")
        with pytest.raises(IntegrityError), transaction.atomic():
            Speaker.objects.create(organizer=event.organizer, name="B", external_id="P1")
        Speaker.objects.create(organizer=event.organizer, name="C", external_id="")
        Speaker.objects.create(organizer=event.organizer, name="D", external_id="")
