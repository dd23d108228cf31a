import icalendar
from django.core.mail import EmailMultiAlternatives

from pretix_innowerkstatt.core.mail_calendar import events_of, rewrite_calendar_attachments

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pretix//test//\r\nBEGIN:VEVENT\r\n"
    "UID:pretix-innovationsbuero-innowerkstatt-0@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260527T160000Z\r\nSUMMARY:Innovationswerkstatt\r\nDESCRIPTION:Tickets\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_rewrites_only_calendar_attachments_and_keeps_uid():
    message = EmailMultiAlternatives("s", "b", to=["a@example.com"])
    message.attach("event.ics", ICS, "text/calendar")
    message.attach("ticket.pdf", b"%PDF", "application/pdf")

    def add_line(calendar):
        for vevent in events_of(calendar):
            vevent["DESCRIPTION"] = vevent["DESCRIPTION"] + "\n18:00 Begrüßung"

    assert rewrite_calendar_attachments(message, add_line) == 1
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("event.ics", "text/calendar")
    vevent = events_of(icalendar.Calendar.from_ical(content))[0]
    assert str(vevent["UID"]) == "pretix-innovationsbuero-innowerkstatt-0@example.com"
    assert str(vevent["DESCRIPTION"]) == "Tickets\n18:00 Begrüßung"
    assert message.attachments[1][1] == b"%PDF"
