"""With Redis (production), a join is noted in Redis and recorded as a check-in in a batch shortly after.

These tests talk to the real Redis at 127.0.0.1:6379 (database 14, keys under a prefix of
their own); pretix's test settings otherwise run without Redis.
"""

import datetime
import hashlib
import uuid

import pytest
import redis
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Checkin, Order

from pretix_innowerkstatt.videolinks import signals, tasks
from pretix_innowerkstatt.videolinks.domain import pending, ratelimit
from pretix_innowerkstatt.videolinks.domain.checkin import checkin_list, record_joins
from pretix_innowerkstatt.videolinks.domain.links import join_path

from .conftest import MEETING_URL, make_order

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_joins(settings, monkeypatch):
    """pretix configured with Redis; the flushes that joins schedule are collected, not run."""
    prefix = f"test-{uuid.uuid4().hex}:innowerkstatt:videolinks:"
    monkeypatch.setattr(pending, "KEY_PREFIX", prefix)
    # pretix's rate-limit keys have no prefix of ours: a counter of this test's own.
    monkeypatch.setattr(ratelimit, "KEY", f"{ratelimit.KEY}-{uuid.uuid4().hex}")
    # One queue per event, as these tests describe the flush; test_checkins_of_a_burst_... spreads them.
    monkeypatch.setattr(pending, "SHARDS", 1)
    settings.HAS_REDIS = True
    settings.CACHES = {
        **settings.CACHES,
        "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL},
    }
    scheduled = []
    monkeypatch.setattr(tasks.flush_joins_task, "apply_async", lambda **kw: scheduled.append(kw))
    yield scheduled
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*")) + list(client.scan_iter(match=f"*{ratelimit.KEY}*"))
    if keys:
        client.delete(*keys)


def open_time(event):
    return event.date_from - datetime.timedelta(minutes=10)


def join(client, position):
    with scopes_disabled():
        path = join_path(position)
    token = client.get(path).context["csrf_token"]
    return client.post(path, {"csrfmiddlewaretoken": token})


def checkins(event):
    with scopes_disabled():
        return Checkin.objects.filter(list=checkin_list(event), successful=True)


def flush(event):
    """What the worker does when the scheduled task is due."""
    return tasks.flush_joins_task.apply(kwargs={"event": event.pk}).get()


@pytest.fixture
def attendees(configured_event, item):
    order = make_order(configured_event, item, attendees=("Ada", "Bob", "Cy"))
    with scopes_disabled():
        return list(order.positions.order_by("positionid"))


@pytest.mark.django_db
def test_a_burst_of_joins_is_one_scheduled_flush_and_then_one_checkin_each(redis_joins, configured_event, attendees):
    client = Client(enforce_csrf_checks=True)
    joined_at = open_time(configured_event)
    with freeze_time(joined_at):
        for position in attendees:
            response = join(client, position)
            assert response.status_code == 302 and response["Location"] == MEETING_URL
        assert join(client, attendees[0]).status_code == 302  # a double click
    # Nothing recorded while the audience arrives; one flush is on its way, a few seconds later.
    assert not checkins(configured_event).exists()
    assert redis_joins == [{"kwargs": {"event": configured_event.pk}, "countdown": pending.FLUSH_DELAY_SECONDS}]
    assert set(pending.pending_joins(configured_event.pk)) == {p.pk for p in attendees}

    with freeze_time(joined_at + datetime.timedelta(seconds=12)):
        assert flush(configured_event) == 3
    recorded = checkins(configured_event)
    assert sorted(recorded.values_list("position_id", flat=True)) == sorted(p.pk for p in attendees)
    # The check-in carries the time of the join, not the time of the flush.
    assert {c.datetime for c in recorded} == {joined_at}
    assert pending.pending_joins(configured_event.pk) == {}
    with scopes_disabled():
        logged = attendees[0].order.all_logentries().filter(action_type="pretix.event.checkin")
        assert sorted(entry.parsed_data["positionid"] for entry in logged) == [1, 2, 3]  # one line per attendee

    # Joining again later is still the same attendee: no second check-in, one new flush.
    with freeze_time(joined_at + datetime.timedelta(minutes=5)):
        assert join(client, attendees[0]).status_code == 302
    with freeze_time(joined_at + datetime.timedelta(minutes=5, seconds=pending.FLUSH_DELAY_SECONDS)):
        assert flush(configured_event) == 0
    assert checkins(configured_event).count() == 3
    assert len(redis_joins) == 2


@pytest.mark.django_db
def test_refused_and_rate_limited_posts_join_nobody(redis_joins, configured_event, item, attendees):
    cancelled = make_order(configured_event, item, status=Order.STATUS_CANCELED)
    with scopes_disabled():
        cancelled_position = cancelled.positions.get()
    client = Client(enforce_csrf_checks=True)
    with freeze_time(open_time(configured_event)):
        assert join(client, cancelled_position).status_code == 403
        with scopes_disabled():
            path = join_path(attendees[0])
        token = client.get(path).context["csrf_token"]
        codes = [client.post(path, {"csrfmiddlewaretoken": token}).status_code for _ in range(12)]
    assert codes == [302] * 10 + [429, 429]
    assert set(pending.pending_joins(configured_event.pk)) == {attendees[0].pk}
    assert len(redis_joins) == 1
    # pretix's own rate limit counts (its key: the feature and a hash of the position's id).
    counter = f"pretix:ratelimit:{ratelimit.KEY}:" + hashlib.sha256(str(attendees[0].pk).encode()).hexdigest()
    assert int(redis.Redis.from_url(REDIS_URL).get(counter)) == 12


@pytest.mark.django_db
def test_a_failed_flush_leaves_the_joins_for_the_next_one(redis_joins, configured_event, attendees):
    at = open_time(configured_event)
    for position in attendees:
        pending.note_join(configured_event.pk, position.pk, at)

    def broken(event, joins):
        raise RuntimeError("database gone")

    with scopes_disabled(), pytest.raises(RuntimeError):
        pending.flush(configured_event, broken)
    assert len(pending.pending_joins(configured_event.pk)) == 3
    assert not checkins(configured_event).exists()
    # The task tries again later by itself …
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tasks, "record_joins", broken)
        with pytest.raises(RuntimeError):
            flush(configured_event)
    # … and pretix's periodic run schedules a flush for joins that wait without one.
    redis_joins.clear()
    signals.flush_waiting_joins(sender=None)
    assert redis_joins == [{"kwargs": {"event": configured_event.pk}, "countdown": pending.FLUSH_DELAY_SECONDS}]
    assert flush(configured_event) == 3
    assert checkins(configured_event).count() == 3
    redis_joins.clear()
    signals.flush_waiting_joins(sender=None)
    assert redis_joins == []  # nothing waits any more


@pytest.mark.django_db
def test_only_one_flush_per_event_at_a_time(redis_joins, configured_event, attendees):
    pending.note_join(configured_event.pk, attendees[0].pk, open_time(configured_event))
    lock = pending.connection().lock(pending.key("lock", configured_event.pk), timeout=60)
    assert lock.acquire(blocking=False)
    try:
        assert flush(configured_event) is None
    finally:
        lock.release()
    # It tries again after the delay; the joins are still there.
    assert redis_joins == [{"kwargs": {"event": configured_event.pk}, "countdown": pending.FLUSH_DELAY_SECONDS}]
    assert set(pending.pending_joins(configured_event.pk)) == {attendees[0].pk}
    assert flush(configured_event) == 1


@pytest.mark.django_db
def test_a_ticket_cancelled_before_the_flush_is_not_checked_in(redis_joins, configured_event, attendees):
    from pretix.base.services.orders import cancel_order

    at = open_time(configured_event)
    pending.note_join(configured_event.pk, attendees[0].pk, at)
    with scopes_disabled():
        cancel_order(attendees[0].order.pk, send_mail=False)
    assert flush(configured_event) == 0
    assert not checkins(configured_event).exists()
    assert pending.pending_joins(configured_event.pk) == {}


@pytest.mark.django_db
def test_joins_of_a_deleted_event_are_forgotten(redis_joins, configured_event, attendees):
    pending.note_join(configured_event.pk, attendees[0].pk, open_time(configured_event))
    pending.connection().delete(pending.key("flush", configured_event.pk))
    with scopes_disabled():
        missing = configured_event.pk + 1000
    pending.note_join(missing, 1, open_time(configured_event))
    pending.connection().delete(pending.key("flush", missing))
    signals.flush_waiting_joins(sender=None)
    assert redis_joins == [{"kwargs": {"event": configured_event.pk}, "countdown": pending.FLUSH_DELAY_SECONDS}]
    assert pending.pending_joins(missing) == {}


@pytest.mark.django_db
def test_record_joins_checks_in_once_with_few_queries(configured_event, item, django_assert_max_num_queries):
    order = make_order(configured_event, item, attendees=[f"A{i}" for i in range(20)])
    at = open_time(configured_event)
    with scopes_disabled():
        positions = list(order.positions.all())
        with django_assert_max_num_queries(20 * 12):
            assert record_joins(configured_event, {p.pk: at for p in positions}) == 20
        assert record_joins(configured_event, {p.pk: at for p in positions}) == 0
    assert checkins(configured_event).count() == 20


@pytest.mark.django_db
def test_checkins_of_a_burst_are_recorded_by_flushes_side_by_side(redis_joins, configured_event, item, monkeypatch):
    """Each shard of the event's joins has its own flush, so the worker's processes share the burst."""
    monkeypatch.setattr(pending, "SHARDS", 2)
    order = make_order(configured_event, item, attendees=("Ada", "Bob", "Cy", "Dee"))
    with scopes_disabled():
        positions = list(order.positions.order_by("pk"))
    client = Client(enforce_csrf_checks=True)
    with freeze_time(open_time(configured_event)):
        for position in positions:
            assert join(client, position).status_code == 302
    shards = sorted(kw["kwargs"].get("shard", 0) for kw in redis_joins)
    assert shards == [0, 1]  # one flush per shard, shard 0 with the task arguments from before shards
    first = {p.pk for p in positions if pending.shard_of(p.pk) == 0}
    assert set(pending.pending_joins(configured_event.pk, 0)) == first
    assert tasks.flush_joins_task.apply(kwargs={"event": configured_event.pk}).get() == len(first)
    assert {c.position_id for c in checkins(configured_event)} == first
    # The other shard waits for its own flush; pretix's periodic run finds it if that got lost.
    redis_joins.clear()
    pending.connection().delete(pending.shard_key("flush", configured_event.pk, 1))
    signals.flush_waiting_joins(sender=None)
    assert redis_joins == [
        {"kwargs": {"event": configured_event.pk, "shard": 1}, "countdown": pending.FLUSH_DELAY_SECONDS}
    ]
    assert tasks.flush_joins_task.apply(**redis_joins[0]).get() == len(positions) - len(first)
    assert checkins(configured_event).count() == len(positions)
    assert pending.pending_joins(configured_event.pk) == {}
    assert not pending.connection().sismember(pending.key("events"), configured_event.pk)


@pytest.mark.django_db
def test_a_due_flush_waits_while_the_burst_lasts_but_not_longer_than_its_limit(
    redis_joins, configured_event, attendees
):
    """Recording check-ins would take CPU from the redirects: the flush starts when the burst pauses."""
    at = open_time(configured_event)
    with freeze_time(at) as frozen:
        pending.note_join(configured_event.pk, attendees[0].pk, at)
        frozen.tick(datetime.timedelta(seconds=0.5))
        assert flush(configured_event) is None  # somebody joined half a second ago
        due = (at + datetime.timedelta(seconds=0.5)).timestamp()
        assert redis_joins == [
            {"kwargs": {"event": configured_event.pk, "due": due}, "countdown": pending.QUIET_SECONDS}
        ]
        assert not checkins(configured_event).exists()
        # Joins keep arriving: after MAX_WAIT_SECONDS since it was due, it records anyway.
        frozen.tick(datetime.timedelta(seconds=pending.MAX_WAIT_SECONDS))
        pending.note_join(
            configured_event.pk, attendees[1].pk, at + datetime.timedelta(seconds=pending.MAX_WAIT_SECONDS)
        )
        assert tasks.flush_joins_task.apply(**redis_joins[-1]).get() == 2
    assert checkins(configured_event).count() == 2

    # Once the burst has paused, a due flush records at once.
    with freeze_time(at + datetime.timedelta(minutes=5)):
        pending.note_join(configured_event.pk, attendees[2].pk, at)
        assert flush(configured_event) == 1
