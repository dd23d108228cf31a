"""Text variables for pretix's PDF ticket layouts: the short agenda and the speakers of a ticket's date."""

from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from ..domain.formatting import agenda_text, speakers_text
from ..domain.selection import agenda_outline

AGENDA_SAMPLE = "18:00 Begrüßung\n18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)\n20:00 Ende"
SPEAKERS_SAMPLE = "Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund"


def text_variables(sender, **kwargs):
    event = sender

    def items_of(position):
        # pretix renders tickets in a task as well as in a request: the scope is not always active.
        with scope(organizer=event.organizer):
            return agenda_outline(event, position.subevent)

    return {
        "innowerkstatt_agenda": {
            "label": _("Agenda (one line per item)"),
            "editor_sample": AGENDA_SAMPLE,
            "evaluate": lambda position, order, ev: agenda_text(items_of(position), event.timezone),
        },
        "innowerkstatt_speakers": {
            "label": _("Speakers of the agenda"),
            "editor_sample": SPEAKERS_SAMPLE,
            "evaluate": lambda position, order, ev: speakers_text(items_of(position)),
        },
    }
