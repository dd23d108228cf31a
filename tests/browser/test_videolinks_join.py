"""A real Chromium: the attendee waits on the join page, the button appears, the click lands in the meeting."""

import datetime
import re

import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from tests.videolinks.conftest import MEETING_URL, make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def soon_event(event, item):
    with scopes_disabled():
        event.date_from = now() + datetime.timedelta(minutes=20)
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.save()
        configure_event(event, url=MEETING_URL, opens_minutes_before=30, instructions={"de": "Bitte **Kamera** an."})
    return event


def test_attendee_joins_with_a_click_and_the_meeting_url_is_only_in_the_redirect(
    page, live_server, settings, soon_event, item
):
    settings.SITE_URL = live_server.url
    order = make_order(soon_event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        path = join_path(order.positions.get())
    # The meeting service is not reachable from the test machine: answer in its place.
    page.route(re.compile(r"^https://meet\.example\.org/.*"), lambda route: route.fulfill(body="Meeting room"))

    page.goto(live_server.url + path)
    assert MEETING_URL not in page.content()
    assert page.locator(".innowerkstatt-join-instructions strong").inner_text() == "Kamera"
    page.click("button:has-text('Jetzt teilnehmen'), button:has-text('Join now')")
    page.wait_for_url(MEETING_URL)
    assert "Meeting room" in page.content()
    assert page.dialogs == []


def test_before_the_window_the_page_counts_down_and_offers_no_button(page, live_server, settings, soon_event, item):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        configure_event(soon_event, opens_minutes_before=5)
    order = make_order(soon_event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        path = join_path(order.positions.get())
    page.goto(live_server.url + path)
    countdown = page.locator("[data-innowerkstatt-countdown]")
    page.wait_for_function("document.querySelector('[data-innowerkstatt-countdown]').textContent.length > 0")
    assert re.fullmatch(r"in 1[45] Minuten", countdown.inner_text().strip())
    assert page.locator("form.innowerkstatt-join-form").count() == 0
