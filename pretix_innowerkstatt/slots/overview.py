"""The presentation slots' card on the plugin overview page."""

from django.urls import reverse

from ..core.overview import register_card
from .notices import products


@register_card(order=15)
def card(event, request):
    found = products(event)
    return {
        "template": "pretix_innowerkstatt/slots/overview_card.html",
        "products": found,
        "placed": sum(p.presentations.filter(agenda_item__isnull=False).count() for p in found),
        "waiting": sum(p.waiting for p in found),
        "without_approval": [p for p in found if not p.item.require_approval],
        "url": reverse(
            "plugins:pretix_innowerkstatt:slots", kwargs={"organizer": event.organizer.slug, "event": event.slug}
        ),
    }
