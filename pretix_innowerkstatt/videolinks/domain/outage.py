"""Trouble on the join path (Redis, the task queue) is logged once a minute per process, not once per join.

At the start of an event a thousand joins arrive within seconds; one log line per join would
bury the log (and cost the joins time) while saying nothing new.
"""

import logging
import time

logger = logging.getLogger("pretix_innowerkstatt.videolinks")

LOG_EVERY_SECONDS = 60
MESSAGES = {
    "redis": "Redis is unreachable (%s): join links keep working, each join's check-in is recorded by a task of "
    "its own and the rate limit is off until Redis is back.",
    "queue": "The check-in task of a join could not be queued (%s): the check-in is recorded during the request.",
    "flush": "The batch of check-ins could not be scheduled (%s): the joins wait in Redis for pretix's periodic run.",
    "record": "The check-in of a join could not be recorded (%s): the attendee was let in, the check-in list "
    "misses the join.",
}
_last_logged = {}


def report(kind: str, error: Exception):
    """Log ``MESSAGES[kind]`` with ``error``, unless it was logged in the last minute."""
    at = time.monotonic()
    last = _last_logged.get(kind)
    if last is not None and at - last < LOG_EVERY_SECONDS:
        return
    _last_logged[kind] = at
    logger.warning(MESSAGES[kind] + " (Logged at most once per minute.)", error)


def redis_failed(error: Exception):
    report("redis", error)
