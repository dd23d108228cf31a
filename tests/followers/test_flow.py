"""The whole way of a follower, through real HTTP requests and pretix's mail system."""

import re

import pytest
from django.core import mail as django_mail
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.domain import announcing
from pretix_innowerkstatt.followers.models import Announcement, Follower, FollowSettings

from .conftest import BASE, link_to


def csrf_token_of(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def follow(client, email, locale="en"):
    page = client.get(BASE)
    assert page.status_code == 200
    return client.post(
        BASE,
        {"csrfmiddlewaretoken": csrf_token_of(page), "email": email, "locale": locale, "consent": "on"},
        follow=True,
    )


def set_live(admin_client, event, live: bool, capture):
    url = reverse("control:event.live", kwargs={"organizer": event.organizer.slug, "event": event.slug})
    with capture(execute=True):
        response = admin_client.post(url, {"live": "true" if live else "false"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.live is live


@pytest.mark.django_db
def test_follow_confirm_announce_unsubscribe_over_http(edition, admin_client, django_capture_on_commit_callbacks):
    public = Client(enforce_csrf_checks=True)
    response = follow(public, "Ada@Example.org")
    assert response.status_code == 200
    assert "we have sent it a mail with a link to confirm" in response.content.decode()

    (confirmation,) = django_mail.outbox
    assert confirmation.to == ["ada@example.org"]
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert confirmation.extra_headers["List-Unsubscribe"].startswith("<http")
    confirm_path = link_to(confirmation, "/confirm/")

    # A mail scanner opening the link confirms nothing; the button does.
    assert "Confirm" in public.get(confirm_path).content.decode()
    with scopes_disabled():
        assert Follower.objects.get().state == Follower.PENDING
    page = public.get(confirm_path)
    response = public.post(confirm_path, {"csrfmiddlewaretoken": csrf_token_of(page)})
    assert "you are following this format now" in response.content.decode()
    with scopes_disabled():
        assert Follower.objects.get().state == Follower.CONFIRMED

    django_mail.outbox.clear()
    set_live(admin_client, edition.event, True, django_capture_on_commit_callbacks)
    (announcement,) = django_mail.outbox
    assert announcement.to == ["ada@example.org"]
    assert "Innovation workshop Q1/2027" in announcement.body
    assert "Europe/Berlin" in announcement.body
    assert "18:00" in announcement.body
    assert "/innovationsbuero/innowerkstatt-2027-q1/?innowerkstatt_ref=" in announcement.body
    assert announcement.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_path = link_to(announcement, "/unsubscribe/")
    assert f"<http://example.com{unsubscribe_path}>" == announcement.extra_headers["List-Unsubscribe"]

    # Offline and live again: nobody is told twice.
    set_live(admin_client, edition.event, False, django_capture_on_commit_callbacks)
    set_live(admin_client, edition.event, True, django_capture_on_commit_callbacks)
    assert len(django_mail.outbox) == 1

    # RFC 8058 one-click: a mail client posts without session or CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "You have been unsubscribed" in response.content.decode()
    with scopes_disabled():
        assert not Follower.objects.exists()
        assert FollowSettings.objects.get(format=edition.format).unsubscribed == 1
        assert Announcement.objects.filter(edition=edition).count() == 1  # statistics stay, without the person
        assert announcing.announce_edition(edition) == 0
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_new_pending_and_following_addresses_get_the_same_answer(edition):
    with scopes_disabled():
        Follower.objects.create(
            format=edition.format,
            email="known@example.org",
            locale="en",
            state="confirmed",
            consent_text="x",
            consent_at=edition.created,
        )
    client = Client()
    responses = [follow(client, email) for email in ("new@example.org", "new@example.org", "known@example.org")]
    assert {r.status_code for r in responses} == {200}
    assert {r.redirect_chain[0][0] for r in responses} == {BASE + "?followed=1#follow"}
    # The answer (from the follow heading to the end of the form) is the same, but for the CSRF token.
    answers = [
        re.sub(r'value="[^"]{40,}"', "", r.content.decode().split('id="follow"')[1].split("</form>")[0])
        for r in responses
    ]
    assert answers[0] == answers[1] == answers[2]
    assert "we have sent it a mail" in answers[0]
    # The confirmed address got no mail; the pending one its confirmation twice.
    assert [m.to for m in django_mail.outbox] == [["new@example.org"], ["new@example.org"]]
