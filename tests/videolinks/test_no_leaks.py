"""The meeting URL never shows up where it must not; personal links only where they belong."""

import datetime

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Order, Team

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_secret

from .conftest import MEETING_URL, make_order

EVENT = "/innovationsbuero/innowerkstatt"
PASSCODE = "sesam-1234"


@pytest.fixture
def secret_event(configured_event, item):
    with scopes_disabled():
        configure_event(configured_event, passcode=PASSCODE, meeting_id="987 654")
    return configured_event


def _assert_clean(content: bytes):
    text = content.decode()
    assert MEETING_URL not in text
    assert "innowerkstatt-secret-room" not in text
    assert PASSCODE not in text


@pytest.mark.django_db
def test_public_pages_calendar_and_widget_never_carry_the_meeting_url(secret_event, item):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = make_order(secret_event, item)
    with scopes_disabled():
        secret = join_secret(order.positions.get())
    for path in (f"{EVENT}/", f"{EVENT}/ical/", f"{EVENT}/widget/product_list", "/innovationsbuero/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_clean(response.content)
        assert secret not in response.content.decode()
        assert "/innowerkstatt/join/" not in response.content.decode()


@pytest.mark.django_db
def test_api_never_carries_the_meeting_url(secret_event, item, foreign_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    paths = [
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/",
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/items/",
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/settings/",
    ]
    for path in paths:  # anonymous
        response = client.get(path)
        assert response.status_code == 401
        _assert_clean(response.content)
    with scopes_disabled():
        foreign_token = Team.objects.get(name="Andere").tokens.create(name="other org")
        own_team = Team.objects.create(
            organizer=secret_event.organizer, name="API", all_events=True, all_event_permissions=True
        )
        own_token = own_team.tokens.create(name="own")
    for path in paths:  # a token of another organiser
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {foreign_token.token}")
        assert response.status_code in (403, 404)
        _assert_clean(response.content)
    for path in paths:  # even the organiser's own token: the public API does not expose them
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {own_token.token}")
        assert response.status_code == 200
        _assert_clean(response.content)


@pytest.mark.django_db
def test_order_and_ticket_pages_show_the_personal_link_not_the_meeting_url(secret_event, item):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = make_order(secret_event, item, attendees=("Ada", "Bob"))
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
    order_page = client.get(f"{EVENT}/order/{order.code}/{order.secret}/")
    assert order_page.status_code == 200
    html = order_page.content.decode()
    _assert_clean(order_page.content)
    assert "opens at" in html and "Join now" not in html  # 30 days ahead: the opening time, no button yet
    assert "no-store" in order_page["Cache-Control"]

    with freeze_time(secret_event.date_from - datetime.timedelta(minutes=5)):
        order_page = client.get(f"{EVENT}/order/{order.code}/{order.secret}/")
        ticket_page = client.get(f"{EVENT}/ticket/{order.code}/{ada.positionid}/{ada.web_secret}/")
    html = order_page.content.decode()
    _assert_clean(order_page.content)
    assert html.count("Join now") == 2
    assert f'action="http://example.com{EVENT}/innowerkstatt/join/{order.code}/1/{join_secret(ada)}/"' in html
    assert (
        html.count('<form method="post" action="http://example.com/innovationsbuero/innowerkstatt/innowerkstatt/join/')
        == 2
    )
    assert join_secret(bob) in html
    assert "no-store" in order_page["Cache-Control"]
    assert ticket_page.status_code == 200
    _assert_clean(ticket_page.content)
    assert join_secret(ada) in ticket_page.content.decode()
    assert join_secret(bob) not in ticket_page.content.decode()
    assert "no-store" in ticket_page["Cache-Control"]


@pytest.mark.django_db
def test_pages_of_orders_without_access_show_no_panel(secret_event, item):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    order = make_order(secret_event, item, status=Order.STATUS_PENDING, total=10)
    response = client.get(f"{EVENT}/order/{order.code}/{order.secret}/")
    assert response.status_code == 200
    assert "/innowerkstatt/join/" not in response.content.decode()
    _assert_clean(response.content)
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_open_join_page_reveals_passcode_only_to_an_eligible_ticket(secret_event, item):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    good = make_order(secret_event, item)
    bad = make_order(secret_event, item, status=Order.STATUS_CANCELED)
    from pretix_innowerkstatt.videolinks.domain.links import join_path

    with scopes_disabled():
        good_path, bad_path = join_path(good.positions.get()), join_path(bad.all_positions.get())
    with freeze_time(secret_event.date_from - datetime.timedelta(minutes=5)):
        assert PASSCODE in client.get(good_path).content.decode()
        _assert_clean(client.get(bad_path).content)
    with freeze_time(secret_event.date_from - datetime.timedelta(hours=5)):
        _assert_clean(client.get(good_path).content)  # not before the window opens
