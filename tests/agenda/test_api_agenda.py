"""REST API for agenda items and speakers, through pretix's own routers and authentication."""
# ruff: noqa: F811  (fixtures imported from interop_helpers are used as test arguments)

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Device, LogEntry, Organizer
from rest_framework.test import APIClient

from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker

from .interop_helpers import XSS_PAYLOADS, add_items, api_token, evening  # noqa: F401

AGENDA = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/agenda/"
SPEAKERS = "/api/v1/organizers/innovationsbuero/innowerkstatt/speakers/"


@pytest.fixture
def writer(organizer, event):
    """A team token with every right, like an organiser's integration."""
    client = APIClient()
    token = api_token(organizer, all_events=True, all_event_permissions=True, all_organizer_permissions=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def reader(organizer, event):
    """A team token that may only look at orders: reads the agenda, must not change it."""
    client = APIClient()
    token = api_token(organizer, all_events=True, limit_event_permissions={"event.orders:read": True})
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def device_client(organizer, event):
    with scopes_disabled():
        device = Device.objects.create(
            organizer=organizer, all_events=True, name="Einlass", initialized=now(), api_token="device-secret-token"
        )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.api_token}")
    return client


@pytest.fixture
def speaker(organizer):
    with scopes_disabled():
        return Speaker.objects.create(organizer=organizer, name="Adriana Groh", role={"de": "Prototype Fund"})


def _item_payload(event, **extra):
    start = event.date_from.astimezone(datetime.UTC)
    return {
        "start": start.isoformat(),
        "end": (start + datetime.timedelta(minutes=30)).isoformat(),
        "title": {"de": "Wir vs. Virus", "en": "We vs. Virus"},
        "description": {"de": "Ein *Best Practice*"},
        "kind": "talk",
        "room": {"de": "Plenum"},
        **extra,
    }


@pytest.mark.django_db
def test_list_shows_items_with_i18n_fields_and_ordered_speakers(reader, event, evening):
    response = reader.get(AGENDA)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    first, talk = data["results"][0], data["results"][1]
    assert first["title"] == {"de": "Begrüßung", "en": "Welcome"}
    assert first["kind"] == "welcome"
    assert first["uid"] == str(evening[0].uid)
    with scopes_disabled():
        adriana = Speaker.objects.get(name="Adriana Groh")
    assert talk["speakers"] == [{"speaker": adriana.pk, "role": "speaker"}]
    assert data["results"][3]["end"] is None  # open end


@pytest.mark.django_db
def test_create_update_delete_item_with_speakers_and_log(writer, event, speaker):
    with scopes_disabled():
        moderator = Speaker.objects.create(organizer=event.organizer, name="Mod Erator")
    payload = _item_payload(
        event, speakers=[{"speaker": moderator.pk, "role": "moderator"}, {"speaker": speaker.pk, "role": "speaker"}]
    )
    response = writer.post(AGENDA, payload, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["speakers"] == [
        {"speaker": moderator.pk, "role": "moderator"},
        {"speaker": speaker.pk, "role": "speaker"},
    ]
    assert created["sequence"] == 0
    with scopes_disabled():
        item = AgendaItem.objects.get(pk=created["id"])
        assert item.event == event and item.title.data["de"] == "Wir vs. Virus"
        assert [link.speaker for link in item.speaker_links.all()] == [moderator, speaker]

    response = writer.patch(f"{AGENDA}{item.pk}/", {"room": {"de": "Breakout 2"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["room"] == {"de": "Breakout 2"}
    assert response.json()["sequence"] == 1  # calendars see the change
    assert response.json()["speakers"][0]["role"] == "moderator"  # untouched by a partial update

    response = writer.put(f"{AGENDA}{item.pk}/", _item_payload(event, speakers=[]), format="json")
    assert response.status_code == 200
    assert response.json()["speakers"] == []
    assert response.json()["uid"] == created["uid"]

    assert writer.delete(f"{AGENDA}{item.pk}/").status_code == 204
    with scopes_disabled():
        assert not AgendaItem.objects.filter(pk=item.pk).exists()
        actions = list(
            LogEntry.objects.filter(event=event, action_type__startswith="pretix_innowerkstatt.agenda.item")
            .order_by("pk")
            .values_list("action_type", flat=True)
        )
        assert actions == [
            "pretix_innowerkstatt.agenda.item.added",
            "pretix_innowerkstatt.agenda.item.changed",
            "pretix_innowerkstatt.agenda.item.changed",
            "pretix_innowerkstatt.agenda.item.deleted",
        ]
        entry = LogEntry.objects.filter(event=event).order_by("pk").first()
        assert entry.api_token is not None
        assert "Agenda item “We vs. Virus”" in str(entry.display())


@pytest.mark.django_db
def test_end_before_start_is_refused(writer, event):
    start = event.date_from.astimezone(datetime.UTC)
    response = writer.post(
        AGENDA, _item_payload(event, end=(start - datetime.timedelta(minutes=5)).isoformat()), format="json"
    )
    assert response.status_code == 400
    assert "end" in response.json()
    with scopes_disabled():
        assert not AgendaItem.objects.exists()


@pytest.mark.django_db
def test_speaker_of_another_organizer_is_refused(writer, event):
    with scopes_disabled():
        other = Organizer.objects.create(name="Andere", slug="andere")
        stranger = Speaker.objects.create(organizer=other, name="Fremde Person")
    response = writer.post(AGENDA, _item_payload(event, speakers=[{"speaker": stranger.pk}]), format="json")
    assert response.status_code == 400
    assert "speaker directory" in str(response.json()["speakers"])


@pytest.mark.django_db
def test_same_speaker_twice_is_refused(writer, event, speaker):
    twice = [{"speaker": speaker.pk}, {"speaker": speaker.pk, "role": "host"}]
    response = writer.post(AGENDA, _item_payload(event, speakers=twice), format="json")
    assert response.status_code == 400
    assert "once" in str(response.json()["speakers"])


@pytest.mark.django_db
def test_subevent_of_the_event_only(writer, event):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        date = event.subevents.create(name="Q3", date_from=event.date_from)
    assert writer.post(AGENDA, _item_payload(event, subevent=date.pk), format="json").status_code == 201
    assert writer.post(AGENDA, _item_payload(event, subevent=date.pk + 100), format="json").status_code == 400
    assert writer.get(f"{AGENDA}?subevent={date.pk}").json()["count"] == 1
    assert writer.get(f"{AGENDA}?subevent=none").json()["count"] == 0


@pytest.mark.django_db
def test_reader_may_read_but_not_write(reader, event, evening, speaker):
    assert reader.get(f"{AGENDA}{evening[0].pk}/").status_code == 200
    assert reader.post(AGENDA, _item_payload(event), format="json").status_code == 403
    assert reader.patch(f"{AGENDA}{evening[0].pk}/", {"kind": "break"}, format="json").status_code == 403
    assert reader.delete(f"{AGENDA}{evening[0].pk}/").status_code == 403
    assert reader.get(SPEAKERS).status_code == 200
    assert reader.post(SPEAKERS, {"name": "Neu"}, format="json").status_code == 403
    with scopes_disabled():
        assert AgendaItem.objects.get(pk=evening[0].pk).kind == "welcome"


@pytest.mark.django_db
def test_device_reads_but_cannot_write(device_client, event, evening):
    assert device_client.get(AGENDA).json()["count"] == 4
    assert device_client.post(AGENDA, _item_payload(event), format="json").status_code == 403


@pytest.mark.django_db
def test_anonymous_and_foreign_tokens_see_nothing(event, evening, foreign_user):
    assert APIClient().get(AGENDA).status_code == 401
    foreign = APIClient()
    token = api_token(Organizer.objects.get(slug="andere"), all_events=True, all_event_permissions=True)
    foreign.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert foreign.get(AGENDA).status_code == 403
    assert foreign.get(SPEAKERS).status_code == 403


@pytest.mark.django_db
def test_session_user_with_settings_permission_can_write(client, admin_user, event):
    from tests.conftest import login

    login(client, admin_user)
    response = client.post(AGENDA, _item_payload(event), content_type="application/json")
    assert response.status_code == 201


@pytest.mark.django_db
def test_plugin_inactive_means_404(writer, event, organizer, evening):
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert writer.get(AGENDA).status_code == 404
    assert writer.post(AGENDA, _item_payload(event), format="json").status_code == 404
    assert writer.get(SPEAKERS).status_code == 200  # still on for the organiser
    with scopes_disabled():
        organizer.disable_plugin("pretix_innowerkstatt")
        organizer.save()
    assert writer.get(SPEAKERS).status_code == 404


@pytest.mark.django_db
def test_speaker_crud_links_validated_and_logged(writer, organizer):
    payload = {
        "name": "Adriana Groh",
        "role": {"de": "Co-Organisatorin", "en": "Co-organiser"},
        "biography": {"de": "Gründete den **Prototype Fund** mit."},
        "links": [{"label": "Website", "url": "https://example.org"}],
        "external_id": "NQTF8Y",
    }
    response = writer.post(SPEAKERS, payload, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["role"] == {"de": "Co-Organisatorin", "en": "Co-organiser"}
    assert created["links"] == [{"label": "Website", "url": "https://example.org"}]
    assert created["photo"] is None

    bad = writer.patch(
        f"{SPEAKERS}{created['id']}/", {"links": [{"label": "x", "url": "javascript:alert(1)"}]}, format="json"
    )
    assert bad.status_code == 400
    assert "links" in bad.json()

    assert writer.patch(f"{SPEAKERS}{created['id']}/", {"name": "A. Groh"}, format="json").json()["name"] == "A. Groh"
    assert writer.get(SPEAKERS).json()["count"] == 1
    assert writer.delete(f"{SPEAKERS}{created['id']}/").status_code == 204
    with scopes_disabled():
        assert not Speaker.objects.exists()
        actions = list(
            LogEntry.objects.filter(organizer_id=organizer.pk, action_type__contains="agenda.speaker")
            .order_by("pk")
            .values_list("action_type", flat=True)
        )
    assert actions == [
        "pretix_innowerkstatt.agenda.speaker.added",
        "pretix_innowerkstatt.agenda.speaker.changed",
        "pretix_innowerkstatt.agenda.speaker.deleted",
    ]


@pytest.mark.django_db
def test_speakers_of_other_organizers_are_invisible(writer, foreign_user):
    with scopes_disabled():
        stranger = Speaker.objects.create(organizer=Organizer.objects.get(slug="andere"), name="Fremd")
    assert writer.get(SPEAKERS).json()["count"] == 0
    assert writer.get(f"{SPEAKERS}{stranger.pk}/").status_code == 404
    assert writer.delete(f"{SPEAKERS}{stranger.pk}/").status_code == 404


@pytest.mark.django_db
def test_xss_payloads_round_trip_as_json_data(writer, event):
    """The API is data, not a page: payloads come back verbatim, as JSON, never as HTML."""
    for payload in XSS_PAYLOADS:
        response = writer.post(
            AGENDA, _item_payload(event, title={"de": payload}, description={"de": payload}), format="json"
        )
        assert response.status_code == 201
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["title"] == {"de": payload}
    speaker = writer.post(SPEAKERS, {"name": XSS_PAYLOADS[0], "links": []}, format="json")
    assert speaker.status_code == 201 and speaker.json()["name"] == XSS_PAYLOADS[0]


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(AGENDA).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_list_uses_constant_number_of_queries(writer, event):
    add_items(event, 3)
    few = _list_queries(writer)
    add_items(event, 47)  # 50 items: pretix's page size
    assert _list_queries(writer) == few


@pytest.mark.django_db
def test_oauth_application_scopes(admin_user, organizer, event, evening):
    from pretix.api.models import OAuthAccessToken, OAuthApplication

    with scopes_disabled():
        app = OAuthApplication.objects.create(
            name="Fahrplan-Sync",
            redirect_uris="https://example.org/callback",
            client_type="confidential",
            authorization_grant_type="authorization-code",
        )
        read_only = OAuthAccessToken.objects.create(
            token="oauth-read", user=admin_user, application=app, scope="read", expires=now() + datetime.timedelta(1)
        )
        read_only.organizers.add(organizer)
        read_write = OAuthAccessToken.objects.create(
            token="oauth-rw",
            user=admin_user,
            application=app,
            scope="read write",
            expires=now() + datetime.timedelta(1),
        )
        read_write.organizers.add(organizer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer oauth-read")
    assert client.get(AGENDA).json()["count"] == 4
    assert client.post(AGENDA, _item_payload(event), format="json").status_code == 403
    client.credentials(HTTP_AUTHORIZATION="Bearer oauth-rw")
    assert client.post(AGENDA, _item_payload(event), format="json").status_code == 201
    with scopes_disabled():
        entry = LogEntry.objects.get(action_type="pretix_innowerkstatt.agenda.item.added")
        assert entry.oauth_application == app
