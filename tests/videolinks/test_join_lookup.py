"""The main-domain join POST: its one lookup builds what the ORM would, its settings come in one cache call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from pretix.base.models import Event, OrderPosition, Organizer
from pretix.multidomain.models import KnownDomain

from pretix_innowerkstatt.compat import prefetch_settings
from pretix_innowerkstatt.videolinks.domain.config import access_rules, configure_event, event_meeting
from pretix_innowerkstatt.videolinks.join_lookup import PARTS, find_position_by_slugs

from .conftest import MEETING_URL, make_order


def lookup(position):
    order = position.order
    return find_position_by_slugs(order.event.organizer.slug, order.event.slug, order.code, position.positionid)


@pytest.mark.django_db
def test_loaded_fields_equal_the_orms(configured_event, item):
    with scopes_disabled():
        series_date = configured_event.subevents.create(
            name="Q3", date_from=configured_event.date_from, date_to=configured_event.date_to
        )
        configured_event.has_subevents = True
        configured_event.save()
        order = make_order(configured_event, item, attendees=("Ada Lovelace", "Bob"), subevent=series_date)
        stored = order.positions.get(positionid=2)
        stored.blocked = ["admin"]
        stored.save()
        expected = OrderPosition.all.select_related("order__event__organizer", "item", "subevent").get(pk=stored.pk)
    with CaptureQueriesContext(connection) as queries:
        found = lookup(expected)
        loaded = {
            part.alias: [getattr(obj, f.attname) for f in part.fields]
            for part, obj in zip(
                PARTS,
                (found, found.order, found.item, found.order.event, found.order.event.organizer, found.subevent),
                strict=True,
            )
        }
        assert found.attendee_name == "Bob"
    assert len(queries) == 1  # everything above came with the one statement
    wanted = {
        part.alias: [getattr(obj, f.attname) for f in part.fields]
        for part, obj in zip(
            PARTS,
            (
                expected,
                expected.order,
                expected.item,
                expected.order.event,
                expected.order.event.organizer,
                expected.subevent,
            ),
            strict=True,
        )
    }
    assert loaded == wanted
    assert found.blocked == ["admin"] and found.order.event.live is True
    assert found.subevent.date_from.tzinfo is not None
    assert found.has_custom_domain is False
    assert not found._state.adding


@pytest.mark.django_db
def test_other_fields_load_on_access_like_deferred_fields(configured_event, item):
    order = make_order(configured_event, item)
    with scopes_disabled():
        found = lookup(order.positions.get())
        assert found.subevent is None
        assert found.order.total == order.total  # one more query, as with .only()
        assert str(found.order.event.name) == str(Event.objects.get(pk=configured_event.pk).name)


@pytest.mark.django_db
def test_nothing_is_found_under_other_slugs(configured_event, item):
    order = make_order(configured_event, item)
    with scopes_disabled():
        other = Organizer.objects.create(name="Other", slug="other")
        Event.objects.create(
            organizer=other, name="Other", slug=configured_event.slug, date_from=configured_event.date_from
        )
    assert find_position_by_slugs("other", configured_event.slug, order.code, 1) is None
    assert find_position_by_slugs("innovationsbuero", "elsewhere", order.code, 1) is None
    assert find_position_by_slugs("innovationsbuero", configured_event.slug, order.code, 2) is None
    assert find_position_by_slugs("innovationsbuero", configured_event.slug, order.code, 1) is not None


@pytest.mark.django_db
def test_custom_domains_of_the_organiser_are_noticed(configured_event, item):
    order = make_order(configured_event, item)
    with scopes_disabled():
        KnownDomain.objects.create(
            domainname="tickets.example.org", organizer=configured_event.organizer, mode=KnownDomain.MODE_ORG_DOMAIN
        )
        assert lookup(order.positions.get()).has_custom_domain is True


@pytest.fixture
def cache_calls(settings, monkeypatch):
    """A real (local-memory) cache, and the names of the calls made to it."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "prefetch"}}
    from django.core.cache import caches

    backend = caches["default"]
    backend.clear()
    calls, depth = [], []

    def spy(name, original):
        def call(*args, **kwargs):
            if not depth:  # local memory's get_many calls its own get
                calls.append(name)
            depth.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "get_or_set"):
        monkeypatch.setattr(backend, name, spy(name, getattr(backend, name)))
    return calls


def fresh(event):
    with scopes_disabled():
        return Event.objects.select_related("organizer").get(pk=event.pk)


@pytest.mark.django_db
def test_settings_of_all_levels_come_with_one_cache_call(configured_event, cache_calls, django_assert_num_queries):
    from hierarkey.proxy import dirty_cache_keys

    dirty_cache_keys.set(set())  # as after the commit of the fixtures' settings
    warm = fresh(configured_event)
    expected = (access_rules(warm), event_meeting(warm))  # fills the cache, as earlier requests have
    event = fresh(configured_event)
    cache_calls.clear()
    with django_assert_num_queries(0):
        prefetch_settings(event.settings)
        assert (access_rules(event), event_meeting(event)) == expected
    assert cache_calls == ["get_many"]
    assert expected[1].join_url == MEETING_URL


@pytest.mark.django_db
def test_settings_changed_in_this_transaction_are_not_taken_from_the_cache(configured_event, cache_calls):
    from hierarkey.proxy import dirty_cache_keys

    dirty_cache_keys.set(set())
    event_meeting(fresh(configured_event))  # cached
    with scopes_disabled():
        configure_event(configured_event, url="https://new-room.example.org/r/1")  # not committed yet
    event = fresh(configured_event)
    prefetch_settings(event.settings)
    assert event_meeting(event).join_url == "https://new-room.example.org/r/1"


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's (DJANGO_SETTINGS_MODULE=tests.settings_postgres)",
)


def statements(queries):
    return [q["sql"].split("*/")[-1].split()[0] for q in queries]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_prepares_the_lookup_once_per_connection(position):
    with CaptureQueriesContext(connection) as queries:
        first, second = lookup(position), lookup(position)
    assert statements(queries) == ["PREPARE", "EXECUTE", "EXECUTE"]
    assert first.pk == second.pk == position.pk and first.order.code == position.order.code


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_falls_back_to_plain_sql_when_the_statement_is_gone(position):
    lookup(position)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a connection pooler's reset does
    with CaptureQueriesContext(connection) as queries:
        assert lookup(position).pk == position.pk
        assert lookup(position).pk == position.pk
    assert statements(queries) == ["EXECUTE", "SELECT", "SELECT"]  # failed once, then plain SQL


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_prepares_nothing_inside_a_transaction_or_behind_a_transaction_pooler(position, monkeypatch):
    from django.db import transaction

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        assert lookup(position).pk == position.pk
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    with CaptureQueriesContext(connection) as pooled:
        assert lookup(position).pk == position.pk
    assert "PREPARE" not in statements(queries) + statements(pooled)
