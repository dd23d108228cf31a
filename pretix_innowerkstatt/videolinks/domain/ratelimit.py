"""At most ten join POSTs per position and minute: a double click is fine, a script hammering a link is not.

With Redis this is pretix's own rate limit (``pretix.helpers.ratelimit.rate_limit``); the short
way of the join POST counts on the same counter with the same commands inside the one Redis
round trip that also notes the join (``counter_key``, ``pending.count_and_note``). pretix's
helper never limits without Redis; then pretix's cache counts if it is a real one (memcached),
and with pretix's default (a cache that stores nothing) nothing counts: the join then records a
check-in only for a ticket not checked in yet (see ``attendee_views.note_join``), so repeated
POSTs cost a query each but no task.
"""

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from ...compat import rate_limit, rate_limit_key
from .outage import redis_failed

JOIN_POSTS_PER_WINDOW = 10
WINDOW_SECONDS = 60
KEY = "innowerkstatt_join"


def counter_key(position_pk: int) -> str:
    """The Redis key of pretix's rate-limit counter of the position's join POSTs."""
    return rate_limit_key(KEY, position_pk)


def _cache_key(position_pk):
    return f"innowerkstatt:videolinks:join-posts:{position_pk}"


def limited(position_pk: int) -> bool:
    """Counts this POST; whether the position made more than ``JOIN_POSTS_PER_WINDOW`` in the window.

    Never raises for an unreachable Redis: a join is let through rather than refused.
    """
    if settings.HAS_REDIS:
        try:
            return rate_limit(KEY, position_pk, max_num=JOIN_POSTS_PER_WINDOW, expire_time=WINDOW_SECONDS)
        except RedisError as e:
            redis_failed(e)
            return False
    if not getattr(settings, "REAL_CACHE_USED", False):
        return False
    key = _cache_key(position_pk)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > JOIN_POSTS_PER_WINDOW
