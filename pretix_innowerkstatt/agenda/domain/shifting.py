"""Move a whole agenda in time."""

import datetime

from django.db import transaction
from django.db.models import F

from ..models import AgendaItem


def time_between(earlier: datetime.datetime, later: datetime.datetime) -> datetime.timedelta:
    """The real time from ``earlier`` to ``later``.

    Python subtracts aware datetimes that share one tzinfo by their wall clocks, which is an hour
    off when a DST change lies between them (an edition in summer copied from one in winter);
    in UTC the difference is exact, so "ten minutes after the start" stays ten minutes after it.
    """
    return later.astimezone(datetime.UTC) - earlier.astimezone(datetime.UTC)


@transaction.atomic
def shift_agenda(event, subevent, minutes: int) -> int:
    """Move every item of ``event``'s own agenda (or of one date's) by ``minutes``; returns the count."""
    delta = datetime.timedelta(minutes=minutes)
    items = AgendaItem.objects.filter(event=event, subevent=subevent)
    count = items.update(start=F("start") + delta, sequence=F("sequence") + 1)
    items.filter(end__isnull=False).update(end=F("end") + delta)
    return count
