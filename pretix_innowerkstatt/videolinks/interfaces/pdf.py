"""Text variables for pretix's ticket layouts (any of them can also be a QR code's content)."""

from django.utils.translation import gettext_lazy as _

from ..domain import eligibility, links
from ..domain.config import access_rules

SAMPLE = "https://tickets.example.org/innovationsbuero/innowerkstatt/innowerkstatt/join/ABC12/1/…/"


def _event_of(event_or_subevent, order):
    return order.event


def _join_link(position, order, event_or_subevent):
    event = _event_of(event_or_subevent, order)
    if not eligibility.gets_link(position, access_rules(event)):
        return ""
    return links.join_url(position, event)


def text_variables(event):
    return {
        "innowerkstatt_join_link": {
            "label": _("Video conference: personal join link"),
            "editor_sample": SAMPLE,
            "evaluate": _join_link,
        },
    }
