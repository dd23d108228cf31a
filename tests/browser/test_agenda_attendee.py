"""A real Chromium: the event page's agenda on a phone, and its links to the calendar file and schedule."""

import pytest

from tests.agenda.conftest import make_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_on_a_phone_each_time_stands_with_its_title_and_nothing_scrolls_sideways(
    page, live_server, settings, event, item
):
    settings.COMPRESS_PRECOMPILERS = settings.COMPRESS_PRECOMPILERS_ORIGINAL  # pretix's real styles
    make_agenda(event)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    items = page.locator(".innowerkstatt-agenda-item")
    assert items.count() == 5
    for index in range(5):
        time_top = items.nth(index).locator(".innowerkstatt-agenda-time").bounding_box()["y"]
        title_top = items.nth(index).locator(".innowerkstatt-agenda-title").bounding_box()["y"]
        assert abs(title_top - time_top) <= 40, (index, time_top, title_top)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_agenda_links_its_calendar_file_and_schedule_for_apps(page, live_server, settings, event, item):
    make_agenda(event)
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    calendar = page.get_by_role("link", name="Ablaufplan zum Kalender hinzufügen")
    schedule = page.get_by_role("link", name="Programm für Apps (JSON)")
    assert calendar.get_attribute("href").endswith("/innowerkstatt/agenda.ics")
    assert schedule.get_attribute("href").endswith("/innowerkstatt/schedule.json")
    assert "Giggity" in schedule.get_attribute("title")
    response = page.request.get(live_server.url + schedule.get_attribute("href"))
    assert response.ok and "schedule" in response.json()
