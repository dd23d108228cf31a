"""XSS payloads through every agenda and speaker field: event page, backend, mails, calendar files."""

import datetime

import icalendar
import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString

from pretix_innowerkstatt.agenda.models import AgendaItem

from .orders import html_part, place_order
from .xss import PAYLOAD, PAYLOADS, injected_elements


@pytest.fixture
def poisoned(event, organizer):
    """Every text field of an item and a speaker holds every payload (as the API or an import could store)."""
    with scopes_disabled():
        speaker = organizer.innowerkstatt_speakers.create(
            name=PAYLOAD,
            role={"de": PAYLOAD},
            biography={"de": PAYLOAD},
            links=[
                {"label": PAYLOAD, "url": "javascript:alert(1)"},
                {"label": "ok", "url": 'https://example.org/"><svg onload=alert(1)>'},
            ],
        )
        item = AgendaItem.objects.create(
            event=event,
            start=event.date_from + datetime.timedelta(minutes=10),
            end=event.date_from + datetime.timedelta(minutes=40),
            title={"de": PAYLOAD + "\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected"},
            description={"de": PAYLOAD},
            room={"de": PAYLOAD},
        )
        item.speaker_links.create(speaker=speaker)
    return item


@pytest.mark.django_db
def test_event_page_shows_payloads_as_text_only(client, event, item, poisoned):
    html = client.get("/innovationsbuero/innowerkstatt/").content.decode()
    assert 'id="innowerkstatt-agenda"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    assert injected_elements(html) == []
    assert 'href="javascript:' not in html.lower()
    assert 'href="https://example.org/&quot;&gt;&lt;svg onload=alert(1)&gt;"' in html  # kept, but as an escaped URL


@pytest.mark.django_db
def test_backend_pages_show_payloads_as_text_only(admin_client, event, poisoned):
    for url in (
        "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/",
        "/control/organizer/innovationsbuero/innowerkstatt/speakers/",
        "/control/event/innovationsbuero/innowerkstatt/logs/",
    ):
        html = admin_client.get(url).content.decode()
        assert injected_elements(html) == [], url


@pytest.mark.django_db
def test_mails_carry_payloads_as_text_only(event, item, poisoned):
    event.settings.mail_text_order_free = LazyI18nString({"de": "Ablauf:\n\n{agenda}\n\nMit:\n\n{speakers}"})
    event.settings.mail_attach_ical = True
    place_order(event, item)
    message = djmail.outbox[0]
    assert PAYLOADS[0] in message.body  # the text part is plain text
    html = html_part(message)
    assert "innowerkstatt-agenda" in html
    assert injected_elements(html) == []
    calendars = [
        icalendar.Calendar.from_ical(content) for _n, content, mime in message.attachments if mime == "text/calendar"
    ]
    [calendar] = calendars
    [vevent] = list(calendar.walk("VEVENT"))  # the title's line breaks did not start a second event
    assert PAYLOADS[0] in str(vevent["DESCRIPTION"])
    assert str(vevent["UID"]) == "pretix-innovationsbuero-innowerkstatt-0@example.com"


@pytest.mark.django_db
def test_public_calendar_download_keeps_one_event(client, event, item, poisoned):
    calendar = icalendar.Calendar.from_ical(client.get("/innovationsbuero/innowerkstatt/ical").content)
    [vevent] = list(calendar.walk("VEVENT"))
    assert "SUMMARY:injected" not in str(vevent["SUMMARY"])
    assert PAYLOADS[1] in str(vevent["DESCRIPTION"])


@pytest.mark.django_db
def test_payloads_through_the_backend_forms_are_stored_as_text_and_rendered_safely(admin_client, event, item):
    url = "/control/organizer/innovationsbuero/innowerkstatt/speakers/add/"
    response = admin_client.post(
        url, {"name": PAYLOAD, "role_0": PAYLOAD, "role_1": "", "biography_0": PAYLOAD, "biography_1": "", "links": ""}
    )
    assert response.status_code == 302
    empty = {"role_0": "", "role_1": "", "biography_0": "", "biography_1": ""}
    refused = admin_client.post(url, {"name": "x", **empty, "links": "javascript:alert(1)"})
    assert refused.status_code == 200
    with scopes_disabled():
        speaker = event.organizer.innowerkstatt_speakers.get()
        link = AgendaItem.objects.create(event=event, start=event.date_from, title={"de": PAYLOAD})
        link.speaker_links.create(speaker=speaker)
    html = admin_client.get("/innovationsbuero/innowerkstatt/").content.decode()
    assert injected_elements(html) == []
