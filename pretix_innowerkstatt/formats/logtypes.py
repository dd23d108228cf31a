"""Readable lines in pretix's organiser and event logs for every format action.

pretix's ``log_entry_types`` registry is the current way to register them (the older
``logentry_display`` signal is deprecated for new log entry types).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pretix.base.logentrytype_registry import LogEntryType
from pretix.base.logentrytypes import EventLogEntryType, log_entry_types

from .models import Format

FORMAT_ADDED = "pretix_innowerkstatt.formats.format.added"
FORMAT_CHANGED = "pretix_innowerkstatt.formats.format.changed"
FORMAT_DELETED = "pretix_innowerkstatt.formats.format.deleted"
FORMAT_EXTENDED = "pretix_innowerkstatt.formats.format.extended"
EDITIONS_CREATED = "pretix_innowerkstatt.formats.editions.created"
EDITION_CREATED = "pretix_innowerkstatt.formats.edition.created"
EDITIONS_PUBLISHED = "pretix_innowerkstatt.formats.editions.published"


class FormatLogEntryType(LogEntryType):
    """Organiser-level lines; the object link leads to the format's preview."""

    object_link_wrapper = _("Recurring format {val}")

    def get_object_link_info(self, logentry):
        fmt = logentry.content_object
        if not isinstance(fmt, Format):
            # Deleted (its entry hangs on the organiser): the name it had, without a link.
            name = logentry.parsed_data.get("name")
            return {"val": name} if name else None
        return {
            "href": reverse(
                "plugins:pretix_innowerkstatt:formats.preview",
                kwargs={"organizer": logentry.organizer.slug, "slug": fmt.slug},
            ),
            "val": str(fmt.name),
        }


@log_entry_types.new_from_dict(
    {
        FORMAT_ADDED: _("The recurring format “{name}” has been created."),
        FORMAT_CHANGED: _("The recurring format “{name}” has been changed."),
        FORMAT_DELETED: _("The recurring format “{name}” has been deleted; its editions remain."),
        FORMAT_EXTENDED: _("The recurring format has been planned {periods} periods further."),
        EDITIONS_PUBLISHED: _("Editions of the recurring format have been published: {published}."),
    }
)
class FormatChangeLogEntryType(FormatLogEntryType):
    pass


@log_entry_types.new_from_dict({EDITIONS_CREATED: ""})
class EditionsCreatedLogEntryType(FormatLogEntryType):
    def display(self, logentry, data):
        created = data.get("created") or []
        parts = [
            ngettext(
                "%(count)s edition of the recurring format has been created",
                "%(count)s editions of the recurring format have been created",
                len(created),
            )
            % {"count": len(created)}
            + (f" ({', '.join(created)})" if created else "")
            + "."
        ]
        if data.get("conflicts"):
            parts.append(
                ngettext(
                    "%(count)s edition could not be created:",
                    "%(count)s editions could not be created:",
                    len(data["conflicts"]),
                )
                % {"count": len(data["conflicts"])}
                + " "
                + "; ".join(f"{key}: {why}" for key, why in data["conflicts"])
            )
        return " ".join(parts)


@log_entry_types.new_from_dict(
    {EDITION_CREATED: _("This event has been created as edition {key} of the recurring format “{format}”.")}
)
class EditionCreatedLogEntryType(EventLogEntryType):
    pass
