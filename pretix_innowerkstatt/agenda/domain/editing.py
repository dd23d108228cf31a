"""The one write path of agendas: every change of agenda items goes through these verbs.

The editor, the REST API, the schedule import, event copy, the shift and copy pages and the
formats' edition creation all call them, so each change leaves the same trace everywhere:

- the item's calendar ``sequence`` counts up (``revisions.bump_sequence``), so subscribed
  calendars update the entry instead of adding one;
- one line in the event's log (types from ``agenda.logtypes`` only);
- the renderings this process remembered for the event are dropped, and pretix's cached PDF
  tickets (which print the agenda) are invalidated once the transaction commits.
"""

import datetime

from django.db import transaction
from pretix.base.models import Event
from pretix.base.services.tickets import invalidate_cache

from ...core.dates import date_and_time
from .. import caching, logtypes
from ..models import AgendaItem, AgendaItemSpeaker, Speaker
from .alignments import ensure_alignment

# ``item_checked`` and ``check_item`` live below the models (the item's ``clean()`` asks too);
# named here as well, where receivers have always found them.
from .hooks import check_item, item_checked  # noqa: F401
from .revisions import bump_sequence


def item_log_data(item, **extra) -> dict:
    """What an item's log line shows (title, start in the event's time zone) and refers to."""
    event = item.event
    return {
        "id": item.pk,
        "title": str(item.title),
        "start": date_and_time(item.start.astimezone(event.timezone)),
        "subevent": item.subevent_id,
        **extra,
    }


def agenda_changed(event, subevent=None, *, user=None, auth=None, action_type=None, data=None) -> None:
    """Everything that follows a change of ``event``'s agenda (or of one date's), whatever made it.

    Forgets this process's renderings of the event's agenda, invalidates pretix's cached PDF
    tickets of the event after the commit, and, with ``action_type``, logs that line on the event.
    A date's agenda gets its ``AgendaAlignment`` row here if it has none yet.
    Callers that change items in bulk (copy, shift, import) bump the items' sequence themselves
    (``revisions.bump_sequence`` or ``F("sequence") + 1``) and call this once.
    """
    if action_type is not None:
        event.log_action(action_type, user=user, auth=auth, data=data or {})
    if subevent is not None:
        # A date with items of its own is watched for pretix's bulk edit of dates (``alignments``).
        ensure_alignment(subevent)
    caching.forget_event(event.pk)
    event_pk = event.pk
    # PDF tickets print the agenda and pretix keeps rendered tickets until told otherwise.
    transaction.on_commit(lambda: invalidate_cache.apply_async(kwargs={"event": event_pk}))


def _replace_speaker_links(item, links) -> None:
    item.speaker_links.all().delete()
    AgendaItemSpeaker.objects.bulk_create(
        AgendaItemSpeaker(
            item=item,
            speaker=link["speaker"],
            role=link.get("role") or AgendaItemSpeaker.ROLE_SPEAKER,
            position=position,
        )
        for position, link in enumerate(links)
    )


@transaction.atomic
def save_item(item, *, speakers=None, user=None, auth=None, log_data=None) -> AgendaItem:
    """Save a new or changed ``item`` (its ``event`` and ``subevent`` set), with its speakers if given.

    ``speakers`` is None to keep the current ones, or the complete new list of
    ``{"speaker": Speaker, "role": str}`` in order.
    Logs "added" or "changed"; ``log_data`` adds to the line's data (e.g. the API's request data).
    """
    is_new = item.pk is None
    check_item(item)
    bump_sequence(item)
    item.save()
    if speakers is not None:
        _replace_speaker_links(item, speakers)
    agenda_changed(
        item.event,
        item.subevent,
        user=user,
        auth=auth,
        action_type=logtypes.ITEM_ADDED if is_new else logtypes.ITEM_CHANGED,
        data=item_log_data(item, **(log_data or {})),
    )
    return item


def following_moves(before, after, others) -> list:
    """``[(item, timedelta), …]``: the ``others`` that follow a changed or inserted item, and their move.

    ``before`` is the item's ``(start, end)`` before the change (None for a new item), ``after``
    the new one. A changed item pushes (or pulls) the items that started at or after its old end
    by as much as its end moved (an open end counts as ending when the next item starts); an
    inserted item pushes the items from its start on by its length.
    """
    new_start, new_end = after
    if before is None:
        pivot, delta = new_start, (new_end - new_start) if new_end else datetime.timedelta(0)
    else:
        # An open end lasts until the next item starts.
        later = [item.start for item in others if item.start > before[0]]
        pivot = before[1] or min(later, default=before[0])
        delta = (new_end or new_start) - pivot
    return [(item, delta) for item in others if item.start >= pivot] if delta else []


@transaction.atomic
def ripple_items(moves, *, cause, user=None, auth=None) -> int:
    """Move saved items that follow a changed or inserted ``cause`` item, in one save with one log line.

    ``moves`` is ``[(item, timedelta), …]``: each item moves by its delta (start and end together)
    and its calendar sequence counts up once. Returns how many items moved.
    """
    moved = [(item, delta) for item, delta in moves if delta]
    if not moved:
        return 0
    for item, delta in moved:
        item.start += delta
        if item.end is not None:
            item.end += delta
        bump_sequence(item)
    AgendaItem.objects.bulk_update([item for item, _delta in moved], ["start", "end", "sequence"])
    agenda_changed(
        cause.event,
        cause.subevent,
        user=user,
        auth=auth,
        action_type=logtypes.RIPPLED,
        data=item_log_data(
            cause,
            count=len(moved),
            items=", ".join(str(item.title) for item, _delta in moved),
            moved=[item.pk for item, _delta in moved],
        ),
    )
    return len(moved)


def set_speakers(item, speakers, *, user=None, auth=None, log_data=None) -> AgendaItem:
    """Replace the people of a saved ``item`` by ``speakers`` (as ``save_item`` takes them); logs "changed"."""
    return save_item(item, speakers=speakers, user=user, auth=auth, log_data=log_data)


@transaction.atomic
def delete_item(item, *, user=None, auth=None, log_data=None) -> None:
    """Delete ``item`` and log it."""
    data = item_log_data(item, **(log_data or {}))
    event, subevent = item.event, item.subevent
    item.delete()
    agenda_changed(event, subevent, user=user, auth=auth, action_type=logtypes.ITEM_DELETED, data=data)


def _speaker_changed(speaker) -> None:
    """A speaker's name and role are printed in every agenda they are part of (pages, tickets)."""
    for event in Event.objects.filter(innowerkstatt_agenda_items__speaker_links__speaker=speaker).distinct():
        agenda_changed(event)


@transaction.atomic
def save_speaker(speaker, *, user=None, auth=None, log_data=None) -> Speaker:
    """Save a new or changed speaker of the organiser's directory (``organizer`` set) and log it."""
    is_new = speaker.pk is None
    speaker.save()
    speaker.log_action(
        logtypes.SPEAKER_ADDED if is_new else logtypes.SPEAKER_CHANGED,
        user=user,
        auth=auth,
        data={"name": speaker.name, **(log_data or {})},
    )
    if not is_new:
        _speaker_changed(speaker)
    return speaker


@transaction.atomic
def delete_speaker(speaker, *, user=None, auth=None, log_data=None) -> None:
    """Delete a speaker (and their parts in agendas) and log it."""
    speaker.log_action(logtypes.SPEAKER_DELETED, user=user, auth=auth, data={"name": speaker.name, **(log_data or {})})
    _speaker_changed(speaker)
    speaker.delete()
