"""The agenda in the DESCRIPTION of pretix's own calendar files: mail attachments and "add to calendar".

pretix builds both files itself (``pretix.presale.ical``) with no signal to extend them, so the
files are edited after the fact and pretix's UID ``pretix-{organizer}-{event}-{date id or 0}@{host}``
stays as it is (attendees' calendars update the entry they have). The UID also tells which date
a VEVENT is, so each gets the agenda of its own date. VEVENTs pretix makes from a product's
program times (UID ``…-{item}-{index}@``) are left alone.
"""

import re

import icalendar
from django.utils.translation import gettext as _
from pretix.base.i18n import language

from ...core.mail_calendar import events_of, has_calendar_attachment, rewrite_calendar_attachments
from ..domain.formatting import agenda_text
from ..domain.plaintext import plain_text
from ..domain.selection import agenda_outline


def _uid_pattern(event):
    prefix = re.escape(f"pretix-{event.organizer.slug}-{event.slug}-")
    return re.compile(rf"^{prefix}(\d+)@")


def describe_agenda(calendar: icalendar.Calendar, event) -> int:
    """Append the agenda to each of ``event``'s VEVENTs in ``calendar``; returns how many got one."""
    pattern = _uid_pattern(event)
    described = 0
    for vevent in events_of(calendar):
        match = pattern.match(str(vevent.get("UID", "")))
        if not match:
            continue
        subevent = None
        if int(match.group(1)):
            subevent = event.subevents.filter(pk=int(match.group(1))).first()
            if subevent is None:
                continue
        items = agenda_outline(event, subevent)
        if not items:
            continue
        # Plain text without anything tag-like: some calendar apps show a DESCRIPTION as HTML.
        agenda = f"{_('Agenda')}:\n{plain_text(agenda_text(items, event.timezone))}"
        description = str(vevent.pop("DESCRIPTION", "") or "")
        vevent.add("DESCRIPTION", f"{description}\n\n{agenda}" if description else agenda)
        described += 1
    return described


def mail_filter(event, message, order=None):
    """``email_filter``: the agenda into the calendar files attached to ``message``."""
    if not has_calendar_attachment(message):
        return message  # most mails carry none: skip the settings lookups
    locale = order.locale if order is not None else event.settings.locale
    with language(locale, event.settings.region):
        rewrite_calendar_attachments(message, lambda calendar: describe_agenda(calendar, event))
    return message


def public_download(event, request, response):
    """``process_response``: the agenda into pretix's public "add to calendar" file (same URL, same UID)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "event.ical.download" or response.status_code != 200:
        return response
    calendar = icalendar.Calendar.from_ical(response.content)
    if not describe_agenda(calendar, event):
        return response
    # In place: pretix hands every receiver the same response and keeps whichever one comes last.
    response.content = calendar.to_ical()
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
