"""The agenda in the DESCRIPTION of pretix's calendar files: mail attachments and the public download."""

import datetime

import icalendar
import pytest
import vobject
from django.core import mail as djmail
from django_scopes import scopes_disabled

from .conftest import make_agenda
from .orders import place_order

LINES = [
    "18:00 Begrüßung",
    "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)",
    "18:40 Schlaglichter aus dem BMFSFJ",
    "19:10 Arbeitsphase",
    "20:00 Ende",
]


def calendars_of(message):
    return [
        icalendar.Calendar.from_ical(content)
        for _name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


@pytest.mark.django_db
def test_mail_attachment_has_agenda_lines_and_pretix_uid(event, item, agenda):
    event.settings.mail_attach_ical = True
    place_order(event, item)
    [calendar] = calendars_of(djmail.outbox[0])
    [vevent] = vevents(calendar)
    assert str(vevent["UID"]) == "pretix-innovationsbuero-innowerkstatt-0@example.com"
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("Tickets: ")  # pretix's own text stays
    assert description.splitlines()[-5:] == LINES
    # Another parser reads the same.
    parsed = vobject.readOne(calendar.to_ical().decode())
    assert parsed.vevent.description.value.splitlines()[-5:] == LINES


@pytest.mark.django_db
def test_each_date_of_an_order_gets_its_own_agenda(event, item, two_dates):
    q2, q3 = two_dates
    event.settings.mail_attach_ical = True
    place_order(event, item, subevents=(q2, q3))
    by_uid = {str(v["UID"]): str(v["DESCRIPTION"]) for c in calendars_of(djmail.outbox[0]) for v in vevents(c)}
    assert (
        "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)"
        in by_uid[f"pretix-innovationsbuero-innowerkstatt-{q2.pk}@example.com"]
    )
    q3_description = by_uid[f"pretix-innovationsbuero-innowerkstatt-{q3.pk}@example.com"]
    assert "18:00 Sommerausgabe" in q3_description
    assert "Hackathon" not in q3_description


@pytest.mark.django_db
def test_mail_without_agenda_keeps_pretix_calendar(event, item):
    event.settings.mail_attach_ical = True
    place_order(event, item)
    [calendar] = calendars_of(djmail.outbox[0])
    assert "Agenda" not in str(vevents(calendar)[0]["DESCRIPTION"])


@pytest.mark.django_db
def test_public_add_to_calendar_download_has_agenda(client, event, item, agenda):
    response = client.get("/innovationsbuero/innowerkstatt/ical")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "innovationsbuero-innowerkstatt-0.ics" in response["Content-Disposition"]
    [vevent] = vevents(icalendar.Calendar.from_ical(response.content))
    assert str(vevent["UID"]) == "pretix-innovationsbuero-innowerkstatt-0@example.com"
    assert str(vevent["DESCRIPTION"]).splitlines()[-5:] == LINES
    # The front page still links pretix's own download.
    assert "/innovationsbuero/innowerkstatt/ical" in client.get("/innovationsbuero/innowerkstatt/").content.decode()


@pytest.mark.django_db
def test_public_download_of_a_date(client, event, item, adriana):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        q3 = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91), active=True)
        make_agenda(event, adriana)
    response = client.get(f"/innovationsbuero/innowerkstatt/ical/{q3.pk}/")
    [vevent] = vevents(icalendar.Calendar.from_ical(response.content))
    assert str(vevent["UID"]) == f"pretix-innovationsbuero-innowerkstatt-{q3.pk}@example.com"
    assert "18:10 Wir vs. Virus Hackathon" in str(vevent["DESCRIPTION"])
