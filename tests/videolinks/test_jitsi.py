"""The Jitsi provider signs a JWT per join: HS256 with the app secret, or RS256 with a key ID."""

import datetime
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.videolinks.providers.jitsi import email_hash, normalise_pem

APP_SECRET = "jitsi-app-secret-for-tests-4711-abcdefghijklmnop"
APP_ID = "innowerkstatt"


def configure_jitsi(event, **extra):
    settings = {"domain": "meet.example.org", "app_id": APP_ID, "app_secret": APP_SECRET}
    settings.update(extra)
    with scopes_disabled():
        configure_event(
            event,
            url="https://meet.example.org/",
            provider="jitsi",
            provider_settings={f"innowerkstatt_video_jitsi_{k}": v for k, v in settings.items()},
            opens_minutes_before=30,
        )


def open_time(event):
    return event.date_from - datetime.timedelta(minutes=10)


def joined(position):
    client = Client()
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(position.order.event)):
        page = client.get(path)
        response = client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://meet.example.org/")
    assert page.content.decode().count("jwt=") == 0
    return location, parse_qs(urlsplit(location).query)["jwt"][0]


@pytest.mark.django_db
def test_hs256_token_round_trips_through_pyjwt_with_the_app_secret(position):
    event = position.order.event
    configure_jitsi(event)
    location, token = joined(position)
    with freeze_time(open_time(event)):
        claims = jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience=APP_ID, issuer=APP_ID)
    room = urlsplit(location).path.strip("/")
    assert claims["room"] == room and room.startswith("innowerkstatt-")
    assert claims["sub"] == "meet.example.org"
    assert claims["nbf"] == int((event.date_from - datetime.timedelta(minutes=30)).timestamp())
    assert claims["exp"] == int((event.date_to + datetime.timedelta(minutes=60)).timestamp())
    user = claims["context"]["user"]
    assert user == {
        "name": "Ada Lovelace",
        "email": email_hash(position.attendee_email or position.order.email),
        "id": f"{position.order.code}-{position.positionid}",
        "moderator": False,
    }
    assert "@" not in token and "@" not in str(claims)
    # The same room for the next join: stable.
    assert joined(position)[0].split("?")[0] == location.split("?")[0]


@pytest.mark.django_db
def test_a_wrong_key_or_an_expired_token_is_refused_by_the_decoder(position):
    configure_jitsi(position.order.event)
    _location, token = joined(position)
    with pytest.raises(jwt.InvalidSignatureError), freeze_time(open_time(position.order.event)):
        jwt.decode(token, "another-secret-another-secret-another", algorithms=["HS256"], audience=APP_ID)
    with pytest.raises(jwt.ExpiredSignatureError):
        with freeze_time(position.order.event.date_to + datetime.timedelta(hours=3)):
            jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience=APP_ID)
    with pytest.raises(jwt.ImmatureSignatureError):
        with freeze_time(position.order.event.date_from - datetime.timedelta(hours=3)):
            jwt.decode(token, APP_SECRET, algorithms=["HS256"], audience=APP_ID)


@pytest.mark.django_db
def test_rs256_token_with_key_id_round_trips_with_the_public_key(position):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    # Pasted into a one-line field: the line breaks are lost.
    configure_jitsi(position.order.event, app_secret="", private_key=pem.replace("\n", " "), key_id="vpaas/abc123")
    _location, token = joined(position)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "vpaas/abc123", "typ": "JWT"}
    with freeze_time(open_time(position.order.event)):
        claims = jwt.decode(token, key.public_key(), algorithms=["RS256"], audience=APP_ID)
    assert claims["context"]["user"]["moderator"] is False
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    with pytest.raises(jwt.InvalidSignatureError), freeze_time(open_time(position.order.event)):
        jwt.decode(token, other, algorithms=["RS256"], audience=APP_ID)


def test_a_one_line_pem_gets_its_line_breaks_back():
    pem = "-----BEGIN PRIVATE KEY-----\n" + "A" * 100 + "\n-----END PRIVATE KEY-----\n"
    assert normalise_pem(pem.replace("\n", " ")) == (
        "-----BEGIN PRIVATE KEY-----\n" + "A" * 64 + "\n" + "A" * 36 + "\n-----END PRIVATE KEY-----\n"
    )
