"""Move a whole agenda in time."""

import datetime

from django.db import transaction
from django.db.models import F

from .. import logtypes
from ..models import AgendaItem
from ..settings import FOLLOW_EVENT
from .editing import agenda_changed


def time_between(earlier: datetime.datetime, later: datetime.datetime) -> datetime.timedelta:
    """The real time from ``earlier`` to ``later``.

    Python subtracts aware datetimes that share one tzinfo by their wall clocks, which is an hour
    off when a DST change lies between them (an edition in summer copied from one in winter);
    in UTC the difference is exact, so "ten minutes after the start" stays ten minutes after it.
    """
    return later.astimezone(datetime.UTC) - earlier.astimezone(datetime.UTC)


@transaction.atomic
def shift_agenda(
    event, subevent, minutes: int, *, user=None, auth=None, within=None, action_type=logtypes.SHIFTED
) -> int:
    """Move the items of ``event``'s own agenda (or of one date's) by ``minutes``; returns the count.

    ``within`` (``(start, end)``, end may be None) moves only the items that start in that range.
    Each item's calendar sequence counts up (as ``revisions.bump_sequence`` does for one item),
    the event's log says so and its cached tickets are renewed (``editing.agenda_changed``).
    """
    delta = datetime.timedelta(minutes=minutes)
    items = AgendaItem.objects.filter(event=event, subevent=subevent)
    if within is not None:
        window_start, window_end = within
        items = items.filter(start__gte=window_start)
        if window_end is not None:
            items = items.filter(start__lte=window_end)
        items = AgendaItem.objects.filter(pk__in=list(items.values_list("pk", flat=True)))
    count = items.update(start=F("start") + delta, sequence=F("sequence") + 1)
    items.filter(end__isnull=False).update(end=F("end") + delta)
    if not count and within is not None:
        return 0
    agenda_changed(
        event,
        subevent,
        user=user,
        auth=auth,
        action_type=action_type,
        data={
            "minutes": minutes,
            "count": count,
            "date": str(subevent.get_date_range_display()) if subevent is not None else str(event.name),
            "subevent": subevent.pk if subevent is not None else None,
        },
    )
    return count


def follow_new_start(event, subevent, old_start, old_end, new_start) -> int:
    """The event (or date) now starts at ``new_start``: its items of the old time range move along.

    Moved by the real time between the old and the new start, so an item ten minutes after the
    start stays ten minutes after it in local time, also across a DST change. Nothing happens when
    the event's setting ``innowerkstatt_agenda_follow_event`` is off.
    """
    if not event.settings.get(FOLLOW_EVENT, as_type=bool):
        return 0
    moved = time_between(old_start, new_start)
    minutes = round(moved.total_seconds() / 60)
    if not minutes:
        return 0
    # Without an end, the range is the day from the start.
    window = (old_start, old_end or old_start + datetime.timedelta(days=1))
    return shift_agenda(event, subevent, minutes, within=window, action_type=logtypes.FOLLOWED_EVENT)
