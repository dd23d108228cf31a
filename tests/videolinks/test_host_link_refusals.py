"""Every refusal of the attendee's join link has its twin for the host link (see test_join_safety.py).

Forged or missing secrets, another person's secret, a person who is no longer a host (removed,
other role, deleted, only on a deactivated date), outside the window, without CSRF, repeated
clicks, the shop offline, the plugin off, and a backend user of another organiser.
"""
# ruff: noqa: F811  (the speaker fixture comes from test_host_links)

import datetime

import pytest
from django.core import mail as djmail
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Event, LogEntry, Team

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.videolinks.domain import hosts
from pretix_innowerkstatt.videolinks.logtypes import HOST_JOINED
from tests.conftest import PLUGIN, login

from .conftest import MEETING_URL, forged
from .test_host_links import HOSTS_PAGE, path_of, speaker  # noqa: F401

HOSTS_API = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/hosts/"


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


def in_the_window(event):
    return freeze_time(event.date_from - datetime.timedelta(minutes=10))


def csrf_post(client, path, **extra):
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"], **extra})


def assert_refused(response):
    assert response.status_code in (403, 404, 429)
    assert "Location" not in response
    assert MEETING_URL.encode() not in response.content


def assert_gone(client, path):
    """The link answers 404 to GET and POST: revoked (the twin of a cancelled ticket's link)."""
    assert client.get(path).status_code == 404
    assert_refused(client.post(path))


def host_joins(event):
    with scopes_disabled():
        return LogEntry.objects.filter(action_type=HOST_JOINED, event=event).count()


@pytest.mark.django_db
def test_a_host_link_without_its_secret_gets_nothing(client, configured_event, speaker):
    prefix = "/innovationsbuero/innowerkstatt/innowerkstatt/host/"
    base = f"{prefix}{speaker.pk}/"
    nobody = 999999
    with in_the_window(configured_event):
        for path in (
            base + "short/",
            base + "A" * 32 + "/",
            # a right secret for a person who does not exist
            f"{prefix}{nobody}/{hosts.host_secret(configured_event, nobody)}/",
        ):
            assert_gone(client, path)
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_another_hosts_secret_does_not_open_my_host_link(client, configured_event, speaker):
    with scopes_disabled():
        stefan = Speaker.objects.create(organizer=configured_event.organizer, name="Stefan Muhle")
        AgendaItemSpeaker.objects.create(
            item=AgendaItem.objects.get(), speaker=stefan, role=AgendaItemSpeaker.ROLE_HOST
        )
    mine = path_of(configured_event, speaker)
    mixed = mine.replace(
        hosts.host_secret(configured_event, speaker.pk), hosts.host_secret(configured_event, stefan.pk)
    )
    with in_the_window(configured_event):
        assert_gone(client, mixed)
        assert client.get(mine).status_code == 200


@pytest.mark.django_db
def test_a_forged_host_secret_is_404_after_the_same_work_whether_or_not_the_person_exists(
    client, configured_event, speaker, monkeypatch
):
    compared = []
    real = hosts.hmac.compare_digest
    monkeypatch.setattr(hosts.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    path = path_of(configured_event, speaker)
    secret = hosts.host_secret(configured_event, speaker.pk)
    with in_the_window(configured_event):
        assert client.get(path.replace(secret, forged(secret))).status_code == 404
        assert client.get(path.replace(f"/{speaker.pk}/", "/999999/")).status_code == 404
    assert len(compared) == 2


@pytest.mark.django_db
def test_a_role_that_is_not_a_host_role_revokes_the_link_at_once(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        assert client.get(path).status_code == 200
        with scopes_disabled():
            AgendaItemSpeaker.objects.filter(speaker=speaker).update(role=AgendaItemSpeaker.ROLE_GUEST)
        assert_gone(client, path)
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_deleting_the_person_from_the_directory_revokes_the_link(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with scopes_disabled():
        speaker.delete()
    with in_the_window(configured_event):
        assert_gone(client, path)


@pytest.mark.django_db
def test_a_host_of_a_deactivated_date_only_has_no_link_and_is_not_listed(
    client, admin_client, configured_event, speaker, series_dates
):
    """The twin of a ticket of a deactivated date: the date is off, so is its host's link."""
    date_a, _date_b = series_dates
    with scopes_disabled():
        AgendaItem.objects.filter(title="Keynote").update(subevent=date_a)
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        assert client.get(path).status_code == 200
        with scopes_disabled():
            date_a.active = False
            date_a.save()
        assert_gone(client, path)
    assert "Adriana Groh" not in admin_client.get(HOSTS_PAGE).content.decode()


@pytest.mark.django_db
def test_outside_the_window_the_page_says_when_it_opens_and_a_post_logs_nothing(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with freeze_time(configured_event.date_from - datetime.timedelta(hours=2)):
        page = client.get(path)
        body = page.content.decode()
        assert page.status_code == 200 and "Your host access opens at" in body
        assert "(Europe/Berlin, " in body and 'type="submit"' not in body
        assert_refused(client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]}))
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_a_host_post_without_csrf_token_is_refused(client, configured_event, speaker):
    with in_the_window(configured_event):
        assert_refused(client.post(path_of(configured_event, speaker)))
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_opening_a_host_link_never_redirects_and_never_counts_as_a_join(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200 and "Location" not in response
            assert MEETING_URL.encode() not in response.content
            assert "no-store" in response["Cache-Control"]
            assert response["Referrer-Policy"] == "no-referrer"
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_the_host_redirect_goes_only_to_the_meeting_and_carries_no_referrer(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        page = client.get(path + "?next=https://evil.example.com/")
        response = client.post(
            path + "?next=https://evil.example.com/",
            {"csrfmiddlewaretoken": page.context["csrf_token"], "url": "javascript:alert(1)"},
        )
    assert response.status_code == 302 and response["Location"] == MEETING_URL
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_host_posts_are_rate_limited_per_person(client, configured_event, speaker, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "hosts"}}
    settings.REAL_CACHE_USED = True
    from django.core.cache import cache

    cache.clear()
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        token = client.get(path).context["csrf_token"]
        codes = [client.post(path, {"csrfmiddlewaretoken": token}).status_code for _ in range(12)]
        limited = client.post(path, {"csrfmiddlewaretoken": token})
    assert codes[:10] == [302] * 10 and codes[10:] == [429, 429]
    assert "wait a minute" in limited.content.decode() and "Location" not in limited
    assert host_joins(configured_event) == 10  # the refused clicks are not logged


@pytest.mark.django_db
def test_while_the_shop_is_offline_a_host_link_is_refused(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with in_the_window(configured_event):
        token = client.get(path).context["csrf_token"]
        with scopes_disabled():
            configured_event.live = False
            configured_event.save()
        assert_refused(client.post(path, {"csrfmiddlewaretoken": token}))
        assert b"Join as host" not in client.get(path).content
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_with_the_plugin_off_the_host_link_is_404(client, configured_event, speaker):
    path = path_of(configured_event, speaker)
    with scopes_disabled():
        configured_event.disable_plugin(PLUGIN)
        configured_event.save()
    with in_the_window(configured_event):
        assert_gone(client, path)


@pytest.fixture
def foreign_event(foreign_user):
    """The other organiser's event, with the plugin on and a host of its own."""
    with scopes_disabled():
        event = Event.objects.get(slug="fremd")
        event.organizer.enable_plugin(PLUGIN)
        event.organizer.save()
        event.enable_plugin(PLUGIN)
        event.live = True
        event.save()
        theirs = Speaker.objects.create(organizer=event.organizer, name="Fremde Person", email="f@andere.example")
        item = AgendaItem.objects.create(event=event, start=event.date_from, title="Fremder Vortrag")
        AgendaItemSpeaker.objects.create(item=item, speaker=theirs, role=AgendaItemSpeaker.ROLE_HOST)
    return event


@pytest.mark.django_db
def test_a_backend_user_of_another_organiser_gains_nothing_from_host_links(
    client, configured_event, speaker, foreign_user, foreign_event
):
    login(client, foreign_user)
    ours = path_of(configured_event, speaker)
    secret_for_their_event = hosts.host_secret(foreign_event, speaker.pk)
    with in_the_window(configured_event):
        # Our person through their event, with a secret their event would accept for that id ...
        assert_gone(client, f"/andere/fremd/innowerkstatt/host/{speaker.pk}/{secret_for_their_event}/")
        # ... our event with that secret ...
        assert_gone(client, ours.replace(hosts.host_secret(configured_event, speaker.pk), secret_for_their_event))
        # ... or with a guessed one.
        assert_gone(client, ours.replace(hosts.host_secret(configured_event, speaker.pk), "A" * 32))
    assert host_joins(configured_event) == 0


@pytest.mark.django_db
def test_a_backend_user_of_another_organiser_cannot_see_our_hosts_or_send_their_links(
    client, configured_event, speaker, foreign_user, foreign_event
):
    login(client, foreign_user)
    djmail.outbox = []
    secret = hosts.host_secret(configured_event, speaker.pk)
    response = client.get(HOSTS_PAGE)
    assert response.status_code in (403, 404)
    assert b"adriana@example.org" not in response.content and secret.encode() not in response.content
    assert client.post(HOSTS_PAGE, {"speaker": "all"}).status_code in (403, 404)
    api = client.get(HOSTS_API)  # their session against our event's API
    assert api.status_code in (403, 404) and secret.encode() not in api.content
    with scopes_disabled():
        team = Team.objects.get(organizer=foreign_event.organizer)
        token = team.tokens.create(name="Fremd").token
    api = Client().get(HOSTS_API, HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code in (403, 404) and secret.encode() not in api.content
    # Their own Hosts page lists their person only.
    own = client.get("/control/event/andere/fremd/innowerkstatt/video/hosts/").content.decode()
    assert "Fremde Person" in own and "Adriana Groh" not in own
    assert djmail.outbox == []
    with scopes_disabled():
        assert not LogEntry.objects.filter(event=configured_event, action_type__contains="host").exists()


@pytest.mark.django_db
def test_the_hosts_page_lists_each_person_with_their_own_host_items_only(admin_client, configured_event, speaker):
    """Adriana is a guest (no host role) where Stefan hosts: that item is Stefan's, not hers."""
    with scopes_disabled():
        welcome = AgendaItem.objects.create(event=configured_event, start=configured_event.date_from, title="Welcome")
        stefan = Speaker.objects.create(organizer=configured_event.organizer, name="Stefan Muhle")
        AgendaItemSpeaker.objects.create(item=welcome, speaker=stefan, role=AgendaItemSpeaker.ROLE_HOST)
        AgendaItemSpeaker.objects.create(item=welcome, speaker=speaker, role=AgendaItemSpeaker.ROLE_GUEST)
        listed = {person.name: [str(i.title) for i in items] for person, items in hosts.hosts(configured_event)}
        assert [str(i.title) for i in hosts.host_items(configured_event, speaker.pk)] == ["Keynote"]
    assert listed == {"Adriana Groh": ["Keynote"], "Stefan Muhle": ["Welcome"]}
    assert admin_client.get(HOSTS_PAGE).status_code == 200
