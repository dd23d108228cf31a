from django.urls import reverse

from ..core.overview import register_card
from .models import AgendaItem, Speaker
from .settings import POSITION


@register_card(order=10)
def card(event, request):
    """The capability's card on the plugin overview page (template and its context)."""
    items = AgendaItem.objects.filter(event=event)
    kwargs = {"organizer": event.organizer.slug, "event": event.slug}
    return {
        "template": "pretix_innowerkstatt/agenda/overview_card.html",
        "items": items.filter(subevent__isnull=True).count(),
        "dated_items": items.filter(subevent__isnull=False).count() if event.has_subevents else 0,
        "speakers": Speaker.objects.filter(organizer=event.organizer).count(),
        "position": event.settings.get(POSITION),
        "agenda_url": reverse("plugins:pretix_innowerkstatt:agenda", kwargs=kwargs),
        "speakers_url": reverse("plugins:pretix_innowerkstatt:speakers", kwargs={"organizer": event.organizer.slug}),
    }
