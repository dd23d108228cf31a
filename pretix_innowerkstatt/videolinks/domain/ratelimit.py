"""A small per-position counter that limits join POSTs: Redis when pretix has it, else pretix's cache."""

from django.conf import settings
from django.core.cache import cache

JOIN_POSTS_PER_WINDOW = 10
WINDOW_SECONDS = 60


def _key(position_pk):
    return f"innowerkstatt:videolinks:join-posts:{position_pk}"


def count_join_post(position_pk) -> int:
    """Counts this POST and returns how many the position made in the current window."""
    if settings.HAS_REDIS:
        from .pending import count_join_post as count_in_redis

        return count_in_redis(position_pk)
    key = _key(position_pk)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or a cache that stores nothing
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count


def allowed(count: int) -> bool:
    return count <= JOIN_POSTS_PER_WINDOW
