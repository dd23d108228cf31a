"""The agenda as the public files (agenda.ics, schedule.json) publish it: real times for each date.

A date of a series without agenda items of its own shows the event's agenda, moved to the date's
start (see ``domain.selection.dated_agenda_items``: "18:10" is ten minutes after the start). Here
the same happens for many dates at once, in a constant number of queries, and each shared item
gets a UID of its own per date (derived from the item's UID), so calendars keep one entry per date.
"""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from pretix.base.models import SubEvent

from ..domain.shifting import time_between
from ..models import AgendaItem, AgendaItemSpeaker


@dataclass(frozen=True)
class Occurrence:
    """One agenda item as published for one date (or for the event)."""

    item: AgendaItem
    start: datetime.datetime
    end: datetime.datetime | None
    uid: uuid.UUID
    subevent: SubEvent | None

    @property
    def speaker_links(self):
        return self.item.speaker_links.all()


def event_timezone(event) -> zoneinfo.ZoneInfo:
    """The event's timezone as a ``zoneinfo`` zone (wall-clock arithmetic and calendar export)."""
    return zoneinfo.ZoneInfo(event.settings.timezone)


def _items_with_speakers(queryset) -> list[AgendaItem]:
    # Two queries, however many items and speakers.
    return list(
        queryset.prefetch_related(
            Prefetch("speaker_links", queryset=AgendaItemSpeaker.objects.select_related("speaker"))
        )
    )


def _for_date(event, subevent, own: list, shared: list) -> list[Occurrence]:
    if own or subevent is None:
        return [Occurrence(i, i.start, i.end, i.uid, subevent) for i in (own or shared)]
    # Same rule as ``selection.dated_agenda_items`` (page and mails): relative to the date's start.
    shift = time_between(event.date_from, subevent.date_from)
    return [
        Occurrence(
            item,
            item.start + shift,
            item.end + shift if item.end else None,
            uuid.uuid5(item.uid, f"subevent-{subevent.pk}"),
            subevent,
        )
        for item in shared
    ]


def published_agenda(event, subevent=None) -> list[Occurrence]:
    """Occurrences for the event, one date, or (series without a date) every active date.

    A constant number of queries: the dates, the items, the speaker links with speakers.
    """
    if not event.has_subevents:
        items = _items_with_speakers(AgendaItem.objects.filter(event=event, subevent__isnull=True))
        return _for_date(event, None, items, [])

    dates = [subevent] if subevent is not None else list(event.subevents.filter(active=True).order_by("date_from"))
    date_ids = [d.pk for d in dates]
    items = _items_with_speakers(
        AgendaItem.objects.filter(event=event).filter(Q(subevent__isnull=True) | Q(subevent_id__in=date_ids))
    )
    shared = [i for i in items if i.subevent_id is None]
    result = []
    for date in dates:
        own = [i for i in items if i.subevent_id == date.pk]
        result += _for_date(event, date, own, shared)
    result.sort(key=lambda o: (o.start, o.item.position, o.item.pk))
    return result
