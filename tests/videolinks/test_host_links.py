"""Personal host links for the people on the agenda, and their refusal twins of the attendee link."""

import datetime
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Checkin, Event, LogEntry, Organizer

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.videolinks.domain import hosts
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.logtypes import HOST_JOINED

from .conftest import MEETING_URL, forged

APP_SECRET = "jitsi-app-secret-for-host-tests-0123456789"


@pytest.fixture
def speaker(configured_event):
    event = configured_event
    with scopes_disabled():
        person = Speaker.objects.create(organizer=event.organizer, name="Adriana Groh", email="adriana@example.org")
        talk = AgendaItem.objects.create(
            event=event, start=event.date_from, end=event.date_from + datetime.timedelta(minutes=30), title="Keynote"
        )
        AgendaItemSpeaker.objects.create(item=talk, speaker=person, role=AgendaItemSpeaker.ROLE_SPEAKER)
    return person


def path_of(event, person):
    with scopes_disabled():
        return hosts.host_path(event, person)


def post(client, path):
    page = client.get(path)
    return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})


def test_host_link_has_the_contract_shape(configured_event, speaker):
    path = path_of(configured_event, speaker)
    secret = hosts.host_secret(configured_event, speaker.pk)
    assert path == f"/innovationsbuero/innowerkstatt/innowerkstatt/host/{speaker.pk}/{secret}/"
    assert len(secret) == 32


@pytest.mark.django_db
def test_get_shows_a_page_and_post_in_the_window_redirects_and_logs_no_checkin(configured_event, speaker):
    event = configured_event
    path = path_of(event, speaker)
    client = Client()
    with freeze_time(event.date_from - datetime.timedelta(minutes=50)):  # before the attendees (30 min)
        page = client.get(path)
        assert page.status_code == 200
        body = page.content.decode()
        assert "Keynote" in body and 'type="submit"' in body
        assert MEETING_URL not in body
        response = post(client, path)
    assert response.status_code == 302 and response["Location"] == MEETING_URL
    with scopes_disabled():
        assert LogEntry.objects.filter(action_type=HOST_JOINED, event=event).count() == 1
        assert not Checkin.objects.exists()
        assert MEETING_URL not in str(list(LogEntry.objects.values_list("data", flat=True)))


@pytest.mark.django_db
def test_host_joins_jitsi_as_moderator(configured_event, speaker):
    event = configured_event
    with scopes_disabled():
        configure_event(
            event,
            provider="jitsi",
            provider_settings={
                "innowerkstatt_video_jitsi_domain": "meet.jit.si",
                "innowerkstatt_video_jitsi_app_id": "innowerkstatt",
                "innowerkstatt_video_jitsi_app_secret": APP_SECRET,
            },
        )
    at = event.date_from - datetime.timedelta(minutes=5)
    with freeze_time(at):
        response = post(Client(), path_of(event, speaker))
        token = parse_qs(urlsplit(response["Location"]).query)["jwt"][0]
        claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience="innowerkstatt")
    assert claims["context"]["user"]["moderator"] is True
    assert claims["context"]["user"]["name"] == "Adriana Groh"
    assert claims["nbf"] == int((event.date_from - datetime.timedelta(minutes=60)).timestamp())


@pytest.mark.django_db
def test_a_forged_host_secret_is_404_on_get_and_post(configured_event, speaker):
    path = path_of(configured_event, speaker)
    secret = hosts.host_secret(configured_event, speaker.pk)
    wrong = path.replace(secret, forged(secret))
    client = Client()
    with freeze_time(configured_event.date_from):
        assert client.get(wrong).status_code == 404
        assert client.post(wrong).status_code == 404


@pytest.mark.django_db
def test_removing_the_person_from_the_agenda_revokes_the_link_at_once(configured_event, speaker):
    path = path_of(configured_event, speaker)
    with scopes_disabled():
        AgendaItemSpeaker.objects.filter(speaker=speaker).delete()
    with freeze_time(configured_event.date_from):
        assert Client().get(path).status_code == 404
        assert Client().post(path).status_code == 404


@pytest.mark.django_db
def test_outside_the_window_the_host_link_shows_the_page_but_does_not_join(configured_event, speaker):
    event = configured_event
    path = path_of(event, speaker)
    client = Client()
    with freeze_time(event.date_from - datetime.timedelta(minutes=61)):
        page = client.get(path)
        assert 'type="submit"' not in page.content.decode()
        response = client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
        assert response.status_code == 403
    with freeze_time(event.date_to + datetime.timedelta(hours=3)):
        page = client.get(path)
        response = client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
        assert response.status_code == 403
    assert "Location" not in response


@pytest.mark.django_db
def test_a_host_secret_of_another_event_does_not_open_this_one(configured_event, speaker):
    with scopes_disabled():
        other_org = Organizer.objects.create(name="Andere", slug="andere")
        other = Event.objects.create(
            organizer=other_org, name="X", slug="innowerkstatt", date_from=configured_event.date_from, live=True
        )
    foreign = hosts.host_secret(other, speaker.pk)
    path = f"/innovationsbuero/innowerkstatt/innowerkstatt/host/{speaker.pk}/{foreign}/"
    with freeze_time(configured_event.date_from):
        assert Client().get(path).status_code == 404


@pytest.mark.django_db
def test_backend_hosts_page_lists_people_with_their_link_and_items(admin_client, configured_event, speaker):
    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Adriana Groh" in body and "Keynote" in body
    assert hosts.host_secret(configured_event, speaker.pk) in body
    assert "btn-clipboard" in body
    assert MEETING_URL not in body


@pytest.mark.django_db
def test_the_private_email_is_not_in_the_public_schedule_or_calendar(client, configured_event, speaker):
    base = "/innovationsbuero/innowerkstatt/"
    for suffix in ("innowerkstatt/schedule.json", "innowerkstatt/agenda.ics"):
        response = client.get(base + suffix)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200 and b"Adriana Groh" in content, suffix
        assert b"adriana@example.org" not in content, suffix


@pytest.mark.django_db
def test_api_lists_hosts_with_link_only_for_tokens_with_the_event_settings_permission(configured_event, speaker):
    from pretix.base.models import Team

    path = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/hosts/"
    with scopes_disabled():
        organizer = configured_event.organizer
        settings_team = Team.objects.create(
            organizer=organizer,
            name="Settings",
            all_events=True,
            limit_event_permissions={"event.settings.general:write": True},
        )
        orders_team = Team.objects.create(
            organizer=organizer, name="Orders", all_events=True, limit_event_permissions={"event.orders:read": True}
        )
        allowed = settings_team.tokens.create(name="settings")
        refused = orders_team.tokens.create(name="orders")
    client = Client()
    assert client.get(path, HTTP_AUTHORIZATION=f"Token {refused.token}").status_code == 403
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {allowed.token}")
    assert response.status_code == 200
    (host,) = response.json()["results"]
    assert host["name"] == "Adriana Groh" and host["email"] == "adriana@example.org"
    assert host["locale"] == ""  # no language for mails: the event's
    assert host["host_link"].endswith(path_of(configured_event, speaker))
    assert MEETING_URL not in response.content.decode()


@pytest.mark.django_db
def test_send_link_mails_the_person_once_per_version_with_their_items_and_logs_it(
    admin_client, configured_event, speaker
):
    from django.core import mail as djmail

    page = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/"
    djmail.outbox = []
    assert admin_client.post(page, {"speaker": str(speaker.pk)}).status_code == 302
    assert len(djmail.outbox) == 1
    message = djmail.outbox[0]
    assert message.to == ["adriana@example.org"]
    body = message.body
    assert "Keynote" in body and path_of(configured_event, speaker) in body
    assert MEETING_URL not in body and MEETING_URL not in str(message.alternatives)
    admin_client.post(page, {"speaker": "all"})
    assert len(djmail.outbox) == 1  # nothing changed: not sent again
    with scopes_disabled():
        AgendaItem.objects.filter(title="Keynote").update(
            start=configured_event.date_from + datetime.timedelta(hours=1)
        )
    admin_client.post(page, {"speaker": "all"})
    assert len(djmail.outbox) == 2  # the item moved: sent again
    with scopes_disabled():
        from pretix_innowerkstatt.videolinks.logtypes import HOST_LINK_SENT

        assert LogEntry.objects.filter(action_type=HOST_LINK_SENT).count() == 2


@pytest.mark.django_db
def test_generic_provider_sends_hosts_to_the_separate_host_url_when_set(configured_event, speaker):
    start_link = "https://zoom.example.org/s/123?zak=host-start-token"
    with scopes_disabled():
        configure_event(configured_event, provider_settings={"innowerkstatt_video_generic_host_url": start_link})
    with freeze_time(configured_event.date_from):
        response = post(Client(), path_of(configured_event, speaker))
        page = Client().get(path_of(configured_event, speaker)).content.decode()
    assert response["Location"] == start_link
    assert "zak=" not in page


HOSTS_PAGE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/hosts/"
SETTINGS_PAGE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/"


def navigation_links(client, page):
    """``{href: (label, active)}`` of the event's backend navigation (the sidebar) on ``page``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(page).content.decode(), "html.parser")
    sidebar = soup.find("ul", id="side-menu")
    return {
        link["href"]: (link.get_text(" ", strip=True), "active" in (link.get("class") or []))
        for link in sidebar.find_all("a", href=True)
        if link["href"] != "#"
    }


@pytest.mark.django_db
def test_the_hosts_page_is_in_the_navigation_under_video_conference_and_marked_when_open(
    admin_client, configured_event
):
    on_dashboard = navigation_links(admin_client, "/control/event/innovationsbuero/innowerkstatt/")
    assert on_dashboard[HOSTS_PAGE] == ("Hosts", False)
    assert on_dashboard[SETTINGS_PAGE][1] is False
    on_hosts = navigation_links(admin_client, HOSTS_PAGE)
    assert on_hosts[HOSTS_PAGE] == ("Hosts", True)
    on_settings = navigation_links(admin_client, SETTINGS_PAGE)
    assert on_settings[HOSTS_PAGE] == ("Hosts", False)
    assert any(active for href, (_label, active) in on_settings.items() if href == SETTINGS_PAGE)


@pytest.mark.django_db
def test_without_the_event_settings_permission_the_navigation_has_no_hosts_entry_and_the_page_is_refused(
    client, configured_event, readonly_user, speaker
):
    from tests.conftest import login

    login(client, readonly_user)
    links = navigation_links(client, "/control/event/innovationsbuero/innowerkstatt/")
    assert HOSTS_PAGE not in links
    assert SETTINGS_PAGE in links  # the Video conference entry itself (its join counts) stays
    response = client.get(HOSTS_PAGE)
    assert response.status_code == 403
    assert b"adriana@example.org" not in response.content


@pytest.mark.django_db
def test_host_link_mails_go_out_in_the_persons_language_and_without_one_in_the_events(
    admin_client, configured_event, speaker
):
    """A German event: Adriana asked for English mails, Stefan gave no language."""
    from django.core import mail as djmail

    with scopes_disabled():
        speaker.locale = "en"
        speaker.save()
        stefan = Speaker.objects.create(
            organizer=configured_event.organizer, name="Stefan Muhle", email="s@example.org"
        )
        AgendaItemSpeaker.objects.create(
            item=AgendaItem.objects.get(title="Keynote"), speaker=stefan, role=AgendaItemSpeaker.ROLE_HOST
        )
    assert configured_event.settings.locale == "de"
    djmail.outbox = []
    assert admin_client.post(HOSTS_PAGE, {"speaker": "all"}).status_code == 302
    by_person = {message.to[0]: message for message in djmail.outbox}
    english, german = by_person["adriana@example.org"], by_person["s@example.org"]
    assert english.subject == "Your host link: Innovation workshop"
    assert english.body.startswith("Hello Adriana Groh,") and "This is your personal host link" in english.body
    assert "(Europe/Berlin, " in english.body and "Keynote" in english.body
    assert german.subject == "Ihr Host-Link: Innovationswerkstatt"
    assert german.body.startswith("Hallo Stefan Muhle,") and "Dies ist Ihr persönlicher Host-Link" in german.body
    local_start = configured_event.date_from.astimezone(configured_event.timezone)
    assert f"{local_start:%H:%M}" in german.body and f"{local_start.year}" in german.body


@pytest.mark.django_db
def test_the_hosts_page_leads_to_the_speaker_form_to_add_a_missing_email_and_back(
    admin_client, configured_event, speaker
):
    with scopes_disabled():
        speaker.email = ""
        speaker.save()
    page = admin_client.get(HOSTS_PAGE).content.decode()
    edit = f"/control/organizer/innovationsbuero/innowerkstatt/speakers/{speaker.pk}/?next=" + HOSTS_PAGE.replace(
        "/", "%2F"
    )
    assert "No email address" in page and f'href="{edit}"' in page
    form = admin_client.get(edit).content.decode()
    assert 'name="email"' in form
    response = admin_client.post(edit, {"name": "Adriana Groh", "email": "adriana@example.org", "links": ""})
    assert response.status_code == 302 and response["Location"] == HOSTS_PAGE
    assert 'value="' + str(speaker.pk) + '"' in admin_client.get(HOSTS_PAGE).content.decode()  # "Send link" now


@pytest.mark.django_db
def test_the_hosts_page_and_api_need_the_same_number_of_queries_for_one_host_or_many(
    admin_client, configured_event, speaker
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/hosts/"

    def counted(path):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(path).status_code == 200
        return len(queries.captured_queries)

    admin_client.get(HOSTS_PAGE)
    one = counted(HOSTS_PAGE), counted(api)
    with scopes_disabled():
        for number in range(4):
            person = Speaker.objects.create(organizer=configured_event.organizer, name=f"Host {number}")
            item = AgendaItem.objects.create(
                event=configured_event, start=configured_event.date_from, title=f"T{number}"
            )
            AgendaItemSpeaker.objects.create(item=item, speaker=person, role=AgendaItemSpeaker.ROLE_HOST)
    assert (counted(HOSTS_PAGE), counted(api)) == one
