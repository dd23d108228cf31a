"""agenda.ics: one VEVENT per agenda item, parsed back with a second library (``ics``)."""
# ruff: noqa: F811  (fixtures imported from interop_helpers are used as test arguments)

import datetime

import icalendar
import ics
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker

from .interop_helpers import XSS_PAYLOADS, add_items, evening, series  # noqa: F401

URL = "/innovationsbuero/innowerkstatt/innowerkstatt/agenda.ics"


def parse(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    calendar = ics.Calendar(response.content.decode())
    return {event.uid: event for event in calendar.events}


@pytest.mark.django_db
def test_one_event_per_item_with_stable_uid_and_times(client, event, evening):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="de")
    body = response.content.decode()
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Berlin" in body
    assert "DTSTART;TZID=Europe/Berlin:" in body
    events = parse(response)
    assert set(events) == {str(item.uid) for item in evening}

    talk = events[str(evening[1].uid)]
    assert talk.name == "Wir vs. Virus Hackathon – ein Best Practice"
    assert talk.begin == event.date_from + datetime.timedelta(minutes=10)
    assert talk.end == event.date_from + datetime.timedelta(minutes=40)
    assert talk.location == "Plenum"
    assert talk.url == "http://example.com/innovationsbuero/innowerkstatt/"
    assert talk.description.startswith("Mit Markdown und Link (https://example.org/info).")
    assert "Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon" in talk.description
    # Open end: no DTEND, a point in time.
    end = events[str(evening[3].uid)]
    assert end.begin == event.date_from + datetime.timedelta(hours=2)
    assert end.duration == datetime.timedelta(0)
    assert "SEQUENCE:0" in body


@pytest.mark.django_db
def test_changed_item_keeps_uid_and_raises_sequence(client, admin_user, event, evening):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_user)
    with scopes_disabled():
        item = evening[1]
    response = api.patch(
        f"/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/agenda/{item.pk}/",
        {"room": {"de": "Breakout 3"}},
        format="json",
    )
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(client.get(URL).content)
    sequences = {str(e["UID"]): e["SEQUENCE"] for e in calendar.walk("VEVENT")}
    assert sequences[str(item.uid)] == 1
    assert sequences[str(evening[0].uid)] == 0
    assert parse(client.get(URL))[str(item.uid)].location == "Breakout 3"
    assert str(calendar["UID"]) == str(icalendar.Calendar.from_ical(client.get(URL).content)["UID"])


@pytest.mark.django_db
def test_series_dates_place_shared_items_on_their_day(client, event, evening, series):
    own, shared = series
    events = parse(client.get(f"/innovationsbuero/innowerkstatt/{own.pk}/innowerkstatt/agenda.ics"))
    assert [e.name for e in events.values()] == ["Nur am ersten Termin"]

    events = parse(client.get(f"/innovationsbuero/innowerkstatt/{shared.pk}/innowerkstatt/agenda.ics"))
    assert len(events) == 4
    welcome = min(events.values(), key=lambda e: e.begin)
    assert welcome.begin == shared.date_from
    assert welcome.begin.to("Europe/Berlin").strftime("%H:%M") == "18:00"
    assert str(evening[0].uid) not in events

    assert len(parse(client.get(URL))) == 5  # the whole series: both dates


@pytest.mark.django_db
def test_shared_agenda_follows_the_start_of_a_later_date(client, event, evening, series):
    own, shared = series
    with scopes_disabled():
        shared.date_from += datetime.timedelta(hours=1)  # this edition starts at 19:00
        shared.save()
    events = parse(client.get(f"/innovationsbuero/innowerkstatt/{shared.pk}/innowerkstatt/agenda.ics"))
    starts = sorted(e.begin.to("Europe/Berlin").strftime("%H:%M") for e in events.values())
    assert starts == ["19:00", "19:10", "19:40", "21:00"]


@pytest.mark.django_db
def test_dates_only_for_series(client, event, evening):
    assert client.get("/innovationsbuero/innowerkstatt/1/innowerkstatt/agenda.ics").status_code == 404


@pytest.mark.django_db
def test_empty_agenda_is_a_valid_calendar(client, event):
    response = client.get(URL)
    assert parse(response) == {}
    assert "BEGIN:VTIMEZONE" in response.content.decode()


@pytest.mark.django_db
def test_404_when_plugin_inactive(client, event, evening):
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert client.get(URL).status_code == 404
    assert client.get(URL.replace("agenda.ics", "schedule.json")).status_code == 404


@pytest.mark.django_db
def test_404_when_plugin_inactive_for_organizer(client, organizer, event, evening):
    with scopes_disabled():
        organizer.disable_plugin("pretix_innowerkstatt")
        organizer.save()
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_offline_event_like_pretix_own_calendar(client, admin_user, event, evening):
    with scopes_disabled():
        event.live = False
        event.save()
    pretix_own = client.get("/innovationsbuero/innowerkstatt/ical/")
    ours = client.get(URL)
    assert ours.status_code == pretix_own.status_code == 403
    assert client.get(URL.replace("agenda.ics", "schedule.json")).status_code == 403
    from tests.conftest import login

    login(client, admin_user)  # the organiser may preview it
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_xss_payloads_are_plain_text(client, event):
    with scopes_disabled():
        speaker = Speaker.objects.create(organizer=event.organizer, name=XSS_PAYLOADS[1], role={"de": XSS_PAYLOADS[0]})
        for payload in XSS_PAYLOADS:
            texts = {"title": {"de": payload}, "description": {"de": payload}, "room": {"de": payload}}
            item = AgendaItem.objects.create(event=event, start=event.date_from, **texts)
            item.speaker_links.create(speaker=speaker)
    response = client.get(URL)
    body = response.content.decode().lower()
    for needle in ("<script", "<img", "<svg", "onerror=", "onload=", "javascript:alert(1))\\n"):
        assert needle not in body
    events = parse(response)
    assert len(events) == 4
    assert all("javascript:" not in (e.description or "").split("\n\n")[0] for e in events.values())


@pytest.mark.django_db
def test_constant_queries(client, event):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    add_items(event, 3)
    few = count()
    add_items(event, 57)
    assert count() == few


@pytest.mark.django_db
def test_constant_queries_for_a_series(client, event, series):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    with scopes_disabled():
        for week in range(3, 13):
            event.subevents.create(
                name=f"Woche {week}", date_from=event.date_from + datetime.timedelta(weeks=week), active=True
            )
    add_items(event, 20)
    assert count() == few
