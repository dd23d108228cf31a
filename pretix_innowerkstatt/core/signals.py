"""Core's own signal receivers: the overview page's entry in the event settings menu."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from pretix.control.signals import nav_event_settings

from .navigation import event_nav_entry


@receiver(nav_event_settings, dispatch_uid="innowerkstatt_core_nav_settings")
def overview_nav(sender, request=None, **kwargs):
    return [event_nav_entry(request, _("Innowerkstatt"), "overview", "calendar-check-o", "overview")]
