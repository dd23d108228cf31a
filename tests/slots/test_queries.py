"""The slots page and the placeholder cost the same number of queries however many presentations there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.slots.interfaces.placeholders import slot_text

from ..conftest import login
from .conftest import answers_for, apply

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/slots/"


def approve_applications(event, product, numbers):
    orders = []
    for n in numbers:
        order = apply(event, product.item, answers_for(f"Initiative {n}"), email=f"p{n}@example.org")
        with scope(organizer=event.organizer):
            approve_order(order, send_mail=False)
        orders.append(order)
    return orders


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_slots_page_costs_the_same_with_two_or_five_presentations(client, admin_user, event, product):
    login(client, admin_user)
    approve_applications(event, product, range(2))
    page_queries(client)  # warm pretix's caches
    two = page_queries(client)
    approve_applications(event, product, range(2, 5))
    five = page_queries(client)
    assert "Initiative 4: Projekt" in client.get(URL).content.decode()
    assert five == two


def placeholder_queries(event, order):
    with CaptureQueriesContext(connection) as queries:
        text = slot_text(event, order)
    return text, len(queries)


@pytest.mark.django_db
def test_the_placeholder_costs_the_same_however_full_the_block_is(event, product):
    [order] = approve_applications(event, product, [0])
    text, alone = placeholder_queries(event, order)
    assert text.startswith("Your slot: 18:10–18:15")
    approve_applications(event, product, range(1, 5))
    text, among_five = placeholder_queries(event, order)
    assert text.startswith("Your slot: 18:10–18:15")
    assert among_five == alone <= 3  # the presentations with items and blocks, and the event's time zone
