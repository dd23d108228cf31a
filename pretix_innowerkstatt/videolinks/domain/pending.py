"""Joins noted in Redis while the audience arrives, recorded as check-ins a few seconds later.

At the start of an event hundreds of attendees click "Join now" within seconds. Recording each
join as a check-in right away (pretix's ``perform_checkin``: row locks, log entry, webhooks)
would compete for the CPUs with the very requests that redirect the attendees. So with Redis
(pretix's ``[redis]`` configuration) a join POST only notes the join. On the short way
(``count_and_note``) one Lua script counts the POST on pretix's rate-limit counter (see
ratelimit.py) and, unless the ticket is over the limit, notes the join: one Redis round trip per
POST. pretix's event handling (``JoinView``) counts with pretix's helper and notes with
``note_join`` (one pipeline). Keys under ``KEY_PREFIX``:

``pending:<event>``        hash position id -> time of its first join not yet recorded (HSETNX)
``flush:<event>``          set (NX) while a flush of the event is scheduled; the POST that sets it
                           schedules ``flush_joins_task`` with a countdown, so a burst of any size
                           costs one task per ``FLUSH_DELAY_SECONDS``
``lock:<event>``           held while a flush of the event runs
``last:<event>``           time of the event's latest join: a due flush waits while the burst lasts
``events``                 ids of events with pending joins, for the periodic safety net

The joins of an event are spread by position id over ``SHARDS`` such queues (shard 0 uses the
names above, shard 1 ``pending:<event>:1`` and so on), each flushed by a task of its own: the
Celery worker's processes record a burst's check-ins side by side, and the last attendee's
check-in follows the burst by seconds rather than by the time one process needs for all of them.

A flush (``flush``) takes its shard's lock, clears the flag (joins from now on schedule the next
flush), reads the pending joins, records them with ``record_joins`` in chunks and removes from
Redis only what it has recorded. Nothing is lost: if a flush fails or its worker dies, the joins
stay in Redis for the next flush – scheduled by the next join, by the task's own retry, or by
pretix's periodic run (``schedule_waiting_flushes``).
"""

import datetime
import logging

import dateutil.parser
from django.conf import settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "pretix_innowerkstatt:videolinks:"
# Joins of the first seconds are recorded together; attendees never wait for it. Short, so that
# the check-ins of a burst start while it lasts: the last one then follows the burst by seconds.
FLUSH_DELAY_SECONDS = 2
# Flushes of one event that may run side by side (one per Celery worker process is enough).
SHARDS = 2
# A due flush waits while the burst lasts (somebody joined within QUIET_SECONDS), so that the
# worker does not take CPU from the redirects, but never longer than MAX_WAIT_SECONDS.
QUIET_SECONDS = 1
MAX_WAIT_SECONDS = 20
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


def shard_of(position_pk: int) -> int:
    return position_pk % SHARDS


def shard_key(kind: str, event_pk: int, shard: int) -> str:
    # Shard 0 keeps the names from before shards: joins noted before an upgrade are flushed too.
    return key(kind, event_pk) if shard == 0 else key(kind, event_pk, shard)


def pending_keys(event_pk: int) -> list[str]:
    return [shard_key("pending", event_pk, shard) for shard in range(SHARDS)]


def note_join(event_pk: int, position_pk: int, at: datetime.datetime) -> int | None:
    """Notes the join for its shard's next flush; returns the shard whose flush the caller schedules, or None.

    None: a flush of that shard is on its way already. Raises redis' ``RedisError`` when Redis is
    unreachable (the caller records the join otherwise).
    """
    shard = shard_of(position_pk)
    pipe = connection().pipeline(transaction=False)
    pipe.hsetnx(shard_key("pending", event_pk, shard), position_pk, at.isoformat())
    pipe.sadd(key("events"), event_pk)
    pipe.set(shard_key("flush", event_pk, shard), 1, nx=True, ex=FLAG_SECONDS)
    pipe.set(key("last", event_pk), at.timestamp(), ex=FLAG_SECONDS)
    _, _, flush_to_schedule, _ = pipe.execute()
    return shard if flush_to_schedule else None


# KEYS: pretix's rate-limit counter of the position, the shard's pending hash, the set of events,
# the shard's flush flag, the event's last join. ARGV: window seconds, posts allowed per window,
# position id, join time (ISO), event id, flag seconds, join time (timestamp). Returns
# {posts counted in the window, 1 if the caller schedules the shard's flush}; nothing is noted
# for a POST over the limit. The counter commands are pretix's rate limit's (compat.rate_limit_key).
_COUNT_AND_NOTE = """
redis.call('SET', KEYS[1], 0, 'NX', 'EX', ARGV[1])
local posts = redis.call('INCR', KEYS[1])
if posts > tonumber(ARGV[2]) then
    return {posts, 0}
end
redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4])
redis.call('SADD', KEYS[3], ARGV[5])
local flag = redis.call('SET', KEYS[4], 1, 'NX', 'EX', ARGV[6])
redis.call('SET', KEYS[5], ARGV[7], 'EX', ARGV[6])
if flag then
    return {posts, 1}
end
return {posts, 0}
"""
_script = None  # registered once per process: EVALSHA, loaded again where Redis does not know it


def count_and_note(
    event_pk: int, position_pk: int, at: datetime.datetime, *, counter: str, allowed: int, window: int
) -> tuple[bool, int | None]:
    """Counts the join POST on ``counter``; notes the join unless that makes more than ``allowed`` in ``window`` s.

    One Redis round trip. Returns ``(over the limit, shard whose flush the caller schedules or None)``;
    over the limit nothing is noted. Raises redis' ``RedisError`` when Redis is unreachable.
    """
    shard = shard_of(position_pk)
    global _script
    redis = connection()
    if _script is None:
        _script = redis.register_script(_COUNT_AND_NOTE)
    keys = [
        counter,
        shard_key("pending", event_pk, shard),
        key("events"),
        shard_key("flush", event_pk, shard),
        key("last", event_pk),
    ]
    args = [window, allowed, position_pk, at.isoformat(), event_pk, FLAG_SECONDS, at.timestamp()]
    posts, flush_to_schedule = _script(keys=keys, args=args, client=redis)
    return posts > allowed, shard if flush_to_schedule else None


def burst_running(event_pk: int, at: datetime.datetime) -> bool:
    """Whether somebody joined the event within ``QUIET_SECONDS`` before ``at``."""
    last = connection().get(key("last", event_pk))
    return last is not None and 0 <= at.timestamp() - float(last) < QUIET_SECONDS


def pending_joins(event_pk: int, shard: int | None = None) -> dict[int, datetime.datetime]:
    """The joins noted and not recorded yet, of one shard or (None) of all."""
    redis = connection()
    keys = pending_keys(event_pk) if shard is None else [shard_key("pending", event_pk, shard)]
    joins = {}
    for name in keys:
        joins.update({int(pk): dateutil.parser.isoparse(at.decode()) for pk, at in redis.hgetall(name).items()})
    return joins


def flush(event, record_joins, shard: int = 0) -> int | None:
    """Records the shard's pending joins of ``event`` with ``record_joins(event, {position id: time})``.

    Returns how many joins were recorded, or None when another flush of the shard is running:
    then the caller has to try again later (joins noted after that flush read them wait for it).
    """
    redis = connection()
    lock = redis.lock(shard_key("lock", event.pk, shard), timeout=LOCK_SECONDS)
    if not lock.acquire(blocking=False):
        return None
    try:
        redis.delete(shard_key("flush", event.pk, shard))
        joins = pending_joins(event.pk, shard)
        recorded = 0
        ids = sorted(joins)
        for start in range(0, len(ids), CHUNK):
            chunk = {pk: joins[pk] for pk in ids[start : start + CHUNK]}
            recorded += record_joins(event, chunk)
            # Only what is recorded leaves Redis; a later join of the same attendee was noted
            # with HSETNX on the same field and is the same join.
            redis.hdel(shard_key("pending", event.pk, shard), *chunk)
        _forget_if_empty(event.pk, client=redis)
        return recorded
    finally:
        lock.release()


# Atomic, so that a join noted meanwhile never loses the event's place in the safety net:
# KEYS are the event's pending hashes and the set of events, ARGV[1] the event.
_FORGET_IF_EMPTY = """
for i = 1, #KEYS - 1 do
    if redis.call('EXISTS', KEYS[i]) == 1 then
        return 0
    end
end
return redis.call('SREM', KEYS[#KEYS], ARGV[1])
"""


def _forget_if_empty(event_pk, client):
    keys = [*pending_keys(event_pk), key("events")]
    return client.eval(_FORGET_IF_EMPTY, len(keys), *keys, event_pk)


def flush_running_or_scheduled(event_pk: int, shard: int = 0) -> bool:
    redis = connection()
    return bool(redis.exists(shard_key("flush", event_pk, shard)) or redis.exists(shard_key("lock", event_pk, shard)))


def events_waiting() -> list[tuple[int, int]]:
    """(event, shard) with joins still waiting and no flush on its way (the periodic safety net)."""
    redis = connection()
    waiting = []
    for raw in redis.smembers(key("events")):
        event_pk = int(raw)
        if _forget_if_empty(event_pk, client=redis):
            continue
        for shard in range(SHARDS):
            if redis.exists(shard_key("pending", event_pk, shard)) and not flush_running_or_scheduled(event_pk, shard):
                waiting.append((event_pk, shard))
    return waiting


def forget_event(event_pk: int):
    """An event that no longer exists has nothing to record."""
    redis = connection()
    redis.delete(*pending_keys(event_pk), *(shard_key("flush", event_pk, shard) for shard in range(SHARDS)))
    redis.srem(key("events"), event_pk)
