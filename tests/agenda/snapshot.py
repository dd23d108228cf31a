"""Everything the agenda's backend pages can change, to check that a refused request changed nothing."""

from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker


def agenda_state(event) -> dict:
    """Items, their people, the directory, the display setting and the log of ``event``'s organiser."""
    organizer = event.organizer
    with scopes_disabled():
        event.settings.flush()
        return {
            "items": list(AgendaItem.objects.filter(event__organizer=organizer).order_by("pk").values()),
            "links": list(AgendaItemSpeaker.objects.filter(item__event__organizer=organizer).order_by("pk").values()),
            "speakers": list(Speaker.objects.filter(organizer=organizer).order_by("pk").values()),
            "position": event.settings.innowerkstatt_agenda_position,
            "log": LogEntry.objects.filter(organizer_id=organizer.pk).count(),
        }
