"""The shop: the consent checkbox during checkout, and orders attributed to an announcement's link."""

import re

import pytest
from django.core import mail as django_mail
from django.test import Client
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.domain import tokens
from pretix_innowerkstatt.followers.models import Announcement, Attribution, Follower

from .conftest import link_to
from .helpers import confirmed


@pytest.fixture
def shop(edition):
    with scopes_disabled():
        event = edition.event
        event.presale_start = None
        event.live = True
        event.save()
        return event, event.items.get()


def buy(client, event, item, email, *, follow_box: bool, ref: str | None = None):
    base = f"/{event.organizer.slug}/{event.slug}/"
    front = client.get(base + (f"?innowerkstatt_ref={ref}" if ref else ""))
    assert front.status_code == 200
    assert "/innowerkstatt/formats/innowerkstatt/#follow" in front.content.decode()  # "Part of the series …"
    response = client.post(base + "cart/add", {f"item_{item.pk}": "1"}, follow=True)
    assert response.status_code == 200
    response = client.get(base + "checkout/start", follow=True)
    page = response.content.decode()
    assert 'name="innowerkstatt_follow"' in page
    step_url = response.redirect_chain[-1][0]
    data = {"email": email, "email_repeat": email}
    if follow_box:
        data["innowerkstatt_follow"] = "on"
    response = client.post(step_url, data, follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert "confirm" in confirm_url, response.content.decode()[:3000]
    response = client.post(confirm_url, {}, follow=True)
    assert response.status_code == 200
    assert re.search(r"/order/[A-Z0-9]+/", response.redirect_chain[-1][0]), response.redirect_chain


@pytest.mark.django_db
def test_ticking_the_box_at_checkout_asks_to_follow_with_double_opt_in(shop, edition):
    event, item = shop
    buy(Client(), event, item, "buyer@example.org", follow_box=True)
    with scopes_disabled():
        follower = Follower.objects.get()
    assert (follower.email, follower.state, follower.source) == ("buyer@example.org", "pending", "checkout")
    confirmation = [m for m in django_mail.outbox if "/confirm/" in m.body]
    assert len(confirmation) == 1
    assert link_to(confirmation[0], "/unsubscribe/")


@pytest.mark.django_db
def test_without_the_box_nobody_follows(shop):
    event, item = shop
    buy(Client(), event, item, "buyer@example.org", follow_box=False)
    with scopes_disabled():
        assert not Follower.objects.exists()


@pytest.mark.django_db
def test_an_order_from_an_announcement_link_is_counted_for_that_edition(shop, edition):
    event, item = shop
    (follower,) = confirmed(edition.format, "ada@example.org")
    with scopes_disabled():
        announcement = Announcement.objects.create(edition=edition, follower=follower)
    buy(Client(), event, item, "ada@example.org", follow_box=False, ref=tokens.attribution_token(announcement.pk))
    buy(Client(), event, item, "other@example.org", follow_box=False, ref="42:forged")
    with scopes_disabled():
        (attribution,) = Attribution.objects.all()
        assert attribution.announcement == announcement
        assert attribution.order.email == "ada@example.org"
