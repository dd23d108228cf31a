"""schedule.json in the frab/c3voc format, valid against the c3voc JSON Schema."""
# ruff: noqa: F811  (fixtures imported from interop_helpers are used as test arguments)

import datetime

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker

from .interop_helpers import SCHEMA, XSS_PAYLOADS, add_items, evening, series  # noqa: F401

URL = "/innovationsbuero/innowerkstatt/innowerkstatt/schedule.json"


def validate(document):
    validator = jsonschema.Draft6Validator(SCHEMA, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def talks(document):
    return [
        talk
        for day in document["schedule"]["conference"]["days"]
        for room_talks in day["rooms"].values()
        for talk in room_talks
    ]


@pytest.mark.django_db
def test_schedule_json_is_valid_and_complete(client, event, evening):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    validate(document)

    conference = document["schedule"]["conference"]
    assert conference["title"] == "Innovationswerkstatt"
    assert conference["time_zone_name"] == "Europe/Berlin"
    assert conference["daysCount"] == 1
    assert conference["url"] == "http://example.com/innovationsbuero/innowerkstatt/"
    day = conference["days"][0]
    assert day["date"] == event.date_from.date().isoformat()
    assert list(day["rooms"]) == ["Online", "Plenum", "Breakout 1"]  # empty room → "Online"
    assert [r["name"] for r in conference["rooms"]] == ["Online", "Plenum", "Breakout 1"]

    by_title = {t["title"]: t for t in talks(document)}
    talk = by_title["Wir vs. Virus Hackathon – ein Best Practice"]
    assert talk["guid"] == str(evening[1].uid)
    assert talk["start"] == "18:10"
    assert talk["date"] == (event.date_from + datetime.timedelta(minutes=10)).isoformat()
    assert talk["duration"] == "00:30"
    assert talk["type"] == "talk"
    assert talk["language"] == "de"
    assert talk["abstract"] == "Mit Markdown und Link (https://example.org/info)."
    assert talk["persons"][0]["name"] == "Adriana Groh"
    assert talk["persons"][0]["biography"] == "Gründete den Prototype Fund mit."
    assert talk["persons"][0]["links"] == [{"url": "https://example.org/adriana", "title": "Website"}]
    assert talk["url"] == "http://example.com/innovationsbuero/innowerkstatt/"
    end = by_title["Ende"]
    assert end["duration"] == "00:00" and "end" not in end  # open end
    assert by_title["Arbeitsphase"]["type"] == "work"


@pytest.mark.django_db
def test_language_follows_the_visitor(client, event, evening):
    document = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    titles = [t["title"] for t in talks(document)]
    assert "Welcome" in titles
    assert talks(document)[0]["language"] == "en"


@pytest.mark.django_db
def test_empty_agenda_is_still_valid(client, event):
    document = client.get(URL).json()
    validate(document)
    assert document["schedule"]["conference"]["days"] == []


@pytest.mark.django_db
def test_series_date_and_whole_series(client, event, evening, series):
    own, shared = series
    document = client.get(f"/innovationsbuero/innowerkstatt/{own.pk}/innowerkstatt/schedule.json").json()
    validate(document)
    assert [t["title"] for t in talks(document)] == ["Nur am ersten Termin"]

    # The second date has no agenda of its own: the event's items, placed on that date's day.
    document = client.get(f"/innovationsbuero/innowerkstatt/{shared.pk}/innowerkstatt/schedule.json").json()
    validate(document)
    shared_talks = talks(document)
    assert len(shared_talks) == 4
    assert shared_talks[0]["date"].startswith(shared.date_from.date().isoformat())
    assert {t["start"] for t in shared_talks} == {"18:00", "18:10", "18:40", "20:00"}
    assert shared_talks[0]["guid"] != str(evening[0].uid)  # its own identity on this date
    assert shared_talks[0]["url"].endswith(f"/innowerkstatt/{shared.pk}/")

    whole = client.get(URL).json()
    validate(whole)
    assert len(talks(whole)) == 5
    assert whole["schedule"]["conference"]["daysCount"] == 2


@pytest.mark.django_db
def test_unknown_or_inactive_date_is_404(client, event, series):
    own, shared = series
    with scopes_disabled():
        shared.active = False
        shared.save()
    assert client.get(f"/innovationsbuero/innowerkstatt/{shared.pk}/innowerkstatt/schedule.json").status_code == 404
    assert client.get(f"/innovationsbuero/innowerkstatt/{own.pk + 99}/innowerkstatt/schedule.json").status_code == 404


@pytest.mark.django_db
def test_xss_payloads_leave_no_markup(client, event):
    with scopes_disabled():
        speaker = Speaker.objects.create(
            organizer=event.organizer,
            name=XSS_PAYLOADS[3],
            biography={"de": " ".join(XSS_PAYLOADS)},
            links=[{"label": XSS_PAYLOADS[0], "url": "javascript:alert(1)"}],
        )
        for payload in XSS_PAYLOADS:
            item = AgendaItem.objects.create(
                event=event,
                start=event.date_from,
                title={"de": payload},
                description={"de": payload},
                room={"de": payload},
            )
            item.speaker_links.create(speaker=speaker)
    response = client.get(URL)
    body = response.content.decode()
    document = response.json()
    validate(document)
    for needle in ("<script", "<img", "<svg", "onerror=", "onload="):
        assert needle not in body.lower()
    for talk in talks(document):
        # Markdown is rendered to text: the link's label stays, its javascript: target is gone.
        assert "javascript:" not in talk["abstract"]
        assert "javascript:" not in talk["persons"][0]["biography"]
        assert "links" not in talk["persons"][0]  # the javascript: link is dropped
        assert talk["url"].startswith("http://example.com/")
    abstracts = {talk["abstract"] for talk in talks(document)}
    assert "x" in abstracts and "alert(1)" in abstracts


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
