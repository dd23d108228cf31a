"""Reusing what was rendered from an unchanged agenda, within one process.

An agenda is read far more often than it changes: every view of the event page and every mail
renders it. ``agenda_version`` is one cheap aggregate query that changes whenever anything shown
changes through the editor, the API, an import, a shift or a copy (item count, last change and
change counter of the items; count, newest id and last change of their speakers). Rendered HTML
and text are kept per version for at most ``TTL`` seconds, which also bounds how long an
unusual change that no aggregate notices (two people swapping roles without the item being
saved) could stay unseen.
"""

import threading
import time
from collections import OrderedDict

from django.db.models import Count, Max, Q
from django.utils.translation import get_language

from .models import AgendaItem

TTL = 60
KEPT = 512
_entries = OrderedDict()
_lock = threading.Lock()
# Counted up by ``forget_event``; part of ``context_key``, so older renderings are no longer found.
_generations = {}


def agenda_version(event, subevent=None) -> tuple:
    """A stamp of the agenda shown for ``event``/``subevent`` (own items or the event's)."""
    dates = Q(subevent__isnull=True) | (Q(subevent=subevent) if subevent is not None else Q(pk__in=[]))
    rows = (
        AgendaItem.objects.filter(event=event)
        .filter(dates)
        .values("subevent_id")
        .annotate(
            items=Count("id", distinct=True),
            changed=Max("updated"),
            sequence=Max("sequence"),
            links=Count("speaker_links"),
            newest_link=Max("speaker_links__id"),
            speaker_changed=Max("speaker_links__speaker__updated"),
        )
        .order_by("subevent_id")
    )
    return tuple(tuple(row.values()) for row in rows)


def context_key(event, subevent=None) -> tuple:
    """What else a rendering depends on: language, time zone, the starts an agenda is moved between."""
    return (
        event.pk,
        event.date_from,
        subevent.pk if subevent is not None else None,
        subevent.date_from if subevent is not None else None,
        get_language(),
        str(event.timezone),
        _generations.get(event.pk, 0),
    )


def remembered(key, compute):
    """``compute()``'s result for ``key``, reused for ``TTL`` seconds."""
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
    if entry is not None and now - entry[0] < TTL:
        return entry[1]
    value = compute()
    with _lock:
        _entries[key] = (now, value)
        _entries.move_to_end(key)
        while len(_entries) > KEPT:
            _entries.popitem(last=False)
    return value


def forget_event(event_pk) -> None:
    """Stop reusing this process's renderings of one event (they age out of the LRU)."""
    with _lock:
        _generations[event_pk] = _generations.get(event_pk, 0) + 1


def forget_all():
    with _lock:
        _entries.clear()
        _generations.clear()
