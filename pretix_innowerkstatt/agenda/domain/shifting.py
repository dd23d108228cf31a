"""Move a whole agenda in time."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django_scopes import scope

from ...core.permissions import plugin_active_for_event
from .. import logtypes
from ..models import AgendaAlignment, AgendaItem
from ..settings import FOLLOW_EVENT
from .alignments import add_missing_alignments, record_alignment
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


def follow_new_start(event, subevent, old_start, old_end, new_start, *, action_type=logtypes.FOLLOWED_EVENT) -> int:
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
    return shift_agenda(event, subevent, minutes, within=window, action_type=action_type)


def follow_moved_date(event, subevent, old_start, old_end, *, action_type=logtypes.FOLLOWED_EVENT) -> int:
    """``event`` (or its date ``subevent``) was moved from ``old_start``–``old_end``: its agenda follows.

    As ``follow_new_start`` (so not with the setting off); a date's ``AgendaAlignment`` is set to
    its new range either way, so no later run moves the same items again. Returns how many moved.
    """
    new_start = (subevent or event).date_from
    moved = 0
    if old_start != new_start:
        moved = follow_new_start(event, subevent, old_start, old_end, new_start, action_type=action_type)
    if subevent is not None:
        record_alignment(subevent)
    return moved


def follow_bulk_edited_dates() -> int:
    """Move the own agendas of dates that pretix's bulk edit of dates moved; returns how many items moved.

    Run periodically, outside any scope. A date whose start or end differs from its ``AgendaAlignment``
    was moved without a save signal (a move with one is followed at once and its row updated):
    its items follow from the aligned range, as on the date's form, if the plugin is active for
    the series (and its setting is on). Either way the row catches up, so nothing moves twice and
    turning the setting on later moves nothing. One query finds the moved dates, however many
    dates there are.
    """
    add_missing_alignments()
    moved = 0
    # A changed end alone moves nothing, but the row takes it: a later move takes the items of the new range.
    same_end = Q(date_to=F("subevent__date_to")) | Q(date_to__isnull=True, subevent__date_to__isnull=True)
    stale = AgendaAlignment.objects.exclude(Q(date_from=F("subevent__date_from")) & same_end).select_related(
        "subevent__event__organizer"
    )
    for alignment in stale:
        subevent = alignment.subevent
        event = subevent.event
        with transaction.atomic(), scope(organizer=event.organizer):
            if plugin_active_for_event(event):
                moved += follow_moved_date(
                    event, subevent, alignment.date_from, alignment.date_to, action_type=logtypes.FOLLOWED_BULK_EDIT
                )
            else:
                record_alignment(subevent)
    return moved
