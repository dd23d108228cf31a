"""Joins noted in Redis while the audience arrives, recorded as check-ins a few seconds later.

At the start of an event hundreds of attendees click "Join now" within seconds. Recording each
join as a check-in right away (pretix's ``perform_checkin``: row locks, log entry, webhooks)
would compete for the CPUs with the very requests that redirect the attendees. So with Redis
(pretix's ``[redis]`` configuration) a join POST only notes the join, together with the
rate-limit count, in one pipelined Redis round trip (keys under ``KEY_PREFIX``):

``join-posts:<position>``  the rate-limit counter of the position (pretix's pattern: SET NX EX + INCR)
``pending:<event>``        hash position id -> time of its first join not yet recorded (HSETNX)
``flush:<event>``          set (NX) while a flush of the event is scheduled; the POST that sets it
                           schedules ``flush_joins_task`` with a countdown, so a burst of any size
                           costs one task per ``FLUSH_DELAY_SECONDS``
``events``                 ids of events with pending joins, for the periodic safety net

The flush (``flush``) takes a per-event lock, clears the flag (joins from now on schedule the next
flush), reads the pending joins, records them with ``record_joins`` in chunks and removes from
Redis only what it has recorded. Nothing is lost: if a flush fails or its worker dies, the joins
stay in Redis for the next flush – scheduled by the next join, by the task's own retry, or by
pretix's periodic run (``schedule_waiting_flushes``).
"""

import datetime
import logging

import dateutil.parser
from django.conf import settings

from . import ratelimit

logger = logging.getLogger(__name__)

KEY_PREFIX = "pretix_innowerkstatt:videolinks:"
# Joins of the first seconds are recorded together; attendees never wait for it.
FLUSH_DELAY_SECONDS = 10
# A flag whose task got lost expires; the next join then schedules a flush again.
FLAG_SECONDS = 120
# Longer than any flush may take; a dead worker's lock expires after it.
LOCK_SECONDS = 900
CHUNK = 100


def available() -> bool:
    """Joins are deferred only with Redis; without it every join is recorded by its own task."""
    return settings.HAS_REDIS


def connection():
    from django_redis import get_redis_connection

    return get_redis_connection("redis")


def key(*parts) -> str:
    return KEY_PREFIX + ":".join(str(p) for p in parts)


def note_join(event_pk: int, position_pk: int, at: datetime.datetime) -> tuple[int, bool]:
    """Counts this join POST and notes the join, in one round trip.

    Returns the number of join POSTs of the position in the current rate-limit window and
    whether the caller has to schedule the event's flush (nobody else has).
    """
    posts_key = key("join-posts", position_pk)
    pipe = connection().pipeline(transaction=False)
    pipe.set(posts_key, 0, nx=True, ex=ratelimit.WINDOW_SECONDS)
    pipe.incr(posts_key)
    pipe.hsetnx(key("pending", event_pk), position_pk, at.isoformat())
    pipe.sadd(key("events"), event_pk)
    pipe.set(key("flush", event_pk), 1, nx=True, ex=FLAG_SECONDS)
    _, posts, _, _, flush_to_schedule = pipe.execute()
    return posts, bool(flush_to_schedule)


def count_join_post(position_pk: int) -> int:
    """Counts a join POST that joins nobody (a refused one) on the same counter."""
    posts_key = key("join-posts", position_pk)
    pipe = connection().pipeline(transaction=False)
    pipe.set(posts_key, 0, nx=True, ex=ratelimit.WINDOW_SECONDS)
    pipe.incr(posts_key)
    return pipe.execute()[1]


def pending_joins(event_pk: int) -> dict[int, datetime.datetime]:
    raw = connection().hgetall(key("pending", event_pk))
    return {int(pk): dateutil.parser.isoparse(at.decode()) for pk, at in raw.items()}


def flush(event, record_joins) -> int | None:
    """Records the event's pending joins with ``record_joins(event, {position id: time})``.

    Returns how many joins were recorded, or None when another flush of the event is running:
    then the caller has to try again later (joins noted after that flush read them wait for it).
    """
    redis = connection()
    lock = redis.lock(key("lock", event.pk), timeout=LOCK_SECONDS)
    if not lock.acquire(blocking=False):
        return None
    try:
        redis.delete(key("flush", event.pk))
        joins = pending_joins(event.pk)
        recorded = 0
        ids = sorted(joins)
        for start in range(0, len(ids), CHUNK):
            chunk = {pk: joins[pk] for pk in ids[start : start + CHUNK]}
            recorded += record_joins(event, chunk)
            # Only what is recorded leaves Redis; a later join of the same attendee was noted
            # with HSETNX on the same field and is the same join.
            redis.hdel(key("pending", event.pk), *chunk)
        _forget_if_empty(keys=[key("pending", event.pk), key("events")], args=[event.pk], client=redis)
        return recorded
    finally:
        lock.release()


# Atomic, so that a join noted meanwhile never loses the event's place in the safety net.
_FORGET_IF_EMPTY = """
if redis.call('EXISTS', KEYS[1]) == 0 then
    return redis.call('SREM', KEYS[2], ARGV[1])
end
return 0
"""


def _forget_if_empty(keys, args, client):
    return client.eval(_FORGET_IF_EMPTY, len(keys), *keys, *args)


def flush_running_or_scheduled(event_pk: int) -> bool:
    redis = connection()
    return bool(redis.exists(key("flush", event_pk)) or redis.exists(key("lock", event_pk)))


def events_waiting() -> list[int]:
    """Events with joins still waiting and no flush on its way (the periodic safety net)."""
    redis = connection()
    waiting = []
    for raw in redis.smembers(key("events")):
        event_pk = int(raw)
        if _forget_if_empty(keys=[key("pending", event_pk), key("events")], args=[event_pk], client=redis):
            continue
        if not flush_running_or_scheduled(event_pk):
            waiting.append(event_pk)
    return waiting


def forget_event(event_pk: int):
    """An event that no longer exists has nothing to record."""
    redis = connection()
    redis.delete(key("pending", event_pk), key("flush", event_pk))
    redis.srem(key("events"), event_pk)
