"""Readable log lines for following, confirming, unsubscribing and announcing.

No log line carries an email address: entries name the follower by its number only.
"""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytypes import EventLogEntryType, log_entry_types

from ..formats.logtypes import FormatLogEntryType

FOLLOWED = "pretix_innowerkstatt.followers.follower.added"
CONFIRMED = "pretix_innowerkstatt.followers.follower.confirmed"
UNSUBSCRIBED = "pretix_innowerkstatt.followers.follower.unsubscribed"
EXPIRED = "pretix_innowerkstatt.followers.follower.expired"
SETTINGS_CHANGED = "pretix_innowerkstatt.followers.settings.changed"
ANNOUNCED = "pretix_innowerkstatt.followers.announcement.sent"


@log_entry_types.new_from_dict(
    {
        FOLLOWED: _("Follower #{follower} has asked to follow the format ({source}); confirmation mail sent."),
        CONFIRMED: _("Follower #{follower} has confirmed following the format."),
        UNSUBSCRIBED: _("A follower has unsubscribed from the format; the address has been deleted."),
        EXPIRED: _("{count} unconfirmed follower addresses have expired and have been deleted."),
        SETTINGS_CHANGED: _("The announcement settings of the format have been changed."),
    }
)
class FollowerLogEntryType(FormatLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {ANNOUNCED: _("This edition has been announced to {count} followers of the format “{format}”.")}
)
class AnnouncementLogEntryType(EventLogEntryType):
    pass
