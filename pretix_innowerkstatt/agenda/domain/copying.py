"""Copy an agenda to another event or date, shifted to the target's start."""

from django.db import transaction
from django.dispatch import Signal

from .. import logtypes
from ..models import AgendaItem, AgendaItemSpeaker
from .editing import agenda_changed
from .selection import agenda_items
from .shifting import time_between

# Sent inside copy_agenda's transaction, after the copies and their speaker links exist, with
# ``sender`` the target event and ``pairs`` a list of ``(original item, its copy)``. Capabilities
# that hang data off agenda items (work-phase groups) copy theirs here, so every way an agenda is
# copied (copy page, pretix's event copy, format editions) carries it along.
items_copied = Signal()


def source_label(event, subevent=None) -> str:
    """How a log line names the event or date an agenda was copied from."""
    label = str(event.name)
    return f"{label} – {subevent.get_date_range_display()}" if subevent is not None else label


@transaction.atomic
def copy_agenda(
    source_event,
    target_event,
    *,
    source_subevent=None,
    target_subevent=None,
    replace=False,
    user=None,
    auth=None,
) -> int:
    """Copy the agenda shown for ``source_event``/``source_subevent`` to the target, keeping speakers.

    Times move by the difference between the two starts (event ``date_from`` or the date's), so
    "18:10, ten minutes after the start" stays ten minutes after the start. Speaker links are
    kept (speakers belong to the organiser; copying across organisers drops them). Items marked
    ``per_edition`` (presentation slots of approved orders) are not copied. With
    ``replace``, the target's existing items of that date are removed first. Returns the number
    of items copied. A constant number of queries, however long the agenda.

    Whoever copies (the copy page, pretix's event copy, a format's new editions), the target's
    log says so and its cached tickets are renewed (``editing.agenda_changed``).
    """
    # Items of one edition only (presentation slots and their presenters) stay where they are.
    items = [item for item in agenda_items(source_event, source_subevent) if not item.per_edition]
    source_start = (source_subevent or source_event).date_from
    target_start = (target_subevent or target_event).date_from
    shift = time_between(source_start, target_start)
    if replace:
        AgendaItem.objects.filter(event=target_event, subevent=target_subevent).delete()
    copies = [
        AgendaItem(
            event=target_event,
            subevent=target_subevent,
            start=item.start + shift,
            end=item.end + shift if item.end else None,
            title=item.title,
            description=item.description,
            kind=item.kind,
            room=item.room,
            position=item.position,
        )
        for item in items
    ]
    created = AgendaItem.objects.bulk_create(copies)
    same_organizer = source_event.organizer_id == target_event.organizer_id
    if same_organizer:
        AgendaItemSpeaker.objects.bulk_create(
            [
                AgendaItemSpeaker(item=copy, speaker_id=link.speaker_id, role=link.role, position=link.position)
                for original, copy in zip(items, created, strict=True)
                for link in original.speaker_links.all()
            ]
        )
    if created:
        items_copied.send(
            sender=target_event, pairs=list(zip(items, created, strict=True)), target_subevent=target_subevent
        )
    if created or replace:
        agenda_changed(
            target_event,
            target_subevent,
            user=user,
            auth=auth,
            action_type=logtypes.COPIED,
            data={
                "source": source_label(source_event, source_subevent),
                "source_event": source_event.pk,
                "source_subevent": source_subevent.pk if source_subevent else None,
                "subevent": target_subevent.pk if target_subevent else None,
                "count": len(created),
                "replace": replace,
            },
        )
    return len(created)
