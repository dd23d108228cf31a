"""Orders from the shop's test mode and deactivated dates of a series give no access; phone details only while open."""

import datetime

import pytest
from django.core import mail as djmail
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time
from i18nfield.strings import LazyI18nString
from pretix.base.models import Checkin

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path, join_secret

from .conftest import MEETING_URL, csrf_token, first_position, make_order, open_time

DIAL_IN = "+49 30 1234567"
MEETING_ID = "987 654 321"
PASSCODE = "sesam-1234"


def checked_in(order):
    with scopes_disabled():
        return Checkin.all.filter(position__order=order).exists()


def post(client, path):
    return client.post(path, {"csrfmiddlewaretoken": csrf_token(client)})


def order_in_test_mode(event, item):
    order = make_order(event, item)
    with scopes_disabled():
        order.testmode = True
        order.save(update_fields=["testmode"])
    return order


@pytest.mark.django_db
def test_an_order_placed_in_test_mode_is_refused_once_the_shop_is_live_on_both_routes(route, configured_event, item):
    client, path_of = route
    order = order_in_test_mode(configured_event, item)
    with freeze_time(open_time(configured_event)):
        get = client.get(path_of(first_position(order)))
        response = post(client, path_of(first_position(order)))
    assert response.status_code == 403
    assert "placed while the shop was in test mode" in response.content.decode()
    assert "Location" not in response and MEETING_URL.encode() not in response.content
    assert "placed while the shop was in test mode" in get.content.decode()
    assert not checked_in(order)


@pytest.mark.django_db
def test_an_order_placed_in_test_mode_joins_while_the_shop_is_still_in_test_mode(route, configured_event, item):
    client, path_of = route
    order = order_in_test_mode(configured_event, item)
    with scopes_disabled():
        configured_event.testmode = True
        configured_event.save()
    with freeze_time(open_time(configured_event)):
        response = post(client, path_of(first_position(order)))
    assert response.status_code == 302 and response["Location"] == MEETING_URL
    assert checked_in(order)


@pytest.mark.django_db
def test_an_order_placed_in_test_mode_gets_no_link_in_mails_once_the_shop_is_live(configured_event, item):
    from pretix_innowerkstatt.videolinks.domain.attendees import for_order

    order = order_in_test_mode(configured_event, item)
    with scopes_disabled():
        configured_event.testmode = True
        assert len(for_order(configured_event, order)) == 1
        configured_event.testmode = False
        order.last_modified = order.last_modified + datetime.timedelta(seconds=1)  # the answer is remembered per state
        assert for_order(configured_event, order) == []


@pytest.mark.django_db
def test_a_deactivated_date_refuses_joins_on_both_routes(route, configured_event, item, series_dates):
    client, path_of = route
    date_a, date_b = series_dates
    with scopes_disabled():
        date_a.active = False
        date_a.save()
    on_a = first_position(make_order(configured_event, item, subevent=date_a))
    with freeze_time(open_time(date_a)):
        response = post(client, path_of(on_a))
    assert response.status_code == 403
    assert "deactivated this date" in response.content.decode()
    assert "Location" not in response and MEETING_URL.encode() not in response.content
    assert not checked_in(on_a.order)
    with scopes_disabled():
        date_a.active = True
        date_a.save()
    with freeze_time(open_time(date_a)):
        assert post(client, path_of(on_a)).status_code == 302


# --- dial-in, meeting ID and passcode only while the conference is open -----------------------


@pytest.fixture
def phone_event(configured_event):
    with scopes_disabled():
        configure_event(configured_event, dial_in=DIAL_IN, meeting_id=MEETING_ID, passcode=PASSCODE)
    return configured_event


def moments(event):
    return {
        "early": event.date_from - datetime.timedelta(hours=5),
        "open": open_time(event),
        "ended": event.date_to + datetime.timedelta(days=1),
    }


def shows_phone_details(text):
    found = {DIAL_IN in text, MEETING_ID in text, PASSCODE in text}
    assert len(found) == 1, text  # all three or none
    return found.pop()


@pytest.mark.django_db
@pytest.mark.parametrize("moment, shown", [("early", False), ("open", True), ("ended", False)])
def test_join_page_and_order_panel_show_phone_details_only_while_open(phone_event, item, moment, shown):
    with scopes_disabled():
        configure_event(phone_event, closes_minutes_after=60)
    order = make_order(phone_event, item)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with scopes_disabled():
        path = join_path(order.positions.get())
    with freeze_time(moments(phone_event)[moment]):
        page = client.get(path).content.decode()
        panel = client.get(f"/{phone_event.organizer.slug}/{phone_event.slug}/order/{order.code}/{order.secret}/")
    panel = panel.content.decode()
    assert "innowerkstatt-join" in panel
    assert shows_phone_details(page) is shown
    # The order page shows the dial-in while open; meeting ID and passcode only the join page.
    assert (DIAL_IN in panel) is shown
    assert MEETING_ID not in panel and PASSCODE not in panel
    assert ("appear here when the video conference opens" in page) is (moment == "early")


@pytest.mark.django_db
@pytest.mark.parametrize("moment, shown", [("early", False), ("open", True), ("ended", False)])
def test_mails_carry_phone_details_only_when_sent_while_open(phone_event, item, moment, shown):
    with scopes_disabled():
        configure_event(phone_event, closes_minutes_after=60)
    order = make_order(phone_event, item)
    djmail.outbox.clear()
    with freeze_time(moments(phone_event)[moment]), scopes_disabled():
        # Any mail pretix sends with the tickets (here: as the "resend" and reminder mails do).
        order.send_mail("Your ticket", LazyI18nString({"en": "Here is your ticket."}), {}, attach_tickets=True)
    [message] = [m for m in djmail.outbox if "buyer@example.org" in m.to]
    with scopes_disabled():
        assert join_secret(order.positions.get()) in message.body
    html = message.alternatives[0][0].get_payload()[0].get_payload(decode=True).decode()
    assert shows_phone_details(message.body) is shown
    assert shows_phone_details(html) is shown
    come_back = "are on your join page from"
    assert (come_back in message.body) is (moment == "early")
    assert (come_back in html) is (moment == "early")
