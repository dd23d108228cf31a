"""A real Chromium at the work phase: the join page names the group, the click lands in the group's room."""

import re

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.interfaces import rooms
from tests.videolinks.conftest import MEETING_URL, make_order
from tests.workgroups.work_phase import GROUP_URLS, add_member

from .workgroups_shop import work_phase_running

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_work_phase(event, item):
    rooms.forget_all()
    yield event, work_phase_running(event)
    rooms.forget_all()


def test_a_member_joining_during_the_work_phase_lands_in_the_groups_room(
    page, live_server, settings, in_work_phase, item
):
    event, groups = in_work_phase
    settings.SITE_URL = live_server.url
    order = make_order(event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        position = order.positions.get()
        path = join_path(position)
    add_member(groups[1], position)
    # The meeting service is not reachable from the test machine: answer in its place.
    page.route(re.compile(r"^https://meet\.example\.org/.*"), lambda route: route.fulfill(body="Group room"))

    page.goto(live_server.url + path)
    assert page.locator(".innowerkstatt-join-room").inner_text().strip() == "Zu Ihrer Gruppe: Challenge 2"
    content = page.content()
    assert GROUP_URLS[1] not in content and MEETING_URL not in content
    page.click("button:has-text('Jetzt teilnehmen'), button:has-text('Join now')")
    page.wait_for_url(GROUP_URLS[1])
    assert "Group room" in page.content()
    assert page.dialogs == []
