"""The follower's mails over real SMTP: what a mail server receives, headers included."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.models import Follower
from tests.videolinks.test_smtp_delivery import _text_of, smtp_inbox  # NOQA: F401  (fixture)

from .conftest import BASE


def link(message, part):
    for url in re.findall(r"https?://[^\s<>\")]+", _text_of(message)):
        if part in url:
            return urlparse(url).path
    raise AssertionError(f"no {part} link")


@pytest.mark.django_db
def test_follow_confirm_announce_and_one_click_unsubscribe_over_smtp(
    edition,
    admin_client,
    smtp_inbox,  # NOQA: F811
    django_capture_on_commit_callbacks,
):
    public = Client()
    with django_capture_on_commit_callbacks(execute=True):
        public.post(BASE, {"email": "ada@example.org", "locale": "de", "consent": "on"})
    ((recipients, confirmation),) = smtp_inbox.messages
    assert recipients == ["ada@example.org"]
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with django_capture_on_commit_callbacks(execute=True):
        public.post(link(confirmation, "/confirm/"))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("control:event.live", kwargs={"organizer": "innovationsbuero", "event": edition.event.slug}),
            {"live": "true"},
        )
    assert len(smtp_inbox.messages) == 2
    recipients, announcement = smtp_inbox.messages[1]
    assert recipients == ["ada@example.org"]
    assert "Innovationswerkstatt Q1/2027" in announcement["Subject"]  # in the follower's language
    header = str(announcement["List-Unsubscribe"]).strip()
    assert re.fullmatch(r"<https?://[^>]+/unsubscribe/[^>]+/>", header)
    assert announcement["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # What a mail client does with the headers (RFC 8058): POST the body to the URL.
    response = Client(enforce_csrf_checks=True).post(
        urlparse(header.strip("<>")).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not Follower.objects.exists()
