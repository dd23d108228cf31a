"""Edit the calendar files pretix attaches to its emails.

pretix builds those ``.ics`` attachments itself (``pretix.presale.ical.get_private_icals``)
and offers no signal to change them. What it does offer is ``email_filter``, which sees the
finished message with its attachments; each capability passes its own transformation here.
pretix's UIDs are kept, so a calendar updates the attendee's entry instead of adding one.
"""

from collections.abc import Callable

import icalendar

CALENDAR_MIMETYPE = "text/calendar"


def has_calendar_attachment(message) -> bool:
    return any(
        isinstance(a, tuple) and len(a) == 3 and (a[2] or "").startswith(CALENDAR_MIMETYPE) for a in message.attachments
    )


def rewrite_calendar_attachments(message, transform: Callable[[icalendar.Calendar], None]) -> int:
    """Apply ``transform`` to every calendar attached to ``message``, in place.

    Returns how many attachments were rewritten.
    """
    rewritten = 0
    for index, attachment in enumerate(message.attachments):
        if not isinstance(attachment, tuple) or len(attachment) != 3:
            continue  # MIME parts built by hand are not pretix's calendar files
        filename, content, mimetype = attachment
        if not (mimetype or "").startswith(CALENDAR_MIMETYPE):
            continue
        calendar = icalendar.Calendar.from_ical(content)
        transform(calendar)
        serialized = calendar.to_ical().decode()
        message.attachments[index] = type(attachment)(filename, serialized, mimetype)
        rewritten += 1
    return rewritten


def events_of(calendar: icalendar.Calendar):
    return [c for c in calendar.walk("VEVENT")]
