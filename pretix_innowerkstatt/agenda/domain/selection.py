"""Which agenda items belong to an event or to one date of a series."""

import copy as _copy

from django.db.models import Prefetch

from ..models import AgendaItem, AgendaItemSpeaker
from .shifting import time_between


def _with_speakers(queryset):
    # Two queries in all, however many items and speakers: items, then speaker links with speakers.
    return queryset.prefetch_related(
        Prefetch("speaker_links", queryset=AgendaItemSpeaker.objects.select_related("speaker"))
    )


def agenda_items(event, subevent=None) -> list[AgendaItem]:
    """The agenda shown for ``event`` or for one ``subevent`` of it, ordered by time.

    A date without agenda items of its own shows the event's agenda (the items with no date).
    """
    items = AgendaItem.objects.filter(event=event)
    if subevent is not None:
        own = list(_with_speakers(items.filter(subevent=subevent)))
        if own:
            return own
    return list(_with_speakers(items.filter(subevent__isnull=True)))


def speakers_of(items) -> list:
    """Distinct speakers of ``items`` in order of first appearance (uses the prefetched links)."""
    seen, result = set(), []
    for item in items:
        for link in item.speaker_links.all():
            if link.speaker_id not in seen:
                seen.add(link.speaker_id)
                result.append(link.speaker)
    return result


def dated_agenda_items(event, subevent=None) -> list[AgendaItem]:
    """``agenda_items``, with the event's agenda moved to the date's start where a date falls back to it.

    A series' own agenda is entered for the event's start; a date that shows it shows the same
    running order relative to its own start ("18:10, ten minutes after the start"), as
    ``copy_agenda`` would copy it. The returned items are unsaved copies then; speakers stay prefetched.
    """
    items = agenda_items(event, subevent)
    if subevent is None or not items or items[0].subevent_id is not None:
        return items
    shift = time_between(event.date_from, subevent.date_from)
    if not shift:
        return items
    moved = []
    for item in items:
        copy = _copy.copy(item)
        copy.start = item.start + shift
        copy.end = item.end + shift if item.end else None
        moved.append(copy)
    return moved
