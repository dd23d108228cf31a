"""A real Chromium: the join page's "Now" mark moves with the time, and join page and panel fit a phone."""

import datetime

import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from tests.videolinks.conftest import MEETING_URL, make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
RUNNING = "[data-innowerkstatt-agenda] li[aria-current='true']"


@pytest.fixture
def running_event(event, item):
    """Started five minutes ago: the welcome runs for five more minutes, then the talk."""
    with scopes_disabled():
        event.date_from = now() - datetime.timedelta(minutes=5)
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.save()
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
        start = event.date_from
        AgendaItem.objects.create(
            event=event,
            start=start,
            end=start + datetime.timedelta(minutes=10),
            title="Begrüßung und Vorstellungsrunde der Innovationswerkstatt",
        )
        AgendaItem.objects.create(
            event=event,
            start=start + datetime.timedelta(minutes=10),
            end=start + datetime.timedelta(minutes=60),
            title="Impulsvortrag: Digitalisierungsbeschleunigungsprogramme",
        )
        AgendaItem.objects.create(event=event, start=start + datetime.timedelta(minutes=60), title="Ende")
    return event


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()
    with live_server.thread.httpd.request_lock:
        pass


def join_page_path(event, item):
    order = make_order(event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        return join_path(order.positions.get())


def test_the_now_mark_moves_to_the_next_item_when_it_starts(page, live_server, settings, running_event, item):
    settings.SITE_URL = live_server.url
    path = join_page_path(running_event, item)
    page.clock.install()
    page.goto(live_server.url + path)
    running = page.locator(RUNNING)
    assert running.count() == 1
    assert "Begrüßung" in running.inner_text() and "Jetzt" in running.inner_text()
    page.clock.fast_forward("06:00")  # the talk has started
    page.wait_for_function(
        'document.querySelector("' + RUNNING + "\").textContent.includes('Impulsvortrag')", timeout=5000
    )
    assert page.locator(RUNNING).count() == 1
    assert page.locator(".innowerkstatt-now-label").count() == 1
    assert "Jetzt" in page.locator(RUNNING).inner_text()


def no_sideways_scrolling(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_on_a_phone_the_join_page_fits_and_each_time_stands_with_its_title(
    phone, live_server, settings, running_event, item
):
    settings.SITE_URL = live_server.url
    phone.goto(live_server.url + join_page_path(running_event, item))
    assert no_sideways_scrolling(phone)
    items = phone.locator(".innowerkstatt-join-agenda-item")
    assert items.count() == 3
    for index in range(3):
        time_top = items.nth(index).locator(".innowerkstatt-join-agenda-time").bounding_box()["y"]
        title_top = items.nth(index).locator(".innowerkstatt-join-agenda-title").bounding_box()["y"]
        assert abs(title_top - time_top) <= 40, f"item {index}: time at {time_top}, title at {title_top}"


def test_on_a_phone_the_order_pages_join_panel_fits(phone, live_server, settings, running_event, item):
    settings.SITE_URL = live_server.url
    order = make_order(running_event, item, attendees=("Ada Lovelace",))
    phone.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/order/{order.code}/{order.secret}/")
    assert phone.locator(".innowerkstatt-join").count() == 1
    assert no_sideways_scrolling(phone)


@pytest.mark.parametrize(
    ("locale", "before", "after"), [("en-US", "in 90 days", "in 88 days"), ("de-DE", "in 90 Tagen", "in 88 Tagen")]
)
def test_the_countdown_counts_in_days_in_the_pages_language(
    browser, live_server, settings, event, item, locale, before, after
):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        event.date_from = now() + datetime.timedelta(days=90, hours=3)
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.save()
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    context = browser.new_context(locale=locale, timezone_id="Europe/Berlin")
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(live_server.url + join_page_path(event, item))
        countdown = page.locator("[data-innowerkstatt-countdown]")
        assert countdown.inner_text().strip() == before
        page.clock.fast_forward("48:00:00")
        page.wait_for_function(
            f"document.querySelector('[data-innowerkstatt-countdown]').textContent.trim() === '{after}'", timeout=5000
        )
    finally:
        context.close()
        with live_server.thread.httpd.request_lock:
            pass
