"""Thin handlers for the agenda's interop part (import page in the menu, its log line)."""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytypes import EventLogEntryType, log_entry_types

from ..core.navigation import event_nav_entry
from .views_interop import EDIT_AGENDA, IMPORTED


@log_entry_types.new_from_dict(
    {
        IMPORTED: _(
            "A schedule has been imported from “{filename}”: {created} agenda items added, {updated} changed, "
            "{unchanged} unchanged; {speakers_created} speakers added, {speakers_updated} changed."
        ),
    }
)
class ScheduleImportLogEntryType(EventLogEntryType):
    pass


def nav_event(sender, request=None, **kwargs):
    if not request.user.has_event_permission(request.organizer, request.event, EDIT_AGENDA, request=request):
        return []
    return [event_nav_entry(request, _("Import schedule"), "agenda.import", "upload", "agenda.import")]
