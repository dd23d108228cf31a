"""Thin handlers between pretix's signals and the formats capability."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..core.permissions import plugin_active_for_organizer
from .interfaces.pages import other_editions_section

PERMISSION = "organizer.events:create"


def nav_organizer(sender, request=None, organizer=None, **kwargs):
    organizer = organizer or request.organizer
    if not plugin_active_for_organizer(organizer):
        return []
    if not request.user.has_organizer_permission(organizer, PERMISSION, request=request):
        return []
    match = request.resolver_match
    return [
        {
            "label": _("Recurring formats"),
            "url": reverse("plugins:pretix_innowerkstatt:formats", kwargs={"organizer": organizer.slug}),
            "icon": "repeat",
            "active": bool(
                match and match.namespace == "plugins:pretix_innowerkstatt" and match.url_name.startswith("formats")
            ),
        }
    ]


def front_page_bottom(sender, request=None, subevent=None, **kwargs):
    return other_editions_section(sender, request)
