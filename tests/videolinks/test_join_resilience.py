"""Joins keep working when Redis is unreachable or pretix runs without a real cache."""

import datetime
import logging

import pytest
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Checkin

from pretix_innowerkstatt.videolinks import attendee_views, tasks
from pretix_innowerkstatt.videolinks.domain import outage, pending

from .conftest import MEETING_URL, csrf_token, make_order, open_time


def closed_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


REDIS_BACK = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_unreachable(settings, monkeypatch):
    """pretix configured with Redis (as in production), but Redis does not answer.

    Yields the check-in tasks the joins queued, for the worker (pretix's test settings would run
    them at once, and pretix's own check-in needs Redis while it is configured).
    """
    settings.HAS_REDIS = True
    settings.CACHES = {
        **settings.CACHES,
        "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"},
    }
    monkeypatch.setattr(outage, "_last_logged", {})
    flushes, queued = [], []
    monkeypatch.setattr(tasks.flush_joins_task, "apply_async", lambda **kw: flushes.append(kw))
    monkeypatch.setattr(attendee_views.record_join_task, "apply_async", lambda **kw: queued.append(kw))
    yield queued
    assert flushes == []  # nothing was noted in Redis, so no batch either


def run_queued_tasks_with_redis_back(settings, queued):
    """The worker gets to the tasks once Redis answers again."""
    settings.CACHES = {**settings.CACHES, "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_BACK}}
    for task in queued:
        tasks.record_join_task.apply(**task).get()


@pytest.fixture
def task_calls(monkeypatch):
    """Counts the check-in tasks queued by joins (pretix's test settings run them at once)."""
    calls = []
    real = tasks.record_join_task.apply_async

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(attendee_views.record_join_task, "apply_async", spy)
    return calls


def redis_warnings(caplog):
    return [r for r in caplog.records if "Redis is unreachable" in r.getMessage()]


def checkins(order):
    with scopes_disabled():
        return list(Checkin.all.filter(position__order=order, successful=True))


@pytest.mark.django_db
def test_joins_redirect_and_are_checked_in_while_redis_is_unreachable(
    route, redis_unreachable, configured_event, item, caplog, settings
):
    client, path_of = route
    order = make_order(configured_event, item, attendees=("Ada", "Bob", "Cy"))
    with scopes_disabled():
        positions = list(order.positions.order_by("positionid"))
        paths = [path_of(p) for p in positions]
    with freeze_time(open_time(configured_event)), caplog.at_level(logging.WARNING):
        token = csrf_token(client)
        for path in paths + paths[:1]:  # the first attendee clicks twice
            response = client.post(path, {"csrfmiddlewaretoken": token})
            assert response.status_code == 302 and response["Location"] == MEETING_URL
    assert len(redis_warnings(caplog)) == 1  # not one per join
    # Each join went the task path; the worker records them once Redis answers again.
    assert sorted({task["kwargs"]["position_id"] for task in redis_unreachable}) == [p.pk for p in positions]
    run_queued_tasks_with_redis_back(settings, redis_unreachable)
    assert sorted(c.position_id for c in checkins(order)) == [p.pk for p in positions]


@pytest.mark.django_db
def test_redis_trouble_is_logged_once_per_minute(redis_unreachable, configured_event, item, caplog):
    order = make_order(configured_event, item, attendees=("Ada", "Bob"))
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
    at = open_time(configured_event)
    with caplog.at_level(logging.WARNING), scopes_disabled(), freeze_time(at) as frozen:
        attendee_views.note_join(configured_event, ada, at)
        frozen.tick(datetime.timedelta(seconds=59))
        attendee_views.note_join(configured_event, bob, at)
        assert len(redis_warnings(caplog)) == 1
        frozen.tick(datetime.timedelta(seconds=2))
        attendee_views.note_join(configured_event, bob, at)
    assert len(redis_warnings(caplog)) == 2
    assert len(redis_unreachable) == 3


@pytest.mark.django_db
def test_without_redis_a_join_is_recorded_in_the_request_when_no_task_can_be_queued(
    configured_event, item, monkeypatch, caplog
):
    order = make_order(configured_event, item)
    with scopes_disabled():
        position = order.positions.get()

    def queue_down(**kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(attendee_views.record_join_task, "apply_async", queue_down)
    monkeypatch.setattr(outage, "_last_logged", {})
    with scopes_disabled(), caplog.at_level(logging.WARNING):
        attendee_views.note_join(configured_event, position, open_time(configured_event))
    assert len(checkins(order)) == 1
    assert any("could not be queued" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_without_a_real_cache_a_checked_in_ticket_queues_no_more_checkin_tasks(
    route, configured_event, position, settings, task_calls
):
    """pretix's default cache stores nothing: the rate limit cannot count, the check-in list does."""
    settings.CACHES = {"default": {"BACKEND": "pretix.helpers.cache.CustomDummyCache"}}
    settings.REAL_CACHE_USED = False
    assert not pending.available()
    client, path_of = route
    path = path_of(position)
    with freeze_time(open_time(configured_event)):
        token = csrf_token(client)
        codes = [client.post(path, {"csrfmiddlewaretoken": token}).status_code for _ in range(12)]
    assert codes == [302] * 12  # nothing counts, so nothing is limited; but …
    assert len(task_calls) == 1  # … only the first POST queued a check-in
    assert len(checkins(position.order)) == 1
