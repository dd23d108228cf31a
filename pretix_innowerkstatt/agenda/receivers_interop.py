"""The schedule import page in the event's menu (its log line is in ``logtypes``)."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from pretix.control import signals as control_signals

from ..core.navigation import event_nav_entry
from .permissions import EDIT_AGENDA


@receiver(control_signals.nav_event, dispatch_uid="innowerkstatt_agenda_nav_event_import")
def nav_event(sender, request=None, **kwargs):
    if not request.user.has_event_permission(request.organizer, request.event, EDIT_AGENDA, request=request):
        return []
    return [event_nav_entry(request, _("Import schedule"), "agenda.import", "upload", "agenda.import")]
