"""Who may do what with formats: the series' date permission, taking events live, team event limits."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import Event, SubEvent, Team

from pretix_innowerkstatt.formats import tasks
from pretix_innowerkstatt.formats.domain import creation
from pretix_innowerkstatt.formats.domain.errors import FormatError
from pretix_innowerkstatt.formats.models import Edition, Format
from tests.conftest import login, team_member

from .conftest import BERLIN, make_format
from .test_api import API, payload
from .test_views import BASE, form_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
EVENT_CREATOR = {"organizer.events:create": True}


def event_creator_with(organizer, email, event_permissions, **team):
    """A user who may create events and has ``event_permissions`` (on all events unless ``all_events=False``)."""
    team.setdefault("all_events", True)
    return team_member(
        organizer, email, limit_event_permissions=event_permissions, limit_organizer_permissions=EVENT_CREATOR, **team
    )


def team_token(organizer, event_permissions, *, limit_events=None):
    with scopes_disabled():
        team = Team.objects.create(
            organizer=organizer,
            name="API",
            all_events=limit_events is None,
            limit_event_permissions=event_permissions,
            limit_organizer_permissions=EVENT_CREATOR,
        )
        if limit_events is not None:
            team.limit_events.set(limit_events)
        token = team.tokens.create(name="script")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.token}"
    return client, team


@pytest.fixture
def series_reader(organizer, series):
    """May create events and read everything, but not change the dates of the series."""
    return event_creator_with(organizer, "reader@innovationsbuero.example", {"event.orders:read": True})


@pytest.fixture
def series_format(organizer, series):
    event, template_date, _ = series
    return make_format(organizer, event, mode="dates", template_subevent=template_date, slug="reihe")


def create_on_command_line(format_slug, user):
    arguments = ["create", "--organizer", "innovationsbuero", "--format", format_slug, "--user", user.email]
    call_command("innowerkstatt_formats", *arguments)


def date_count(series):
    with scopes_disabled():
        return SubEvent.objects.filter(event=series[0]).count()


# --- dates mode needs the series' date permission ---------------------------------------------
def test_read_only_user_cannot_add_dates_through_a_format_in_the_form(client, organizer, series, series_reader):
    event, template_date, _ = series
    login(client, series_reader)
    data = form_data(event, mode="dates", template_subevent=template_date.pk, slug="reihe")
    response = client.post(BASE + "add/", data)
    assert response.status_code == 200
    assert "You may not change the dates of the event series" in response.content.decode()
    with scopes_disabled():
        assert not Format.objects.exists()

    writer = event_creator_with(
        organizer, "writer@innovationsbuero.example", {"event.orders:read": True, "event.subevents:write": True}
    )
    login(client, writer)
    assert client.post(BASE + "add/", data).status_code == 302
    with scopes_disabled():
        assert Format.objects.get().mode == "dates"


def test_read_only_user_cannot_add_dates_through_a_format_in_the_backend_task(
    client, series, series_format, series_reader
):
    login(client, series_reader)
    response = client.post(BASE + "reihe/create/", {"extend": "0"}, follow=True)
    assert "You may not change the dates of the event series" in response.content.decode()
    assert date_count(series) == 1
    with scopes_disabled():
        assert not Edition.objects.exists()


def test_read_only_user_cannot_add_dates_through_a_format_in_the_task(organizer, series, series_format, series_reader):
    result = tasks.create_editions.apply(
        kwargs={"organizer": organizer.pk, "user": series_reader.pk, "format_id": series_format.pk}
    )
    with pytest.raises(FormatError, match="You may not change the dates"):
        result.get()
    assert date_count(series) == 1


def test_read_only_token_cannot_add_dates_through_a_format_in_the_api(organizer, series, series_format):
    event, template_date, _ = series
    api, _ = team_token(organizer, {"event.orders:read": True})
    response = api.post(API + "reihe/create/", {}, content_type="application/json")
    assert response.status_code == 400
    assert "You may not change the dates" in response.json()["non_field_errors"][0]
    assert date_count(series) == 1

    new = payload(event, slug="andere-reihe", mode="dates", template_subevent=template_date.pk)
    response = api.post(API, new, content_type="application/json")
    assert response.status_code == 400 and "You may not change the dates" in str(response.json())
    with scopes_disabled():
        assert not Format.objects.filter(slug="andere-reihe").exists()

    writer, _ = team_token(organizer, {"event.orders:read": True, "event.subevents:write": True})
    assert writer.post(API + "reihe/create/", {}, content_type="application/json").status_code == 201
    assert date_count(series) == 5


def test_read_only_user_cannot_add_dates_through_a_format_on_the_command_line(series, series_format, series_reader):
    with pytest.raises(CommandError, match="You may not change the dates"):
        create_on_command_line("reihe", series_reader)
    assert date_count(series) == 1


# --- publishing right away needs the permission to take events live ----------------------------
@pytest.fixture
def settings_reader(organizer, template):
    """May create events and read the template, but not change its settings (so not take it live)."""
    return event_creator_with(organizer, "settings-reader@innovationsbuero.example", {"event.orders:read": True})


def test_user_who_may_not_take_events_live_cannot_set_a_format_to_publish(client, template, settings_reader):
    login(client, settings_reader)
    response = client.post(BASE + "add/", form_data(template, publish="on"))
    assert response.status_code == 200
    assert "You may not take events live" in response.content.decode()
    assert client.post(BASE + "add/", form_data(template)).status_code == 302


def test_editions_created_by_a_user_who_may_not_take_events_live_stay_offline(organizer, template, settings_reader):
    fmt = make_format(organizer, template, publish=True)
    with scopes_disabled():
        result = creation.create_editions(fmt, user=settings_reader, now=NOW)
        assert len(result.created) == 4
        assert [key for key, __ in result.offline] == result.created
        assert "permission" in result.offline[0][1]
        assert not Event.objects.filter(slug__startswith="innowerkstatt-2027", live=True).exists()


def test_token_that_may_not_take_events_live_cannot_set_a_format_to_publish(organizer, template):
    api, _ = team_token(organizer, {"event.orders:read": True})
    response = api.post(API, payload(template, publish=True), content_type="application/json")
    assert response.status_code == 400 and "publish" in response.json()


# --- team event limits -------------------------------------------------------------------------
@pytest.fixture
def event_a(organizer):
    with scopes_disabled():
        start = datetime.datetime(2026, 12, 9, 18, tzinfo=BERLIN)
        event = Event.objects.create(
            organizer=organizer,
            name="Regionaltreffen",
            slug="regional",
            date_from=start,
            plugins="pretix_innowerkstatt",
        )
        event.settings.timezone = "Europe/Berlin"
        return event


def test_token_limited_to_one_event_sees_and_uses_no_format_of_another_event(organizer, template, event_a, fmt):
    # ``fmt``'s template is the Innowerkstatt event, which the token may not access.
    api, _ = team_token(organizer, {"event.settings.general:write": True}, limit_events=[event_a])
    assert api.get(API).json()["results"] == []
    assert api.get(API + "innowerkstatt/").status_code == 404
    assert api.get(API + "innowerkstatt/preview/").status_code == 404
    assert api.post(API + "innowerkstatt/create/", {}, content_type="application/json").status_code == 404
    assert api.patch(API + "innowerkstatt/", {"count": 8}, content_type="application/json").status_code == 404

    response = api.post(API, payload(template, slug="fremd"), content_type="application/json")
    assert response.status_code == 400 and "template_event" in response.json()
    own = payload(event_a, slug="regional", slug_pattern="regional-{year}-q{q}")
    assert api.post(API, own, content_type="application/json").status_code == 201
    assert [f["slug"] for f in api.get(API).json()["results"]] == ["regional"]
    with scopes_disabled():
        assert Event.objects.count() == 2


def test_token_limited_to_one_event_gets_only_editions_and_names_of_events_it_can_access(
    organizer, event_a, admin_user
):
    fmt = make_format(organizer, event_a, slug="regional", slug_pattern="regional-{year}-q{q}")
    api, team = team_token(organizer, {"event.settings.general:write": True}, limit_events=[event_a])
    with scopes_disabled():
        creation.create_editions(fmt, user=admin_user, now=NOW)
        # editions join the teams limited to the template; this one is taken away from the token again
        hidden = Event.objects.get(slug="regional-2027-q2")
        team.limit_events.remove(hidden)
        start = datetime.datetime(2028, 2, 23, 10, tzinfo=BERLIN)
        Event.objects.create(organizer=organizer, name="Vorstandssitzung", slug="vorstand", date_from=start)

    editions = api.get(API + "regional/").json()["editions"]
    assert [e["key"] for e in editions] == ["2027-Q1", "2027-Q3", "2027-Q4"]

    dates = {d["key"]: d for d in api.get(API + "regional/preview/?extend=1").json()["dates"]}
    assert dates["2027-Q2"]["status"] == "exists" and dates["2027-Q2"]["edition"] is None
    assert dates["2027-Q3"]["edition"] == {"event": "regional-2027-q3", "subevent": None}
    assert dates["2028-Q1"]["warnings"] == ["Same day as “an event you have no access to”."]
    assert "Vorstandssitzung" not in str(dates)


def test_backend_user_limited_to_one_event_sees_no_format_of_another_event(client, organizer, fmt, event_a):
    user = event_creator_with(
        organizer, "regional@innovationsbuero.example", {"event.orders:read": True}, all_events=False
    )
    with scopes_disabled():
        user.teams.get().limit_events.add(event_a)
    login(client, user)
    assert BASE + "innowerkstatt/preview/" not in client.get(BASE).content.decode()
    assert client.get(BASE + "innowerkstatt/preview/").status_code == 404
    assert client.get(BASE + "innowerkstatt/").status_code == 404
    form = client.get(BASE + "add/").content.decode()
    assert "Regionaltreffen" in form and "Innovation workshop" not in form


def test_user_who_may_not_create_events_cannot_create_editions_on_the_command_line(fmt, readonly_user):
    with pytest.raises(CommandError, match="You may not create events"):
        create_on_command_line("innowerkstatt", readonly_user)
    with scopes_disabled():
        assert not Edition.objects.exists()
