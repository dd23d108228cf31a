"""The join block in pretix's emails, and the calendar files attached to them.

pretix has no "append to every mail" hook for texts. Its ``email_filter`` signal sees each
finished message together with its ``OutgoingMail`` (order, position, flags), so the block is
added there, to the plain-text and the HTML part (``core.mail_blocks``, as the agenda's block):

* only to mails that pretix sends with the tickets (``should_attach_tickets``): order placed,
  paid, free, approved, changed, resent link and download reminders, and their attendee copies;
  pretix sets that flag exactly for the mails that hand out access;
* one block per attendee that gets a link right now (eligibility is checked at send time, so a
  pending or unapproved order gets none); an attendee mail only carries that attendee's link;
* not for an attendee whose link is already in the text (the organiser placed ``{join_link}``,
  ``{join_button}`` or ``{join_details}`` in it) - which also makes the filter idempotent.

The calendar files pretix attaches to such a mail get the attendee's personal link in LOCATION
and DESCRIPTION and an RFC 7986 CONFERENCE property; pretix's UIDs stay unchanged.
"""

import re

from django.utils.html import escape
from django.utils.timezone import now
from django.utils.translation import gettext as _
from pretix.base.i18n import language
from pretix.base.templatetags.rich_text import markdown_compile_email

from ...core.mail_blocks import add_block
from ...core.mail_calendar import events_of, rewrite_calendar_attachments
from ..domain import links, rooms
from ..domain.attendees import for_order
from ..domain.eligibility import TOO_EARLY
from ..domain.presentation import format_moment, format_span


def _instructions(access):
    return str(access.meeting.instructions or "").strip()


def phone_lines(access, event, at=None) -> list[str]:
    """Dial-in numbers, meeting ID and passcode – in a message sent while the conference is open.

    Phone PINs are credentials like the link: a message sent earlier says from when the join
    page shows them, one sent after the end has none.
    """
    meeting = access.meeting
    if not meeting.has_phone_details:
        return []
    state = access.window.state(at or now())
    if state == TOO_EARLY:
        return [
            _("Dial-in numbers, meeting ID and passcode are on your join page from {opens}.").format(
                opens=format_moment(access.window.opens, event)
            )
        ]
    if state is not None:
        return []
    lines = []
    if meeting.dial_in_lines:
        lines.append(_("Join by phone:"))
        lines.extend(meeting.dial_in_lines)
    if meeting.meeting_id.strip():
        lines.append(_("Meeting ID: {meeting_id}").format(meeting_id=meeting.meeting_id.strip()))
    if meeting.passcode.strip():
        lines.append(_("Passcode: {passcode}").format(passcode=meeting.passcode.strip()))
    return lines


def block_plain(access, event, with_heading=True) -> str:
    lines = []
    if with_heading:
        lines.append(_("Video conference – {name}").format(name=access.label))
    lines.append(format_span(access.window, event))
    lines.extend(rooms.notes(event, access.position))  # e.g. the ticket's work-phase group
    lines.append(_("Your personal join link: {url}").format(url=access.link))
    lines.append(
        _("The link works from {opens}. Please do not pass it on: it is yours alone.").format(
            opens=format_moment(access.window.opens, event)
        )
    )
    if _instructions(access):
        lines.append("")
        lines.append(_instructions(access))
    phone = phone_lines(access, event)
    if phone:
        lines.append("")
        lines.extend(phone)
    return "\n".join(lines)


def button_style(event) -> str:
    """pretix inlines its CSS before this filter runs, so the block brings its own (pretix's button)."""
    color = escape(event.settings.primary_color or "#8E44B3")
    return (
        "display: inline-block;padding: 10px 16px;font-size: 14px;line-height: 1.33333;"
        f"border: 1px solid {color};border-radius: 6px;background-color: {color};color: #ffffff;"
        "font-weight: bold;text-decoration: none;"
    )


def block_html(access, event, with_heading=True) -> str:
    parts = ['<div class="innowerkstatt-join-block">']
    if with_heading:
        heading = _("Video conference – {name}").format(name=access.label)
        parts.append(f"<h3>{escape(heading)}</h3>")
    parts.append(f"<p>{escape(format_span(access.window, event))}</p>")
    parts.extend(f"<p>{escape(note)}</p>" for note in rooms.notes(event, access.position))
    button = _("Join video conference")
    parts.append(
        f'<p><a href="{escape(access.link)}" class="button" style="{button_style(event)}">{escape(button)}</a></p>'
    )
    parts.append(
        "<p><small>"
        + escape(
            _("The link works from {opens}. Please do not pass it on: it is yours alone.").format(
                opens=format_moment(access.window.opens, event)
            )
        )
        + f'<br><a href="{escape(access.link)}">{escape(access.link)}</a></small></p>'
    )
    if _instructions(access):
        parts.append(markdown_compile_email(_instructions(access)))
    phone = phone_lines(access, event)
    if phone:
        parts.append("<p>" + "<br>".join(escape(line) for line in phone) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def join_links_plain(accesses) -> str:
    """``{join_link}``: the bare link for one attendee, one labelled line per attendee otherwise."""
    if len(accesses) == 1:
        return accesses[0].link
    return "\n".join(f"{a.label}: {a.link}" for a in accesses)


# --- the email_filter ------------------------------------------------------------------------


def add_join_blocks(message, event, accesses):
    missing = [a for a in accesses if links.join_secret(a.position) not in (message.body or "")]
    if not missing:
        return False
    with_heading = True
    add_block(
        message,
        "\n\n".join(block_plain(a, event, with_heading) for a in missing),
        "".join(block_html(a, event, with_heading) for a in missing),
    )
    return True


# --- calendar attachments --------------------------------------------------------------------

_UID = re.compile(r"^pretix-(?P<rest>.+)@[^@]+$")


def _accesses_for_vevent(vevent, event, accesses):
    match = _UID.match(str(vevent.get("UID", "")))
    prefix = f"{event.organizer.slug}-{event.slug}-"
    if match and match.group("rest").startswith(prefix):
        rest = match.group("rest")[len(prefix) :]
        if rest.isdigit():
            subevent_id = int(rest) or None
            return [a for a in accesses if a.position.subevent_id == subevent_id]
        item_id = rest.split("-", 1)[0]
        if item_id.isdigit():  # program times: pretix-<org>-<event>-<item>-<index>@host
            return [a for a in accesses if a.position.item_id == int(item_id)]
    return accesses


def calendar_transform(event, accesses):
    import icalendar

    def transform(calendar):
        for vevent in events_of(calendar):
            mine = _accesses_for_vevent(vevent, event, accesses)
            if not mine:
                continue
            vevent["LOCATION"] = icalendar.vText(mine[0].link)
            description = str(vevent.get("DESCRIPTION", ""))
            new = [block_plain(a, event) for a in mine if a.link not in description]
            if new:
                # Our block goes first, other additions (e.g. the agenda) stay where they are:
                # the result is the same whichever filter runs first.
                vevent["DESCRIPTION"] = icalendar.vText("\n\n".join(new + ([description] if description else [])))
            present = {str(c) for c in _as_list(vevent.get("CONFERENCE"))}
            for a in mine:
                if a.link in present:
                    continue
                vevent.add(
                    "CONFERENCE",
                    icalendar.vUri(
                        a.link,
                        params={"VALUE": "URI", "FEATURE": ["AUDIO", "VIDEO"], "LABEL": a.label},
                    ),
                )

    return transform


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def filter_message(message, event, order, outgoing_mail):
    """The email_filter: join blocks in ticket mails, links in attached calendars."""
    if order is None or outgoing_mail is None:
        return message
    carries_tickets = outgoing_mail.should_attach_tickets
    carries_calendar = outgoing_mail.should_attach_ical
    if not (carries_tickets or carries_calendar):
        return message
    with language(order.locale, event.settings.region):
        accesses = for_order(event, order, outgoing_mail.orderposition)
        if not accesses:
            return message
        if carries_tickets:
            add_join_blocks(message, event, accesses)
        if carries_calendar:
            rewrite_calendar_attachments(message, calendar_transform(event, accesses))
    return message
