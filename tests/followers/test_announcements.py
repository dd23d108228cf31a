"""Announcements: every way an edition goes live, exactly once, ticket holders skipped, organiser controls."""

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled
from pretix.base.models import Order, Team

from pretix_innowerkstatt.followers.domain import announcing
from pretix_innowerkstatt.followers.models import Announcement, FollowSettings
from pretix_innowerkstatt.formats.domain import creation
from tests.videolinks.conftest import place_order

from .conftest import make_format
from .helpers import announce_on_two_workers, confirmed

CONTROL = "/control/organizer/innovationsbuero/innowerkstatt/formats/innowerkstatt"


def go_live(event):
    """As pretix's backend switch and REST API do: set live, then log the line."""
    event.live = True
    event.save()
    event.log_action("pretix.event.live.activated", data={})


@pytest.mark.django_db
def test_an_edition_going_live_through_the_rest_api_is_announced(
    edition, organizer, admin_user, django_capture_on_commit_callbacks
):
    confirmed(edition.format, "a@example.org", "b@example.org")
    with scopes_disabled():
        team = Team.objects.get(organizer=organizer)
        token = team.tokens.create(name="script")
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/v1/organizers/{organizer.slug}/events/{edition.event.slug}/", {"live": True}, format="json"
        )
    assert response.status_code == 200, response.content
    assert sorted(m.to[0] for m in django_mail.outbox) == ["a@example.org", "b@example.org"]


@pytest.mark.django_db
def test_an_edition_created_live_by_its_format_is_announced(organizer, template, django_capture_on_commit_callbacks):
    fmt = make_format(organizer, template, count=1, public=True, publish=True)
    confirmed(fmt, "a@example.org")
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        creation.create_editions(fmt)
    with scopes_disabled():
        assert fmt.editions.get().event.live
    assert [m.to for m in django_mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_running_the_announcement_twice_sends_one_mail_per_follower(edition, django_capture_on_commit_callbacks):
    confirmed(edition.format, "a@example.org", "b@example.org", "c@example.org")
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        go_live(edition.event)
    with scopes_disabled():
        assert announcing.announce_edition(edition, batch_size=2) == 0
    assert len(django_mail.outbox) == 3
    with scopes_disabled():
        assert Announcement.objects.filter(edition=edition).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_mail_per_follower(edition):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent database connections (tests.settings_postgres)")
    confirmed(edition.format, *[f"f{i}@example.org" for i in range(40)])
    with scopes_disabled():
        edition.event.live = True
        edition.event.save()
    results, errors = announce_on_two_workers(edition)
    assert errors == []
    assert sum(results) == 40
    assert len(django_mail.outbox) == 40
    assert len({m.to[0] for m in django_mail.outbox}) == 40


@pytest.mark.django_db
def test_followers_holding_a_ticket_for_the_edition_are_not_told(edition, django_capture_on_commit_callbacks):
    confirmed(edition.format, "holder@example.org", "other@example.org")
    with scopes_disabled():
        item = edition.event.items.get()
        edition.event.presale_start = None
        edition.event.save()
    order = place_order(edition.event, item, [("Ada", None)], email="Holder@example.org", provider="free")
    assert order.status in (Order.STATUS_PENDING, Order.STATUS_PAID)
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        go_live(edition.event)
    assert [m.to for m in django_mail.outbox] == [["other@example.org"]]


@pytest.mark.django_db
def test_no_automatic_announcement_when_turned_off_but_the_organiser_can_send_it(
    edition, admin_client, django_capture_on_commit_callbacks
):
    confirmed(edition.format, "a@example.org")
    with scopes_disabled():
        FollowSettings.objects.create(format=edition.format, announce_automatically=False)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        go_live(edition.event)
    assert django_mail.outbox == []

    url = reverse(
        "plugins:pretix_innowerkstatt:followers.announce",
        kwargs={"organizer": "innovationsbuero", "slug": edition.format.slug, "edition": edition.pk},
    )
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert "The announcement has been sent to 1 follower." in response.content.decode()
    assert [m.to for m in django_mail.outbox] == [["a@example.org"]]


@pytest.mark.django_db
def test_organiser_edits_the_text_previews_it_and_followers_get_it_in_their_language(
    edition, admin_client, django_capture_on_commit_callbacks
):
    confirmed(edition.format, "de@example.org", locale="de")
    with scopes_disabled():
        edition.event.live = True
        edition.event.save()
    url = reverse(
        "plugins:pretix_innowerkstatt:followers", kwargs={"organizer": "innovationsbuero", "slug": edition.format.slug}
    )
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Registration is open: Innovation workshop Q1/2027" in page.content.decode()  # the preview
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, dict)}
    data.update(
        {
            "announce_automatically": "on",
            # pretix's language order: English, then German
            "announcement_subject_0": "New: {event}",
            "announcement_subject_1": "Neu: {event}",
            "announcement_text_0": "Hi! {event} on {event_date_time}. Register: {url} Leave: {unsubscribe_url}",
            "announcement_text_1": "Hallo! {event} am {event_date_time}. Anmelden: {url} Abmelden: {unsubscribe_url}",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    page = admin_client.get(url)
    assert "New: Innovation workshop Q1/2027" in page.content.decode()

    bad = dict(data, announcement_text_0="Hi {nonsense}")
    assert "Invalid placeholder" in admin_client.post(url, bad).content.decode()

    with scopes_disabled():
        announcing.announce_edition(edition)
    (message,) = django_mail.outbox
    assert message.subject.endswith("Neu: Innovationswerkstatt Q1/2027")
    assert message.body.startswith("Hallo! Innovationswerkstatt Q1/2027 am Mittwoch, 24. Februar 2027, 18:00")
    assert "(Europe/Berlin)" in message.body


@pytest.mark.django_db
def test_the_format_page_links_to_its_followers_with_their_counts(edition, admin_client):
    confirmed(edition.format, "a@example.org")
    preview = admin_client.get(f"{CONTROL}/preview/")
    assert 'id="innowerkstatt-format-followers"' in preview.content.decode()
    page = admin_client.get(f"{CONTROL}/followers/")
    assert page.context["counts"] == {"confirmed": 1, "pending": 0, "unsubscribed": 0}
    assert '<dd class="confirmed">1</dd>' in page.content.decode()


@pytest.mark.django_db
def test_read_only_user_cannot_see_followers(edition, readonly_user, client):
    from tests.conftest import login

    login(client, readonly_user)
    response = client.get(f"{CONTROL}/followers/")
    assert response.status_code in (403, 404)


@pytest.mark.django_db
def test_the_edition_overview_card_shows_followers_and_announcements(edition, admin_client):
    confirmed(edition.format, "a@example.org", "b@example.org")
    with scopes_disabled():
        edition.event.live = True
        edition.event.save()
        announcing.announce_edition(edition)
    page = admin_client.get(f"/control/event/innovationsbuero/{edition.event.slug}/innowerkstatt/")
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "has 2 confirmed followers (0 waiting for confirmation)" in text
    assert "announced to 2 of them; 0 orders came from the announcement" in text
    assert f"{CONTROL}/followers/" in text
