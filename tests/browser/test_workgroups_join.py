"""A real Chromium at the work phase: the join page names the group, the click lands in the group's room."""

import datetime
import re

import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.interfaces import rooms
from tests.videolinks.conftest import MEETING_URL, make_order
from tests.workgroups.work_phase import GROUP_URLS, add_groups, add_member, add_work_phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_work_phase(event, item):
    """The event started 75 minutes ago: its work phase (from 70 minutes after the start) is running now.

    The server's clock is the real one (a frozen clock would stop the browser's event loop too);
    the event is placed around it.
    """
    rooms.forget_all()
    with scopes_disabled():
        event.date_from = now() - datetime.timedelta(minutes=75)
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.save()
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    groups = add_groups(add_work_phase(event))
    yield event, groups
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
