from django.db.models import Count
from django.urls import reverse

from ..core.overview import register_card
from ..core.permissions import plugin_active_for_organizer
from . import permissions
from .models import Edition, Format


@register_card(order=30)
def card(event, request):
    """The capability's card on the plugin overview page: is this event part of a format?"""
    edition = Edition.objects.filter(event=event).select_related("format").first()
    template_of = list(Format.objects.filter(template_event=event).annotate(edition_count=Count("editions")))
    organizer = event.organizer
    can_manage = plugin_active_for_organizer(organizer) and request.user.has_organizer_permission(
        organizer, permissions.MANAGE_FORMATS, request=request
    )
    shown = edition.format if edition else (template_of[0] if template_of else None)
    return {
        "template": "pretix_innowerkstatt/formats/overview_card.html",
        "edition": edition,
        "template_of": template_of,
        "formats_url": (
            reverse("plugins:pretix_innowerkstatt:formats", kwargs={"organizer": organizer.slug}) if can_manage else ""
        ),
        "preview_url": (
            reverse(
                "plugins:pretix_innowerkstatt:formats.preview", kwargs={"organizer": organizer.slug, "slug": shown.slug}
            )
            if can_manage and shown
            else ""
        ),
    }
