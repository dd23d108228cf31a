"""A real Chromium: XSS payloads in every agenda and speaker field execute nowhere."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.agenda.xss import PAYLOAD, PAYLOAD_URL, PAYLOADS
from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = "script:has-text('alert(1)'), img[src='x'], svg, [onload], [onerror], a[href^='javascript']"


def poison(event, subevent=None):
    """An item with every payload in every field, with a speaker with every payload in every field."""
    speaker = event.organizer.innowerkstatt_speakers.create(
        name=PAYLOAD,
        role={"de": PAYLOAD},
        biography={"de": PAYLOAD},
        links=[{"label": PAYLOAD, "url": "javascript:alert(1)"}] + [{"label": p, "url": PAYLOAD_URL} for p in PAYLOADS],
    )
    item = AgendaItem.objects.create(
        event=event,
        subevent=subevent,
        start=(subevent or event).date_from + datetime.timedelta(minutes=10),
        title={"de": PAYLOAD},
        description={"de": PAYLOAD},
        room={"de": PAYLOAD},
    )
    item.speaker_links.create(speaker=speaker)
    return item


@pytest.fixture
def poisoned_agenda(event, organizer):
    with scopes_disabled():
        return poison(event)


def assert_nothing_ran(page):
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give an onerror/onload handler the chance to fire
    assert page.dialogs == []
    assert page.locator(f"#innowerkstatt-agenda :is({INJECTED}), .innowerkstatt-speakers :is({INJECTED})").count() == 0


def test_event_page_and_backend_render_payloads_inert(
    page, live_server, settings, event, item, admin_user, poisoned_agenda
):
    settings.SITE_URL = live_server.url
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    assert page.locator("#innowerkstatt-agenda").is_visible()
    assert "<script>alert(1)</script>" in page.locator("#innowerkstatt-agenda h3").first.inner_text()
    assert_nothing_ran(page)

    browser_login(page, live_server, admin_user.email)
    for path in (
        "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/",
        "/control/organizer/innovationsbuero/innowerkstatt/speakers/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert page.dialogs == [], path
        assert (
            page.locator("main, #page-wrapper, body")
            .first.locator("img[src='x'], svg[onload], [onerror*='alert'], a[href^='javascript']")
            .count()
            == 0
        ), path


def test_date_page_with_speaker_cards_renders_payloads_inert(page, live_server, settings, event, item):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        date = event.subevents.create(name="Q3", date_from=event.date_from, active=True)
        event.quotas.create(name="Q3", size=10, subevent=date).items.add(item)
        poison(event, subevent=date)
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/{date.pk}/")
    assert page.locator("#innowerkstatt-agenda").is_visible()
    card = page.locator(".innowerkstatt-speaker-card").first
    assert card.is_visible()
    assert "<script>alert(1)</script>" in card.inner_text()  # shown as text
    assert card.locator("a[href^='https://example.org/']").count() == len(PAYLOADS)
    for link in card.locator("a").all():  # the javascript: link was dropped, and sanitising left no other
        assert not (link.get_attribute("href") or "").strip().lower().startswith("javascript")
    card.locator("a").first.hover()
    assert_nothing_ran(page)
