"""The BigBlueButton provider against a local stand-in server that checks checksums like BBB."""

import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import Checkin

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.videolinks.providers import bigbluebutton
from pretix_innowerkstatt.videolinks.providers.base import attendee, derived_name

from .bbb_server import StandIn

SECRET = "bbb-stand-in-shared-secret-0815"


def test_checksum_reproduces_the_documentations_worked_example_byte_for_byte():
    # docs.bigbluebutton.org, API reference, "API Security": create with this query string and secret.
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
    secret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
    assert bigbluebutton.checksum("create", query, secret, "sha1") == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    assert (
        bigbluebutton.checksum("create", query, secret, "sha256")
        == hashlib.sha256(("create" + query + secret).encode()).hexdigest()
    )
    assert len(bigbluebutton.checksum("create", query, secret, "sha512")) == 128
    assert bigbluebutton.checksum("create", query, secret, "") == bigbluebutton.checksum(
        "create", query, secret, "sha256"
    )


def test_the_query_string_is_encoded_like_bbbs_own_clients():
    url = bigbluebutton.signed_url(
        "https://bbb.example.org/bigbluebutton/", "join", {"fullName": "Ada Lovelace"}, "s", "sha1"
    )
    assert url.startswith("https://bbb.example.org/bigbluebutton/api/join?fullName=Ada+Lovelace&checksum=")


def configure_bbb(event, api_url, secret=SECRET, **extra):
    settings = {
        "innowerkstatt_video_bigbluebutton_api_url": api_url,
        "innowerkstatt_video_bigbluebutton_shared_secret": secret,
    }
    settings.update({f"innowerkstatt_video_bigbluebutton_{k}": v for k, v in extra.items()})
    with scopes_disabled():
        # Joins open long before the (upcoming) event: no frozen clock next to a real server.
        configure_event(
            event, url=api_url, provider="bigbluebutton", provider_settings=settings, opens_minutes_before=60 * 24 * 40
        )


def post_join(client, path):
    page = client.get(path)
    return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})


@pytest.fixture(autouse=True)
def fresh_memory(settings):
    settings.ALLOW_HTTP_TO_PRIVATE_NETWORKS = True  # the stand-in listens on 127.0.0.1
    bigbluebutton._created_here.clear()
    cache.clear()
    yield
    bigbluebutton._created_here.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
def test_join_creates_the_meeting_and_redirects_to_a_join_the_server_accepts(position, algorithm):
    with StandIn(SECRET) as server:
        configure_bbb(position.order.event, server.url, checksum_algorithm=algorithm)
        with scopes_disabled():
            path = join_path(position)
        response = post_join(Client(), path)
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith(server.url + "api/join?")
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert params["fullName"] == "Ada Lovelace"
        assert params["role"] == "VIEWER"
        assert params["userID"] == f"{position.order.code}-{position.positionid}"
        assert params["redirect"] == "true"
        assert len(params["checksum"]) == {"sha1": 40, "sha256": 64, "sha512": 128}[algorithm]
        assert server.get(location).status_code == 302  # the stand-in accepts the join
        (create,) = [c for c in server.calls if c[0] == "create"]
        assert create[2] is True and create[1]["meetingID"] == params["meetingID"]
        assert create[1]["record"] == "false"
        assert create[1]["meta_innowerkstatt-event"] == "innowerkstatt"
        meetings = server.get(
            bigbluebutton.signed_url(server.url, "getMeetings", {}, SECRET, algorithm)
        ).content.decode()
        assert params["meetingID"] in meetings


@pytest.mark.django_db
def test_the_stand_in_refuses_a_wrong_checksum_like_bbb(position):
    with StandIn(SECRET) as server:
        forged = bigbluebutton.signed_url(server.url, "create", {"meetingID": "x"}, "another-secret", "sha256")
        assert b"checksumError" in server.get(forged).content
        tampered = bigbluebutton.signed_url(server.url, "join", {"meetingID": "x", "role": "VIEWER"}, SECRET, "sha256")
        tampered = tampered.replace("role=VIEWER", "role=MODERATOR")
        assert b"checksumError" in server.get(tampered).content
        assert server.meetings == {}


@pytest.mark.django_db
def test_a_wrong_shared_secret_gives_the_friendly_503_page_not_a_500(position, caplog):
    with StandIn(SECRET) as server:
        configure_bbb(position.order.event, server.url, secret="not-the-servers-secret")
        with scopes_disabled():
            path = join_path(position)
        response = post_join(Client(), path)
    assert response.status_code == 503
    assert 'id="innowerkstatt-server-unreachable"' in response.content.decode()
    assert "checksumError" in caplog.text


@pytest.mark.django_db
def test_a_burst_of_joins_creates_the_meeting_once(event, item, settings):
    from .conftest import make_order

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    order = make_order(event, item, attendees=[f"Person {i}" for i in range(8)])
    with StandIn(SECRET) as server:
        configure_bbb(event, server.url)
        client = Client()
        with scopes_disabled():
            paths = [join_path(p) for p in order.positions.all()]
        for path in paths:
            assert post_join(client, path).status_code == 302
        assert [c[0] for c in server.calls].count("create") == 1
        bigbluebutton._created_here.clear()  # another worker: the cache remembers the create
        assert post_join(client, paths[0]).status_code == 302
        assert [c[0] for c in server.calls].count("create") == 1


@pytest.mark.django_db
def test_a_server_that_does_not_answer_in_3_seconds_gives_503_and_a_log_line(position, caplog, monkeypatch):
    monkeypatch.setattr(bigbluebutton, "TIMEOUT", 0.3)
    with StandIn(SECRET, delay=1.0) as server:
        configure_bbb(position.order.event, server.url)
        with scopes_disabled():
            path = join_path(position)
        response = post_join(Client(), path)
    assert response.status_code == 503
    assert 'id="innowerkstatt-server-unreachable"' in response.content.decode()
    assert "not reachable" in caplog.text
    assert SECRET not in caplog.text and "checksum=" not in caplog.text
    with scopes_disabled():
        assert not Checkin.objects.exists()  # nobody joined


def test_the_timeout_is_3_seconds():
    assert bigbluebutton.TIMEOUT == 3


@pytest.mark.django_db
def test_the_derived_meeting_id_is_stable_per_date_and_depends_on_the_secret_key(position, settings):
    with scopes_disabled():
        who = attendee(position)
        first = derived_name("bbb", who)
        assert derived_name("bbb", who) == first
        assert position.order.event.slug in first
        settings.SECRET_KEY = "another-secret-key"
        assert derived_name("bbb", who) != first
