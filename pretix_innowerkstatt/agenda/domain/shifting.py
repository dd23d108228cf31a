"""Move a whole agenda in time."""

import datetime

from django.db import transaction
from django.db.models import F

from ..models import AgendaItem


@transaction.atomic
def shift_agenda(event, subevent, minutes: int) -> int:
    """Move every item of ``event``'s own agenda (or of one date's) by ``minutes``; returns the count."""
    delta = datetime.timedelta(minutes=minutes)
    items = AgendaItem.objects.filter(event=event, subevent=subevent)
    count = items.update(start=F("start") + delta, sequence=F("sequence") + 1)
    items.filter(end__isnull=False).update(end=F("end") + delta)
    return count
