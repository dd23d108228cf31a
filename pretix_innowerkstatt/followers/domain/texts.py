"""The default texts of the followers' mails and forms, and the per-format settings row."""

from django.utils.translation import gettext_noop
from i18nfield.strings import LazyI18nString

from ..models import FollowSettings

DEFAULT_CONSENT = gettext_noop(
    "I agree that the organiser stores my email address and language to tell me by email when a new "
    "edition of this format opens for registration. I can unsubscribe at any time with the link in every mail."
)
DEFAULT_SUBJECT = gettext_noop("Registration is open: {event}")
DEFAULT_TEXT = gettext_noop(
    "Hello,\n\n"
    "a new edition of {format} is open for registration:\n\n"
    "**{event}**\n"
    "{event_date_time}\n\n"
    "{agenda}\n\n"
    "Register here: {url}\n\n"
    "You receive this mail because you follow {format}. "
    "To stop these mails, unsubscribe here: {unsubscribe_url}"
)
CONFIRM_SUBJECT = gettext_noop("Please confirm: follow {format}")
CONFIRM_TEXT = gettext_noop(
    "Hello,\n\n"
    "someone (hopefully you) asked to be told by email when a new edition of {format} opens for "
    "registration. Please confirm within seven days with this link:\n\n"
    "{confirm_url}\n\n"
    "If it was not you, ignore this mail: without confirmation the address is deleted after seven days.\n\n"
    "Unsubscribe right away: {unsubscribe_url}"
)

# The placeholders the announcement text may use beyond pretix's own for an event or date.
ANNOUNCEMENT_PLACEHOLDERS = ("format", "event_date_time", "url", "unsubscribe_url")


def settings_of(fmt) -> FollowSettings:
    """The format's follow settings (a row with the defaults, not saved, if it has none yet)."""
    try:
        return fmt.follow_settings
    except FollowSettings.DoesNotExist:
        return FollowSettings(format=fmt)


def consent_text(fmt) -> LazyI18nString:
    own = settings_of(fmt).consent_text
    if own and str(own).strip():
        return own
    return LazyI18nString.from_gettext(DEFAULT_CONSENT)


def announcement_subject(fmt) -> LazyI18nString:
    own = settings_of(fmt).announcement_subject
    return own if own and str(own).strip() else LazyI18nString.from_gettext(DEFAULT_SUBJECT)


def announcement_text(fmt) -> LazyI18nString:
    own = settings_of(fmt).announcement_text
    return own if own and str(own).strip() else LazyI18nString.from_gettext(DEFAULT_TEXT)
