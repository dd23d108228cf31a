"""The agenda as the public files (agenda.ics, schedule.json) publish it: real times for each date.

A date of a series without agenda items of its own shows the event's agenda, moved to the date's
start (the one rule: ``domain.selection.shown_on_date``: "18:10" is ten minutes after the start). Here
the same happens for many dates at once, in a constant number of queries, and each shared item
gets a UID of its own per date (derived from the item's UID), so calendars keep one entry per date.
"""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q
from pretix.base.models import SubEvent

from ..domain.selection import shown_on_date, with_speakers
from ..models import AgendaItem


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


def _for_date(event, subevent, own: list, shared: list) -> list[Occurrence]:
    items, shift = shown_on_date(event, subevent, lambda: own, lambda: shared)
    if items is own:
        return [Occurrence(i, i.start, i.end, i.uid, subevent) for i in items]
    # The event's agenda on a date: an entry of its own per date in calendars.
    return [
        Occurrence(
            item,
            item.start + shift,
            item.end + shift if item.end else None,
            uuid.uuid5(item.uid, f"subevent-{subevent.pk}") if subevent is not None else item.uid,
            subevent,
        )
        for item in items
    ]


def published_agenda(event, subevent=None) -> list[Occurrence]:
    """Occurrences for the event, one date, or (series without a date) every active date.

    Deactivated dates are not published: neither their own items nor the event's agenda on them.
    A constant number of queries: the dates, the items, the speaker links with speakers.
    """
    if not event.has_subevents:
        items = list(with_speakers(AgendaItem.objects.filter(event=event, subevent__isnull=True)))
        return _for_date(event, None, [], items)

    dates = [subevent] if subevent is not None else list(event.subevents.filter(active=True).order_by("date_from"))
    date_ids = [d.pk for d in dates]
    items = list(
        with_speakers(
            AgendaItem.objects.filter(event=event).filter(Q(subevent__isnull=True) | Q(subevent_id__in=date_ids))
        )
    )
    shared = [i for i in items if i.subevent_id is None]
    result = []
    for date in dates:
        own = [i for i in items if i.subevent_id == date.pk]
        result += _for_date(event, date, own, shared)
    result.sort(key=lambda o: (o.start, o.item.position, o.item.pk))
    return result
