"""Readable lines in pretix's logs for every video-link change and every join."""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytypes import EventLogEntryType, OrderLogEntryType, SubEventLogEntryType, log_entry_types

SETTINGS_CHANGED = "pretix_innowerkstatt.videolinks.settings.changed"
OVERRIDE_ADDED = "pretix_innowerkstatt.videolinks.override.added"
OVERRIDE_CHANGED = "pretix_innowerkstatt.videolinks.override.changed"
OVERRIDE_DELETED = "pretix_innowerkstatt.videolinks.override.deleted"
TEST_JOIN = "pretix_innowerkstatt.videolinks.test_join"
ACCESS_UPDATE_SENT = "pretix_innowerkstatt.videolinks.access_update.sent"
REMINDERS_CREATED = "pretix_innowerkstatt.videolinks.reminders.created"
JOINED = "pretix_innowerkstatt.videolinks.joined"
ACCESS_UPDATE_MAIL = "pretix_innowerkstatt.videolinks.access_update.email"
# Written before a date's URL went through the same write path as other meeting details
# (now OVERRIDE_*); kept so that older log entries stay readable.
DATE_URL_SET = "pretix_innowerkstatt.videolinks.date_url.set"
DATE_URL_REMOVED = "pretix_innowerkstatt.videolinks.date_url.removed"
ACCESS_UPDATE_BUYER_MAIL = "pretix_innowerkstatt.videolinks.access_update.email.buyer"

ACCESS_UPDATE_SENT_TEXT = _(
    "Updated access information has been sent: {mails} emails for {sent} tickets ({skipped} tickets had it already)."
)


@log_entry_types.new_from_dict(
    {
        SETTINGS_CHANGED: _("The video conference settings have been changed."),
        OVERRIDE_ADDED: _("Meeting details for “{scope}” have been added."),
        OVERRIDE_CHANGED: _("Meeting details for “{scope}” have been changed."),
        OVERRIDE_DELETED: _("Meeting details for “{scope}” have been deleted."),
        TEST_JOIN: _("The join link has been tested from the backend."),
        ACCESS_UPDATE_SENT: ACCESS_UPDATE_SENT_TEXT,
        REMINDERS_CREATED: _("Reminder emails with the join link have been scheduled."),
    }
)
class VideoLinksEventLogEntryType(EventLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {
        JOINED: _("Ticket #{positionid} joined the video conference."),
        ACCESS_UPDATE_MAIL: _("Updated access information has been sent for ticket #{position}."),
        ACCESS_UPDATE_BUYER_MAIL: _(
            "Updated access information has been sent to the buyer for the tickets without their own email address."
        ),
    }
)
class VideoLinksOrderLogEntryType(OrderLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {
        DATE_URL_SET: _("The meeting URL of this date has been set on the date's settings page."),
        DATE_URL_REMOVED: _(
            "The meeting URL of this date has been removed on the date's settings page; the date uses the "
            "event's meeting URL."
        ),
    }
)
class VideoLinksSubEventLogEntryType(SubEventLogEntryType):
    pass


HOST_JOINED = "pretix_innowerkstatt.videolinks.host.joined"
HOST_LINK_SENT = "pretix_innowerkstatt.videolinks.host.link_sent"


@log_entry_types.new_from_dict(
    {
        HOST_JOINED: _("{name} joined the video conference with their host link."),
        HOST_LINK_SENT: _("The host link has been sent to {name}."),
    }
)
class VideoLinksHostLogEntryType(EventLogEntryType):
    pass
