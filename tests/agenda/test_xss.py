"""XSS payloads through every agenda and speaker field: event page, backend, mails, calendar files, API."""

import datetime

import icalendar
import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString
from rest_framework.test import APIClient

from pretix_innowerkstatt.agenda.models import AgendaItem

from .interop_helpers import api_token
from .orders import html_part, place_order
from .xss import PAYLOAD, PAYLOAD_URL, PAYLOADS, assert_plain, injected_elements

EVENT_PAGE = "/innovationsbuero/innowerkstatt/"
API = "/api/v1/organizers/innovationsbuero/"


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


def confirmation_mail(event, item):
    """The free order's confirmation mail with ``{agenda}``, ``{speakers}`` and pretix's calendar file."""
    event.settings.mail_text_order_free = LazyI18nString({"de": "Ablauf:\n\n{agenda}\n\nMit:\n\n{speakers}"})
    event.settings.mail_attach_ical = True
    place_order(event, item)
    [message] = djmail.outbox
    [calendar] = [
        icalendar.Calendar.from_ical(content) for _n, content, mime in message.attachments if mime == "text/calendar"
    ]
    [vevent] = list(calendar.walk("VEVENT"))  # the title's line breaks did not start a second event
    return message, vevent


@pytest.mark.django_db
def test_mails_carry_payloads_as_text_only(event, item, poisoned):
    message, vevent = confirmation_mail(event, item)
    assert message.content_subtype == "plain" and PAYLOADS[0] in message.body  # the text part shows them as text
    html = html_part(message)
    assert "innowerkstatt-agenda" in html
    assert injected_elements(html) == []
    assert "18:10 " in str(vevent["DESCRIPTION"])  # the agenda is there
    assert_plain(str(vevent["DESCRIPTION"]), "mail calendar")
    assert str(vevent["UID"]) == "pretix-innovationsbuero-innowerkstatt-0@example.com"


@pytest.mark.django_db
def test_public_calendar_download_keeps_one_event(client, event, item, poisoned):
    calendar = icalendar.Calendar.from_ical(client.get(EVENT_PAGE + "ical").content)
    [vevent] = list(calendar.walk("VEVENT"))
    assert "SUMMARY:injected" not in str(vevent["SUMMARY"])
    assert "alert(1)" in str(vevent["DESCRIPTION"])
    assert_plain(str(vevent["DESCRIPTION"]), "calendar download")


def strings(value, path="$"):
    """``(path, text)`` of every string in a JSON document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from strings(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from strings(inner, f"{path}[{index}]")


@pytest.mark.django_db
def test_payloads_sent_through_the_api_into_every_field_are_inert_everywhere(client, organizer, event, item):
    """Title, description, room; name, role, biography, links: written like any integration would."""
    api = APIClient()
    token = api_token(organizer, all_events=True, all_event_permissions=True, all_organizer_permissions=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    speakers = f"{API}innowerkstatt/speakers/"
    agenda = f"{API}events/innowerkstatt/innowerkstatt/agenda/"
    bad_link = {"name": "x", "links": [{"label": "x", "url": "javascript:alert(1)"}]}
    assert api.post(speakers, bad_link, format="json").status_code == 400
    speaker = api.post(
        speakers,
        {
            "name": PAYLOAD,
            "role": {"de": PAYLOAD},
            "biography": {"de": PAYLOAD},
            "links": [{"label": payload, "url": PAYLOAD_URL} for payload in PAYLOADS],  # labels: 100 characters
        },
        format="json",
    )
    assert speaker.status_code == 201, speaker.content
    start = event.date_from + datetime.timedelta(minutes=10)
    created = api.post(
        agenda,
        {
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(minutes=30)).isoformat(),
            "kind": "talk",
            "title": {"de": PAYLOAD},
            "description": {"de": PAYLOAD},
            "room": {"de": PAYLOAD},
            "speakers": [{"speaker": speaker.json()["id"], "role": "speaker"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content

    # The API is data, not a page: the texts come back as stored, as JSON; asked for HTML, it refuses.
    for url in (f"{agenda}{created.json()['id']}/", f"{speakers}{speaker.json()['id']}/"):
        assert api.get(url)["Content-Type"] == "application/json"
        as_page = api.get(url, HTTP_ACCEPT="text/html")
        assert as_page.status_code == 406 and as_page["Content-Type"] == "application/json"
    assert api.get(f"{agenda}{created.json()['id']}/").json()["title"] == {"de": PAYLOAD}
    stored_links = api.get(f"{speakers}{speaker.json()['id']}/").json()["links"]
    assert stored_links == [{"label": payload, "url": PAYLOAD_URL} for payload in PAYLOADS]

    page = client.get(EVENT_PAGE).content.decode()
    assert 'id="innowerkstatt-agenda"' in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert injected_elements(page) == []

    message, attached = confirmation_mail(event, item)
    assert message.content_subtype == "plain" and PAYLOADS[0] in message.body  # text, shown as text
    html = html_part(message)
    assert "innowerkstatt-agenda" in html and "innowerkstatt-speakers" in html
    assert injected_elements(html) == []
    assert "18:10 " in str(attached["DESCRIPTION"]) and "alert(1)" in str(attached["DESCRIPTION"])
    assert_plain(str(attached["DESCRIPTION"]), "mail calendar")

    feed = icalendar.Calendar.from_ical(client.get(EVENT_PAGE + "innowerkstatt/agenda.ics").content)
    [entry] = list(feed.walk("VEVENT"))
    for prop in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert "alert(1)" in str(entry[prop]) or prop == "LOCATION"
        assert_plain(str(entry[prop]), f"agenda.ics {prop}")
    assert str(entry["URL"]).startswith("http://")

    schedule = client.get(EVENT_PAGE + "innowerkstatt/schedule.json").json()
    texts = dict(strings(schedule))
    assert any("alert(1)" in text for path, text in texts.items() if path.endswith(".biography"))
    for path, text in texts.items():
        assert_plain(text, f"schedule.json {path}")
        assert not text.lower().startswith("javascript:"), path
    [link] = [text for path, text in texts.items() if path.endswith("].links[0].url")]
    assert link == "https://example.org/%22%3E%3Csvg/onload=alert(1)%3E"


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
