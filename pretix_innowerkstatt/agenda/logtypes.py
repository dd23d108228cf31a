"""Readable lines in pretix's event and organiser logs for every agenda and speaker change.

pretix's ``log_entry_types`` registry is the current way to register them (``logentry_display``
is deprecated for new log entry types and only consulted for types not in the registry).
"""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytype_registry import LogEntryType
from pretix.base.logentrytypes import EventLogEntryType, log_entry_types

ITEM_ADDED = "pretix_innowerkstatt.agenda.item.added"
ITEM_CHANGED = "pretix_innowerkstatt.agenda.item.changed"
ITEM_DELETED = "pretix_innowerkstatt.agenda.item.deleted"
COPIED = "pretix_innowerkstatt.agenda.copied"
SHIFTED = "pretix_innowerkstatt.agenda.shifted"
RIPPLED = "pretix_innowerkstatt.agenda.rippled"
FOLLOWED_EVENT = "pretix_innowerkstatt.agenda.followed_event"
FOLLOWED_BULK_EDIT = "pretix_innowerkstatt.agenda.followed_bulk_edit"
SETTINGS_CHANGED = "pretix_innowerkstatt.agenda.settings.changed"
IMPORTED = "pretix_innowerkstatt.agenda.imported"
SPEAKER_ADDED = "pretix_innowerkstatt.agenda.speaker.added"
SPEAKER_CHANGED = "pretix_innowerkstatt.agenda.speaker.changed"
SPEAKER_DELETED = "pretix_innowerkstatt.agenda.speaker.deleted"


@log_entry_types.new_from_dict(
    {
        ITEM_ADDED: _("Agenda item “{title}” ({start}) has been added."),
        ITEM_CHANGED: _("Agenda item “{title}” ({start}) has been changed."),
        ITEM_DELETED: _("Agenda item “{title}” ({start}) has been deleted."),
        COPIED: _("The agenda has been copied from “{source}” ({count} items)."),
        SHIFTED: _("All {count} agenda items of “{date}” have been moved by {minutes} minutes."),
        RIPPLED: _("{count} following agenda items have been moved along with “{title}”: {items}."),
        FOLLOWED_EVENT: _("{count} agenda items of “{date}” have followed its new start ({minutes} minutes)."),
        FOLLOWED_BULK_EDIT: _(
            "{count} agenda items of “{date}” have followed its new start from the bulk edit of dates "
            "({minutes} minutes)."
        ),
        SETTINGS_CHANGED: _("The agenda settings have been changed."),
        IMPORTED: _(
            "A schedule has been imported from “{filename}”: {created} agenda items added, {updated} changed, "
            "{unchanged} unchanged; {speakers_created} speakers added, {speakers_updated} changed."
        ),
    }
)
class AgendaLogEntryType(EventLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {
        SPEAKER_ADDED: _("Speaker “{name}” has been added to the speaker directory."),
        SPEAKER_CHANGED: _("Speaker “{name}” has been changed."),
        SPEAKER_DELETED: _("Speaker “{name}” has been deleted."),
    }
)
class SpeakerLogEntryType(LogEntryType):
    pass
