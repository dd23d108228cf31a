"""Move a whole agenda in time."""

import datetime

from django.db import transaction
from django.db.models import F

from .. import logtypes
from ..models import AgendaItem
from .editing import agenda_changed


def time_between(earlier: datetime.datetime, later: datetime.datetime) -> datetime.timedelta:
    """The real time from ``earlier`` to ``later``.

    Python subtracts aware datetimes that share one tzinfo by their wall clocks, which is an hour
    off when a DST change lies between them (an edition in summer copied from one in winter);
    in UTC the difference is exact, so "ten minutes after the start" stays ten minutes after it.
    """
    return later.astimezone(datetime.UTC) - earlier.astimezone(datetime.UTC)


@transaction.atomic
def shift_agenda(event, subevent, minutes: int, *, user=None, auth=None) -> int:
    """Move every item of ``event``'s own agenda (or of one date's) by ``minutes``; returns the count.

    Each item's calendar sequence counts up (as ``revisions.bump_sequence`` does for one item),
    the event's log says so and its cached tickets are renewed (``editing.agenda_changed``).
    """
    delta = datetime.timedelta(minutes=minutes)
    items = AgendaItem.objects.filter(event=event, subevent=subevent)
    count = items.update(start=F("start") + delta, sequence=F("sequence") + 1)
    items.filter(end__isnull=False).update(end=F("end") + delta)
    agenda_changed(
        event,
        subevent,
        user=user,
        auth=auth,
        action_type=logtypes.SHIFTED,
        data={
            "minutes": minutes,
            "count": count,
            "date": str(subevent.get_date_range_display()) if subevent is not None else str(event.name),
            "subevent": subevent.pk if subevent is not None else None,
        },
    )
    return count
