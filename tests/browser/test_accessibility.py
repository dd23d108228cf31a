"""axe-core (WCAG 2.1 A and AA rules) finds no violations on the plugin's pages.

axe's JavaScript comes from the ``axe-playwright-python`` package; nothing is downloaded while the
tests run. Attendee pages must have no violation at all. On backend pages, pretix's own chrome
(navigation, header, sidebar) has violations the plugin cannot fix: they are listed once, in
``PRETIX_BACKEND_CHROME``, by rule and selector; any other violation fails.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Order

from pretix_innowerkstatt.formats.domain import creation
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_path
from tests.agenda.conftest import adriana, make_agenda  # NOQA: F401  (fixture)
from tests.browser.conftest import browser_login
from tests.formats.conftest import make_format
from tests.videolinks.conftest import MEETING_URL, make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Violations of pretix's own backend chrome, not of the plugin's markup: axe rule id and a CSS
# selector the offending element matches. pretix 2026.3 and 2026.8 render the same chrome.
PRETIX_BACKEND_CHROME = [
    ("html-has-lang", "html"),  # the backend's <html> has no lang attribute
    ("image-alt", ".navbar-brand img"),  # the logo
    ("link-name", ".navbar-top-links a"),  # icon-only links in the top bar
    ("link-name", "#side-menu a.arrow"),  # the sidebar's expand arrows
    ("aria-required-children", "ul.dropdown-menu.event-dropdown"),  # the event switcher
    ("listitem", "li.query-holder"),  # the event switcher's search field
]

_axe = Axe()
_MATCHES = """([target, selectors]) => {
    const element = document.querySelector(target);
    return !!element && selectors.some((selector) => element.matches(selector));
}"""


def violations(page, known=()):
    """Each violation of the WCAG 2.1 A/AA rules on ``page`` that ``known`` does not list."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_A_AA}})
    found = []
    for violation in results.response["violations"]:
        selectors = [selector for rule, selector in known if rule == violation["id"]]
        for node in violation["nodes"]:
            target = node["target"][0] if len(node["target"]) == 1 else None
            if selectors and isinstance(target, str) and page.evaluate(_MATCHES, [target, selectors]):
                continue
            found.append(f"{violation['id']}: {node['target']} ({violation['help']}) {node['html'][:300]}")
    return found


def check(page, url, known=()):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    found = violations(page, known)
    assert found == [], f"axe-core on {url}:\n" + "\n".join(found)


@pytest.fixture
def english_page(browser, live_server):
    context = browser.new_context(locale="en-US", timezone_id="Europe/Berlin")
    page = context.new_page()
    yield page
    context.close()
    with live_server.thread.httpd.request_lock:
        pass


@pytest.fixture
def event_with_agenda(event, item, adriana):  # NOQA: F811
    with scopes_disabled():
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    make_agenda(event, adriana)
    return event


def event_url(live_server, event):
    return f"{live_server.url}/{event.organizer.slug}/{event.slug}/"


def test_event_page_with_agenda_in_german_has_no_violations(page, live_server, settings, event_with_agenda):
    settings.SITE_URL = live_server.url
    check(page, event_url(live_server, event_with_agenda))
    assert page.locator("html").get_attribute("lang").startswith("de")


def test_event_page_with_agenda_in_english_has_no_violations(english_page, live_server, settings, event_with_agenda):
    settings.SITE_URL = live_server.url
    check(english_page, event_url(live_server, event_with_agenda))
    assert english_page.locator("html").get_attribute("lang").startswith("en")


def set_times(event, start, hours=2):
    with scopes_disabled():
        event.date_from = start
        event.date_to = start + datetime.timedelta(hours=hours)
        event.save()


def join_page_url(live_server, event, item, **order):
    made = make_order(event, item, attendees=("Ada Lovelace",), **order)
    with scopes_disabled():
        return live_server.url + join_path(made.positions.get())


@pytest.mark.parametrize("state", ["before", "open", "ended", "refused"])
def test_join_page_has_no_violations_in_each_state(page, live_server, settings, event_with_agenda, item, state):
    settings.SITE_URL = live_server.url
    event = event_with_agenda
    order = {}
    if state == "before":
        set_times(event, now() + datetime.timedelta(hours=3))
    elif state == "open":
        set_times(event, now() + datetime.timedelta(minutes=10))
    elif state == "ended":
        set_times(event, now() - datetime.timedelta(hours=5))
        with scopes_disabled():
            configure_event(event, closes_minutes_after=15)
    else:
        set_times(event, now() + datetime.timedelta(minutes=10))
        order = {"status": Order.STATUS_CANCELED}
    url = join_page_url(live_server, event, item, **order)
    check(page, url)
    if state == "open":
        assert page.locator("form.innowerkstatt-join-form").count() == 1
    else:
        assert page.locator("form.innowerkstatt-join-form").count() == 0


def test_order_page_with_the_join_panel_has_no_violations(page, live_server, settings, event_with_agenda, item):
    settings.SITE_URL = live_server.url
    set_times(event_with_agenda, now() + datetime.timedelta(minutes=10))
    order = make_order(event_with_agenda, item, attendees=("Ada Lovelace",))
    url = f"{event_url(live_server, event_with_agenda)}order/{order.code}/{order.secret}/"
    check(page, url)
    assert page.locator(".innowerkstatt-join").count() >= 1


def test_plugin_backend_pages_have_no_violations_but_pretix_own(
    page,
    live_server,
    settings,
    event_with_agenda,
    admin_user,
    adriana,  # NOQA: F811
):
    settings.SITE_URL = live_server.url
    event = event_with_agenda
    organizer = event.organizer
    with scopes_disabled():
        # two editions, offline: the formats list shows its "publish editions" table
        creation.create_editions(make_format(organizer, event, count=2))
    browser_login(page, live_server, admin_user.email)
    ev = {"organizer": organizer.slug, "event": event.slug}
    orga = {"organizer": organizer.slug}
    for name, kwargs in [
        ("agenda", ev),
        ("agenda.settings", ev),
        ("speakers", orga),
        ("speaker.edit", {**orga, "pk": adriana.pk}),
        ("videolinks.settings", ev),
        ("formats", orga),
        ("formats.add", orga),
        ("formats.edit", {**orga, "slug": "innowerkstatt"}),
        ("formats.preview", {**orga, "slug": "innowerkstatt"}),
    ]:
        url = live_server.url + reverse(f"plugins:pretix_innowerkstatt:{name}", kwargs=kwargs)
        check(page, url, PRETIX_BACKEND_CHROME)
