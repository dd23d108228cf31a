"""REST API: /api/v1/organizers/<organizer>/innowerkstatt/formats/ with preview and create actions."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import Event, LogEntry, Team

from pretix_innowerkstatt.formats.models import Edition, Format
from tests.conftest import login

from .conftest import make_format

pytestmark = pytest.mark.django_db

API = "/api/v1/organizers/innovationsbuero/innowerkstatt/formats/"


def token_client(client, organizer, **team):
    with scopes_disabled():
        team = Team.objects.create(organizer=organizer, name="API", all_events=True, all_event_permissions=True, **team)
        token = team.tokens.create(name="script")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.token}"
    return client


@pytest.fixture
def api(client, organizer, template):
    return token_client(client, organizer, all_organizer_permissions=True)


def payload(template, **changes):
    data = {
        "slug": "innowerkstatt",
        "name": {"de": "Innovationswerkstatt", "en": "Innovation workshop"},
        "template_event": template.slug,
        "interval": 3,
        "rule_kind": "weekday",
        "ordinal": -1,
        "weekday": 2,
        "month": 2,
        "start_time": "18:00:00",
        "end_time": "20:00:00",
        "first_year": 2027,
        "first_period": 1,
        "count": 4,
        "holiday_state": "BE",
        "blocked_dates": [{"date": "2027-05-26", "reason": "Klausurtagung"}],
        "on_hit": "next",
        "name_pattern": {"de": "Innovationswerkstatt {quarter}/{year}"},
        "slug_pattern": "innowerkstatt-{year}-q{q}",
    }
    data.update(changes)
    return data


def test_create_read_preview_create_editions(api, organizer, template):
    response = api.post(API, payload(template), format="json", content_type="application/json")
    assert response.status_code == 201, response.content
    with scopes_disabled():
        added = LogEntry.objects.get(action_type="pretix_innowerkstatt.formats.format.added")
        assert added.content_object == Format.objects.get(slug="innowerkstatt") and added.organizer == organizer
        assert added.api_token.name == "script" and added.user is None
        assert added.display() == "The recurring format “Innovation workshop” has been created."
    body = response.json()
    assert body["rule"] == "The last Wednesday of month 2 of each quarter, 18:00–20:00"
    assert set(body["rrule"].split(";")) == {"FREQ=MONTHLY", "COUNT=4", "BYDAY=-1WE", "BYMONTH=2,5,8,11"}

    assert api.get(API).json()["results"][0]["slug"] == "innowerkstatt"

    preview = api.get(API + "innowerkstatt/preview/").json()
    assert preview["to_create"] == 4
    q2 = preview["dates"][1]
    assert (q2["label"], q2["moved"], q2["reasons"]) == ("Q2/2027", True, ["Klausurtagung"])
    assert q2["start"].startswith("2027-06-02T18:00:00+02:00")
    assert api.get(API + "innowerkstatt/preview/?extend=2").json()["to_create"] == 6

    created = api.post(API + "innowerkstatt/create/", {"extend": 1}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["created"] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1"]
    again = api.post(API + "innowerkstatt/create/", {}, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] == []
    editions = api.get(API + "innowerkstatt/").json()["editions"]
    assert [e["event"] for e in editions][:2] == ["innowerkstatt-2027-q1", "innowerkstatt-2027-q2"]
    with scopes_disabled():
        log = LogEntry.objects.filter(action_type="pretix_innowerkstatt.formats.editions.created").first()
        assert log.api_token is not None


@pytest.mark.parametrize(
    "changes,message",
    [
        (dict(holiday_state="XX"), "not a valid choice"),
        (dict(rule_kind="monthday", day=31), "Day 31 does not exist"),
        (dict(count=None, until="2026-01-01"), "lies before the first period"),
        (dict(end_time="17:00:00"), "end time must be after"),
        (dict(template_event="gibt-es-nicht"), "does not exist"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(api, template, changes, message):
    response = api.post(API, payload(template, **changes), content_type="application/json")
    assert response.status_code == 400
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Format.objects.exists()


def test_over_the_limit_is_a_400_and_creates_nothing(api, organizer, template):
    make_format(organizer, template, count=101, slug_pattern="iw-{year}-{q}")
    response = api.post(API + "innowerkstatt/create/", {}, content_type="application/json")
    assert response.status_code == 400 and "at most 100" in response.content.decode()
    with scopes_disabled():
        assert not Edition.objects.exists()
        assert Event.objects.filter(organizer=organizer).count() == 1


def test_update_and_delete(api, organizer, template, fmt, admin_user):
    response = api.patch(API + "innowerkstatt/", {"count": 8}, content_type="application/json")
    assert response.status_code == 200 and response.json()["count"] == 8
    with scopes_disabled():
        changed = LogEntry.objects.get(action_type="pretix_innowerkstatt.formats.format.changed")
        assert changed.content_object == fmt and changed.organizer == organizer
        assert changed.api_token.name == "script" and changed.parsed_data["changed"] == ["count"]
        assert changed.display() == "The recurring format “Innovation workshop” has been changed."
    assert api.delete(API + "innowerkstatt/").status_code == 204
    with scopes_disabled():
        assert not Format.objects.exists()
        deleted = LogEntry.objects.get(action_type="pretix_innowerkstatt.formats.format.deleted")
        assert deleted.organizer == organizer and deleted.api_token.name == "script"
        assert deleted.parsed_data == {"name": "Innovation workshop", "slug": "innowerkstatt"}
        assert deleted.display() == "The recurring format “Innovation workshop” has been deleted; its editions remain."
    # what the organiser reads in the backend: both lines, by the API token
    log = " ".join(login(Client(), admin_user).get("/control/organizer/innovationsbuero/logs").content.decode().split())
    for line in ("has been changed.", "has been deleted; its editions remain."):
        assert f"The recurring format “Innovation workshop” {line}" in log
    assert log.count('<span class="fa fa-key fa-fw"></span> script') == 2


def test_needs_organizer_events_create(client, organizer, template, fmt):
    limited = token_client(client, organizer, limit_organizer_permissions={"organizer.settings.general:write": True})
    assert limited.get(API).status_code == 403
    limited.defaults.pop("HTTP_AUTHORIZATION")
    allowed = token_client(client, organizer, limit_organizer_permissions={"organizer.events:create": True})
    assert allowed.get(API).status_code == 200


def test_404_when_the_plugin_is_off(api, organizer, fmt):
    with scopes_disabled():
        organizer.disable_plugin("pretix_innowerkstatt")
        organizer.save()
    assert api.get(API).status_code == 404
