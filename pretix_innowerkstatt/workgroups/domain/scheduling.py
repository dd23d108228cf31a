"""Automatic "assign the rest" shortly before each work phase (pretix's periodic task)."""

import datetime
import logging

from django.db.models import Min, Q
from django.utils.timezone import now
from django_scopes import scope

from ...core.permissions import plugin_active_for_event
from ..models import WorkGroup
from ..settings import AUTO_ASSIGN_MINUTES
from .membership import assign_rest

logger = logging.getLogger(__name__)
LOOKAHEAD = datetime.timedelta(days=1)  # longest lead time looked at; the event's setting narrows it


def assign_rest_when_due(at=None) -> int:
    """Assign the "assign me" tickets of every date whose work phase starts within its lead time.

    Runs every few minutes; dates whose work phase has ended are left alone, and a date that was
    assigned already has nobody left to assign, so running it again changes nothing.
    """
    at = at or now()
    dates = (
        WorkGroup.objects.filter(
            Q(item__end__gt=at) | Q(item__end__isnull=True, item__start__gt=at), item__start__lte=at + LOOKAHEAD
        )
        .values("event_id", "item__subevent_id")
        .annotate(start=Min("item__start"))
    )
    assigned = 0
    for row in dates:
        group = (
            WorkGroup.objects.select_related("event", "event__organizer", "item__subevent")
            .filter(event_id=row["event_id"], item__subevent_id=row["item__subevent_id"])
            .first()
        )
        event = group.event
        if not plugin_active_for_event(event):
            continue
        minutes = event.settings.get(AUTO_ASSIGN_MINUTES, as_type=int)
        if not minutes or row["start"] - datetime.timedelta(minutes=minutes) > at:
            continue
        with scope(organizer=event.organizer):
            try:
                assigned += assign_rest(event, group.item.subevent, automatic=True)
            except Exception:  # one broken event must not stop the others
                logger.exception("Assigning the rest of event %s failed", event.pk)
    return assigned
