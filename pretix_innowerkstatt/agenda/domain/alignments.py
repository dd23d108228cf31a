"""Which time range each series date's own agenda was last aligned with (``AgendaAlignment``).

pretix's bulk edit of dates moves dates without save signals; comparing a date's start with
its alignment is how the periodic run finds them (``shifting.follow_bulk_edited_dates``). A
date gets its row when it gets items of its own (``editing.agenda_changed``, which every write
of items passes) and the row follows every move the agenda followed.
"""

from pretix.base.models import SubEvent

from ..models import AgendaAlignment


def _alignment(subevent) -> AgendaAlignment:
    return AgendaAlignment(subevent=subevent, date_from=subevent.date_from, date_to=subevent.date_to)


def ensure_alignment(subevent) -> None:
    """The date's agenda counts as aligned with its current time, unless a row says otherwise (one query)."""
    AgendaAlignment.objects.bulk_create([_alignment(subevent)], ignore_conflicts=True)


def add_missing_alignments() -> int:
    """Rows for the dates with items of their own that have none yet (their current time); returns how many."""
    dates = SubEvent.objects.filter(
        innowerkstatt_agenda_items__isnull=False, innowerkstatt_agenda_alignment__isnull=True
    ).distinct()
    return len(AgendaAlignment.objects.bulk_create([_alignment(date) for date in dates], ignore_conflicts=True))


def record_alignment(subevent) -> None:
    """The date's agenda is aligned with its current time now (its items followed, or stay by choice)."""
    AgendaAlignment.objects.filter(subevent=subevent).update(date_from=subevent.date_from, date_to=subevent.date_to)
