"""What one join POST on the short way costs: its SQL statements and its Redis round trips.

At the start of an event the whole audience sends this POST within seconds; every round trip is
paid a thousand times. With Redis (production) the short way makes one SQL statement of its own
(the ticket with order, product, date, event and organiser) and one Redis round trip of its own:
a Lua script that counts the POST on pretix's rate-limit counter and notes the join. pretix's
settings come from its cache (a Redis MGET in production; the database in the test settings).
"""

import hashlib

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from freezegun import freeze_time
from redis.connection import AbstractConnection

from pretix_innowerkstatt.videolinks.domain import pending, ratelimit
from pretix_innowerkstatt.videolinks.domain.links import join_path

from .conftest import MEETING_URL, csrf_token, make_order, open_time
from .test_deferred_checkins import REDIS_URL, redis_joins  # noqa: F401 (the fixture)


@pytest.fixture
def redis_round_trips(monkeypatch):
    """The Redis commands sent, one entry per round trip (a pipeline or a script is one)."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counted(conn, command, check_health=True):
        parts = command if isinstance(command, list) else [command]
        first = bytes(parts[0]) if not isinstance(parts[0], bytes | str) else parts[0]
        first = first.encode() if isinstance(first, str) else first
        sent.append(first.split(b"\r\n")[2].decode())  # *<n> $<len> <COMMAND>: the first command's name
        return original(conn, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


@pytest.fixture
def attendees(configured_event, item):
    order = make_order(configured_event, item, attendees=("Ada", "Bob", "Cy"))
    with scopes_disabled():
        return [(p, join_path(p)) for p in order.positions.order_by("positionid")]


def counter_value(position):
    counter = f"pretix:ratelimit:{ratelimit.KEY}:" + hashlib.sha256(str(position.pk).encode()).hexdigest()
    return int(redis.Redis.from_url(REDIS_URL).get(counter) or 0)


@pytest.mark.django_db
def test_a_join_post_is_one_sql_statement_and_one_redis_round_trip(
    redis_joins,  # noqa: F811
    redis_round_trips,
    configured_event,
    attendees,
):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client)
    with freeze_time(open_time(configured_event)):
        # The first join of the burst also schedules the flush (collected here, not run); its
        # process learns the event's work-phase times (one query a minute).
        assert client.post(attendees[0][1], {"csrfmiddlewaretoken": token}).status_code == 302
        redis_round_trips.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(attendees[1][1], {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == MEETING_URL
    assert redis_round_trips == ["EVALSHA"], "one round trip: counted and noted by one script"
    # pretix's: the settings of event, organiser and installation and the request's domain (older
    # releases also look up the event's alternative domains).
    pretix_tables = (
        "settingsstore",
        '"pretixmultidomain_knowndomain"',
        '"pretixmultidomain_alternativedomainassignment"',
    )
    statements = [q["sql"] for q in queries.captured_queries]
    own = [sql for sql in statements if not any(t in sql.split(" FROM ")[1].split()[0] for t in pretix_tables)]
    assert len(own) == 1 and 'FROM "pretixbase_orderposition"' in own[0], statements
    # What the round trip did: the POST counted on pretix's own counter, the join noted.
    assert counter_value(attendees[1][0]) == 1
    assert set(pending.pending_joins(configured_event.pk)) == {attendees[0][0].pk, attendees[1][0].pk}


@pytest.mark.django_db
def test_a_post_over_the_limit_is_counted_but_notes_no_join(
    redis_joins,  # noqa: F811
    redis_round_trips,
    configured_event,
    attendees,
):
    position, path = attendees[0]
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client)
    with freeze_time(open_time(configured_event)):
        allowed = ratelimit.JOIN_POSTS_PER_WINDOW
        codes = [client.post(path, {"csrfmiddlewaretoken": token}).status_code for _ in range(allowed)]
        pending.flush(configured_event, lambda event, joins: len(joins))  # the worker took the noted join
        redis_round_trips.clear()
        over = client.post(path, {"csrfmiddlewaretoken": token})
    assert codes == [302] * ratelimit.JOIN_POSTS_PER_WINDOW
    assert over.status_code == 429
    assert "EVALSHA" in redis_round_trips and "EVAL" not in redis_round_trips
    # Counted once (the page of pretix's handling does not count it again), and nothing noted.
    assert counter_value(position) == ratelimit.JOIN_POSTS_PER_WINDOW + 1
    assert pending.pending_joins(configured_event.pk) == {}


@pytest.mark.django_db
def test_the_script_is_loaded_again_when_redis_forgot_it(
    redis_joins,  # noqa: F811
    configured_event,
    attendees,
):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client)
    with freeze_time(open_time(configured_event)):
        assert client.post(attendees[0][1], {"csrfmiddlewaretoken": token}).status_code == 302
        redis.Redis.from_url(REDIS_URL).script_flush()  # a restarted Redis
        assert client.post(attendees[1][1], {"csrfmiddlewaretoken": token}).status_code == 302
    assert set(pending.pending_joins(configured_event.pk)) == {attendees[0][0].pk, attendees[1][0].pk}
