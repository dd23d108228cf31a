"""The formats capability's signal receivers (imported by the root ``signals.py`` from ``apps.ready()``)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from pretix.control.signals import nav_organizer
from pretix.presale.signals import front_page_bottom

from ..core.permissions import plugin_active_for_organizer
from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    permissions,
    tasks,  # NOQA: F401  (registers the Celery task with workers)
)
from .interfaces.pages import other_editions_section


@receiver(nav_organizer, dispatch_uid="innowerkstatt_formats_nav_organizer")
def nav_organizer_entry(sender, request=None, organizer=None, **kwargs):
    organizer = organizer or request.organizer
    if not plugin_active_for_organizer(organizer):
        return []
    if not request.user.has_organizer_permission(organizer, permissions.MANAGE_FORMATS, request=request):
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


@receiver(front_page_bottom, dispatch_uid="innowerkstatt_formats_front_page_bottom")
def other_editions_on_front_page(sender, request=None, subevent=None, **kwargs):
    # pretix may render the page outside the request's scope; editions are plugin rows.
    with scope(organizer=sender.organizer):
        return other_editions_section(sender, request)
