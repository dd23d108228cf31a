"""Orders and positions for the video-link tests, made like pretix's own tests make them."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Order, OrderPosition
from pretix.multidomain.models import KnownDomain

from pretix_innowerkstatt import compat
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path, join_url
from tests.carts import cart

MEETING_URL = "https://meet.example.org/innowerkstatt-secret-room"


def forged(secret: str) -> str:
    """The secret with another last character, whatever the (random) secret ends with."""
    return secret[:-1] + ("y" if secret.endswith("x") else "x")


# Orders whose tickets get no access, and a phrase of the explanation the attendee sees.
ORDERS_WITHOUT_ACCESS = [
    (dict(status=Order.STATUS_CANCELED), "cancelled"),
    (dict(status=Order.STATUS_EXPIRED), "expired"),
    (dict(status=Order.STATUS_PENDING, total=Decimal("10.00")), "not been paid"),
    (dict(status=Order.STATUS_PENDING, require_approval=True), "approved"),
]


def make_order(
    event,
    item,
    *,
    status=Order.STATUS_PAID,
    attendees=("Ada Lovelace",),
    email="buyer@example.org",
    require_approval=False,
    total=Decimal("0.00"),
    subevent=None,
    code=None,
    emails=None,
):
    with scopes_disabled():
        order = Order.objects.create(
            event=event,
            code=code or f"C{Order.objects.count() + 1:04d}X",
            email=email,
            status=status,
            datetime=now(),
            expires=now() + datetime.timedelta(days=10),
            total=total,
            locale="en",
            require_approval=require_approval,
            sales_channel=event.organizer.sales_channels.get(identifier="web"),
        )
        for i, name in enumerate(attendees, start=1):
            OrderPosition.objects.create(
                order=order,
                item=item,
                subevent=subevent,
                price=total,
                positionid=i,
                attendee_name_parts={"_legacy": name},
                attendee_email=(emails[i - 1] if emails else None),
            )
        return order


@pytest.fixture
def configured_event(event, item):
    with scopes_disabled():
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    return event


@pytest.fixture
def paid_order(configured_event, item):
    return make_order(configured_event, item)


@pytest.fixture
def position(paid_order):
    with scopes_disabled():
        return paid_order.positions.get()


def place_order(event, item, attendees, email="buyer@example.org", provider="banktransfer", subevent=None):
    """A real order through pretix's checkout service (cart -> _perform_order), as pretix's tests do.

    ``attendees``: [(name, email or None), ...]. Returns the order.
    """
    positions = cart(event, item, attendees, subevent=subevent)
    cart_id = positions[0].cart_id
    with scopes_disabled():
        payment = {
            "id": "p0",
            "provider": provider,
            "max_value": None,
            "min_value": None,
            "multi_use_supported": False,
            "info_data": {},
        }
        result = compat.perform_order(event, [payment], [p.id for p in positions], email, "en", cart_id=cart_id)
        return Order.objects.get(pk=result["order_id"])


def mark_paid(order):
    with scopes_disabled():
        payment = order.payments.first()
        payment.confirm()
        order.refresh_from_db()
    return order


@pytest.fixture
def series_dates(configured_event):
    """The event as a series with two dates a quarter apart: (date A, date B)."""
    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
        date_a = configured_event.subevents.create(
            name="Q2", active=True, date_from=configured_event.date_from, date_to=configured_event.date_to
        )
        date_b = configured_event.subevents.create(
            name="Q3",
            active=True,
            date_from=configured_event.date_from + datetime.timedelta(days=91),
            date_to=configured_event.date_to + datetime.timedelta(days=91),
        )
    return date_a, date_b


# --- the two routes of a join link (see test_join_routes.py) ---------------------------------

SHOP_DOMAIN = "join.innowerkstatt.example"


def open_time(event):
    return event.date_from - datetime.timedelta(minutes=10)


def give_the_shop_its_domain(event):
    with scopes_disabled():
        KnownDomain.objects.create(
            domainname=SHOP_DOMAIN, organizer=event.organizer, event=event, mode=KnownDomain.MODE_EVENT_DOMAIN
        )


@pytest.fixture(params=["main domain", "shop domain"])
def route(request, configured_event):
    """How an attendee reaches the link: (client, path of a position)."""
    if request.param == "shop domain":
        give_the_shop_its_domain(configured_event)
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST=SHOP_DOMAIN)

        def path_of(position):
            with scopes_disabled():
                url = join_url(position)
            assert url.startswith(f"http://{SHOP_DOMAIN}/")
            return url[len(f"http://{SHOP_DOMAIN}") :]

    else:
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

        def path_of(position):
            with scopes_disabled():
                return join_path(position)

    return client, path_of


def csrf_token(client):
    """A CSRF cookie and its form token, as a join page with its button hands out."""
    token = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return token


def first_position(order):
    with scopes_disabled():
        return order.all_positions.order_by("positionid").first()
