"""Choosing a group in the shop's checkout, and changing it on the order page."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.timezone import now
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import CartPosition
from pretix.base.services.orders import OrderError

from pretix_innowerkstatt.workgroups import logtypes
from pretix_innowerkstatt.workgroups.domain.selection import group_of
from pretix_innowerkstatt.workgroups.models import WorkGroupHold, WorkGroupMember

from .conftest import make_groups, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(event, item):
    with scopes_disabled():
        event.presale_start = None
        event.save()
    return event, item


def start_checkout(client, event, item, count=1):
    base = f"/{event.organizer.slug}/{event.slug}/"
    response = client.post(base + "cart/add", {f"item_{item.pk}": str(count)}, follow=True)
    assert response.status_code == 200
    response = client.get(base + "checkout/start", follow=True)
    assert "/checkout/innowerkstatt-work-groups/" in response.redirect_chain[-1][0]
    return response


def finish_checkout(client, response, email="buyer@example.org"):
    data = {"email": email, "email_repeat": email}
    for name in re.findall(r'name="(\d+-attendee_name_parts_0)"', response.content.decode()):
        data[name] = "Ada Lovelace"
    response = client.post(response.redirect_chain[-1][0], data, follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert "confirm" in confirm_url, response.content.decode()[:3000]
    response = client.post(confirm_url, {}, follow=True)
    assert re.search(r"/order/[A-Z0-9]+/", response.redirect_chain[-1][0]), response.content.decode()[:3000]
    return response


def choose(client, response, values):
    """Submit the group step: ``values`` is one group (or None for "assign me") per ticket."""
    names = re.findall(r'name="(workgroup-\d+)"', response.content.decode())
    names = list(dict.fromkeys(names))
    data = {name: (str(group.pk) if group else "") for name, group in zip(names, values, strict=True)}
    return client.post(response.redirect_chain[-1][0], data, follow=True)


def test_buyer_chooses_a_group_per_ticket_and_the_order_page_names_it(shop, groups):
    event, item = shop
    client = Client()
    page = start_checkout(client, event, item, count=2)
    text = page.content.decode()
    assert "Challenge 1: Ehrenamt digital organisieren" in text
    assert "15 Plätze frei" in text  # the shop speaks the event's language, German
    order_page = finish_checkout(client, choose(client, page, [groups[0], None]))
    with scopes_disabled():
        from pretix.base.models import Order

        order = Order.objects.get()
        first, second = order.positions.order_by("positionid")
        assert group_of(first) == groups[0]
        assert group_of(second) is None  # "assign me"
    html = order_page.content.decode()
    assert "Ihre Gruppe: <strong>Challenge 1: Ehrenamt digital organisieren</strong>" in html
    assert "Noch keine Gruppe gewählt" in html


def test_full_group_is_shown_as_full_and_cannot_be_chosen(shop, work_item):
    event, item = shop
    full, free = make_groups(work_item, capacity=1, names=["Challenge 1", "Challenge 2"])
    place_order(event, item, choices={1: full})
    client = Client()
    page = start_checkout(client, event, item)
    text = page.content.decode()
    assert re.search(rf'value="{full.pk}"\s+disabled', text)
    assert ">voll<" in text
    refused = choose(client, page, [full])
    assert "Die Gruppe „Challenge 1“ ist voll." in refused.content.decode()
    assert "/checkout/innowerkstatt-work-groups/" in refused.redirect_chain[-1][0] if refused.redirect_chain else True


def test_the_step_is_skipped_for_events_without_groups(shop):
    event, item = shop
    client = Client()
    base = f"/{event.organizer.slug}/{event.slug}/"
    client.post(base + "cart/add", {f"item_{item.pk}": "1"}, follow=True)
    response = client.get(base + "checkout/start", follow=True)
    assert "/checkout/questions/" in response.redirect_chain[-1][0]


@pytest.fixture
def order_placed_queries(monkeypatch):
    """The queries of the plugin's ``order_placed`` receiver inside pretix's order placement, per order."""
    from pretix_innowerkstatt.workgroups import signals

    counted, original = [], signals.place_choices

    def place_choices(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            original(*args, **kwargs)
        counted.append([q["sql"] for q in queries.captured_queries])

    monkeypatch.setattr(signals, "place_choices", place_choices)
    return counted


@pytest.mark.parametrize("tickets", [1, 5])
def test_placing_an_order_adds_two_queries_for_held_places_however_many_tickets(
    shop, groups, tickets, order_placed_queries
):
    event, item = shop
    order = place_order(event, item, tickets, choices={n: groups[n % 3] for n in range(1, tickets + 1)}, held=True)
    # the held places become members in one statement, the log lines on the order are the other
    (queries,) = order_placed_queries
    assert len(queries) == 2
    assert queries[0].startswith('INSERT INTO "pretix_innowerkstatt_workgroupmember"')
    with scopes_disabled():
        assert [group_of(p) for p in order.positions.order_by("positionid")] == [
            groups[n % 3] for n in range(1, tickets + 1)
        ]
        assert not WorkGroupHold.objects.filter(cart_position_id__in=CartPosition.objects.values("pk")).exists()


@pytest.mark.parametrize("tickets", [1, 5])
def test_places_not_held_are_checked_under_the_lock_in_five_queries_however_many_tickets(
    shop, groups, tickets, order_placed_queries
):
    event, item = shop
    order = place_order(event, item, tickets, choices={n: groups[n % 3] for n in range(1, tickets + 1)})
    # the tickets, lock the chosen groups, count their taken places, insert the members, the log lines
    (queries,) = order_placed_queries
    assert len(queries) == 5
    with scopes_disabled():
        assert all(group_of(p) for p in order.positions.all())


def test_a_hold_that_ran_out_is_checked_again_when_the_order_is_placed(shop, groups, order_placed_queries):
    event, item = shop
    with freeze_time(now() - datetime.timedelta(hours=1)):  # held an hour ago, for 30 minutes
        client = Client()
        after_choice = choose(client, start_checkout(client, event, item), [groups[0]])
    with scopes_disabled():
        hold = WorkGroupHold.objects.get()
        CartPosition.objects.update(expires=now() + datetime.timedelta(minutes=10))  # pretix renewed the cart
    assert hold.expires < now()
    finish_checkout(client, after_choice)
    assert len(order_placed_queries[0]) == 1 + 5  # the attempt with the hold, then under the lock
    with scopes_disabled():
        from pretix.base.models import Order

        assert group_of(Order.objects.get().positions.get()) == groups[0]


def test_the_order_log_names_the_group_chosen_with_a_held_place(shop, groups):
    event, item = shop
    order = place_order(event, item, choices={1: groups[1]}, held=True)
    with scopes_disabled(), translation.override("en"):
        (line,) = order.all_logentries().filter(action_type=logtypes.MEMBER_CHOSEN)
        assert line.display() == (
            "Ticket #1 has chosen the work-phase group “Challenge 2: Verwaltungsdaten offen nutzen”."
        )


def test_attendee_changes_the_group_on_the_order_page_until_the_start(shop, groups, client):
    event, item = shop
    order = place_order(event, item, choices={1: groups[0]})
    with scopes_disabled():
        position = order.positions.get()
    order_url = f"/{event.organizer.slug}/{event.slug}/order/{order.code}/{order.secret}/"
    page = client.get(order_url).content.decode()
    action = f"/{event.organizer.slug}/{event.slug}/innowerkstatt/group/{order.code}/1/{position.web_secret}/"
    assert f'action="{action}"' in page
    response = client.post(action, {"group": str(groups[1].pk)}, follow=True)
    assert "Ihre Gruppe wurde geändert." in response.content.decode()
    with scopes_disabled():
        assert group_of(position) == groups[1]
        with translation.override("en"):
            assert "has chosen the work-phase group “Challenge 2" in str(order.all_logentries().first().display())
    # a wrong secret is not found, and after the start nothing changes any more
    assert client.post(action.replace(position.web_secret, "wrong"), {"group": ""}).status_code == 404
    with scopes_disabled():
        event.date_from = now() - datetime.timedelta(minutes=1)
        event.save()
    response = client.post(action, {"group": ""}, follow=True)
    assert "Die Gruppe kann nicht mehr geändert werden." in response.content.decode()
    with scopes_disabled():
        assert group_of(position) == groups[1]


def test_the_place_chosen_at_the_step_is_held_while_the_buyer_checks_out(shop, work_item):
    event, item = shop
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    client = Client()
    after_choice = choose(client, start_checkout(client, event, item), [group])
    with pytest.raises(OrderError, match="ist voll"):
        place_order(event, item, choices={1: group}, email="faster@example.org")
    other = start_checkout(Client(), event, item).content.decode()
    assert re.search(rf'value="{group.pk}"\s+disabled', other)  # full for everyone else
    finish_checkout(client, after_choice)
    with scopes_disabled():
        assert [m.position.order.email for m in WorkGroupMember.objects.filter(group=group)] == ["buyer@example.org"]
        assert not WorkGroupHold.objects.filter(group=group, cart_position_id__in=CartPosition.objects.values("pk"))


def test_buyer_whose_hold_ran_out_and_whose_group_filled_up_meanwhile_is_sent_back_to_choose_again(shop, work_item):
    event, item = shop
    (group,) = make_groups(work_item, capacity=1, names=["Challenge 1"])
    client = Client()
    page = start_checkout(client, event, item)
    after_choice = choose(client, page, [group])
    with scopes_disabled():
        WorkGroupHold.objects.update(expires=now() - datetime.timedelta(minutes=1))  # the cart's time is up
    place_order(event, item, choices={1: group}, email="faster@example.org")  # takes the last place
    response = client.get(after_choice.redirect_chain[-1][0].replace("/questions/", "/confirm/"), follow=True)
    assert "/checkout/innowerkstatt-work-groups/" in response.redirect_chain[-1][0]
    assert "Die Gruppe „Challenge 1“ ist voll." in response.content.decode()


def test_group_description_is_shown_as_sanitised_markdown(shop, work_item):
    event, item = shop
    (group,) = make_groups(work_item, names=["Challenge 1"])
    with scopes_disabled():
        group.description = {"de": "**Vereine** <script>alert(1)</script><img src=x onerror=alert(2)>"}
        group.save()
    text = start_checkout(Client(), event, item).content.decode()
    assert "<strong>Vereine</strong>" in text
    assert "<script>alert(1)" not in text and "<img src=x" not in text  # shown as text, never as markup
    assert "&lt;script&gt;alert(1)" in text
