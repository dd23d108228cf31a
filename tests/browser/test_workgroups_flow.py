"""The whole work-phase flow in a real Chromium: choose a group at checkout, see it on the order page, land in its room.

The server's clock is the real one (a frozen clock would stop the browser's event loop too): the
event is placed around it, started 75 minutes ago, so its work phase (from 70 minutes after the
start) is running while the buyer checks out and joins. The group's meeting service is not
reachable from the test machine: Playwright answers in its place, nothing is fetched.
"""

import re

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Order

from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.domain.selection import group_of
from pretix_innowerkstatt.workgroups.interfaces import rooms
from tests.videolinks.conftest import MEETING_URL
from tests.workgroups.work_phase import GROUP_URLS

from .workgroups_shop import finish_checkout, start_checkout_at_the_group_step, work_phase_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_work_phase(event, item):
    rooms.forget_all()
    yield event, work_phase_running(event)
    rooms.forget_all()


def test_a_buyer_chooses_a_group_at_checkout_sees_it_on_the_order_page_and_joins_its_room(
    page, live_server, settings, in_work_phase, item
):
    event, groups = in_work_phase
    settings.SITE_URL = live_server.url
    fetched = []

    def group_room(route):
        fetched.append(route.request.url)
        route.fulfill(body="Group room")

    page.route(re.compile(r"^https://meet\.example\.org/.*"), group_room)

    # checkout: the group step offers the groups, the buyer takes the second one
    start_checkout_at_the_group_step(page, live_server)
    assert "Challenge 2" in page.locator("form.innowerkstatt-workgroups-choice").inner_text()
    page.locator(f"input[type=radio][value='{groups[1].pk}']").check()
    page.click(".checkout-button-row button[type=submit].btn-primary")

    finish_checkout(page, "ada@example.org", "Ada Lovelace")

    # the order page names the group
    panel = " ".join(page.locator(".innowerkstatt-workgroups").inner_text().split())
    assert "Ihre Gruppe: Challenge 2" in panel
    with scopes_disabled():
        order = Order.objects.get(email="ada@example.org")
        position = order.positions.get()
        assert order.status == Order.STATUS_PAID and group_of(position) == groups[1]
        path = join_path(position)

    # inside the work phase, the join page leads into the group's room
    page.goto(live_server.url + path)
    assert page.locator(".innowerkstatt-join-room").inner_text().strip() == "Zu Ihrer Gruppe: Challenge 2"
    content = page.content()
    assert GROUP_URLS[1] not in content and MEETING_URL not in content
    page.click("button:has-text('Jetzt teilnehmen'), button:has-text('Join now')")
    page.wait_for_url(GROUP_URLS[1])
    assert "Group room" in page.content()
    assert fetched == [GROUP_URLS[1]]
    assert page.dialogs == []
