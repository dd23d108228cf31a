"""The agenda as the public files (agenda.ics, schedule.json) publish it: real times for each date.

A date of a series without agenda items of its own shows the event's agenda (see
``domain.selection``). Those shared items carry the times of the event's template day, so here
they are placed on the date's day at the same wall-clock time, with a UID of their own per date
(derived from the item's UID), so calendars keep one entry per date.
"""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from pretix.base.models import SubEvent

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


def _move_to_day(moment: datetime.datetime, tz, day_offset: datetime.timedelta, target_day: datetime.date):
    local = moment.astimezone(tz)
    return datetime.datetime.combine(target_day + day_offset, local.time().replace(tzinfo=None), tzinfo=tz)


def _for_date(event, subevent, own: list, shared: list, tz) -> list[Occurrence]:
    if own or subevent is None:
        return [Occurrence(i, i.start, i.end, i.uid, subevent) for i in (own or shared)]
    if not shared:
        return []
    # The shared agenda's first day lands on the date's day, each item at its wall-clock time.
    anchor = min(i.start.astimezone(tz).date() for i in shared)
    target = subevent.date_from.astimezone(tz).date()
    result = []
    for item in shared:
        offset = item.start.astimezone(tz).date() - anchor
        start = _move_to_day(item.start, tz, offset, target)
        end = None
        if item.end:
            end = _move_to_day(item.end, tz, item.end.astimezone(tz).date() - anchor, target)
        result.append(Occurrence(item, start, end, uuid.uuid5(item.uid, f"subevent-{subevent.pk}"), subevent))
    return result


def published_agenda(event, subevent=None) -> list[Occurrence]:
    """Occurrences for the event, one date, or (series without a date) every active date.

    A constant number of queries: the dates, the items, the speaker links with speakers.
    """
    tz = event_timezone(event)
    if not event.has_subevents:
        items = _items_with_speakers(AgendaItem.objects.filter(event=event, subevent__isnull=True))
        return _for_date(event, None, items, [], tz)

    dates = [subevent] if subevent is not None else list(event.subevents.filter(active=True).order_by("date_from"))
    date_ids = [d.pk for d in dates]
    items = _items_with_speakers(
        AgendaItem.objects.filter(event=event).filter(Q(subevent__isnull=True) | Q(subevent_id__in=date_ids))
    )
    shared = [i for i in items if i.subevent_id is None]
    result = []
    for date in dates:
        own = [i for i in items if i.subevent_id == date.pk]
        result += _for_date(event, date, own, shared, tz)
    result.sort(key=lambda o: (o.start, o.item.position, o.item.pk))
    return result
