"""Text variables for pretix's ticket layouts (any of them can also be a QR code's content)."""

from django.utils.translation import gettext_lazy as _

from ..domain.attendees import accesses

SAMPLE = "https://tickets.example.org/innovationsbuero/innowerkstatt/innowerkstatt/join/ABC12/1/…/"


def _join_link(position, order, event_or_subevent):
    """The personal link, or nothing - exactly when the mails carry one (access and a meeting URL)."""
    found = accesses(order.event, [position])
    return found[0].link if found else ""


def text_variables(event):
    return {
        "innowerkstatt_join_link": {
            "label": _("Video conference: personal join link"),
            "editor_sample": SAMPLE,
            "evaluate": _join_link,
        },
    }
