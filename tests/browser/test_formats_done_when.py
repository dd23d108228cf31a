"""A real Chromium, from a new template event to a ticket: the organiser sets up a format in the
backend, creates its editions, publishes them with "publish editions", and an attendee buys a
ticket in an edition's shop. The confirmation carries the agenda and the join link."""

import datetime
import re

import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled
from pretix.base.models import Event, Order

from pretix_innowerkstatt.formats.models import Edition
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from tests.agenda.conftest import make_agenda
from tests.browser.conftest import browser_login
from tests.conftest import PLUGIN, upcoming_evening
from tests.videolinks.conftest import MEETING_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def new_template(organizer):
    """An event as a new organiser leaves it: offline, in test mode, a free ticket, a meeting URL, an agenda."""
    with scopes_disabled():
        start = upcoming_evening(days=20)
        event = Event.objects.create(
            organizer=organizer,
            name={"de": "Zukunftswerkstatt", "en": "Future workshop"},
            slug="zukunft",
            date_from=start,
            date_to=start + datetime.timedelta(hours=2),
            live=False,
            testmode=True,
            plugins="pretix.plugins.banktransfer,pretix.plugins.ticketoutputpdf," + PLUGIN,
        )
        event.settings.timezone = "Europe/Berlin"
        event.settings.locales = ["de", "en"]
        event.settings.locale = "de"
        item = event.items.create(name={"de": "Teilnahme", "en": "Admission"}, default_price=0, admission=True)
        event.quotas.create(name="Plätze", size=50).items.add(item)
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    make_agenda(event)
    return event


def test_from_a_new_template_event_to_a_ticket_with_agenda_and_join_link(
    page, live_server, settings, new_template, admin_user
):
    settings.SITE_URL = live_server.url
    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/organizer/innovationsbuero/innowerkstatt/formats/add/")
    page.fill("input[name=name_0]", "Zukunftswerkstatt")
    page.fill("input[name=name_1]", "Future workshop")
    assert page.input_value("input[name=slug]") == "zukunftswerkstatt"
    page.select_option("select[name=template_event]", str(new_template.pk))
    assert page.input_value("input[name=start_time]") == "18:00"
    page.check("input[name=rule_kind][value=template_day]")
    page.fill("input[name=first_year]", "2027")
    page.fill("input[name=first_period]", "1")
    page.fill("input[name=count]", "2")
    page.fill("input[name=presale_start_days]", "")
    page.click("#innowerkstatt-format-form button[type=submit]")

    # the preview says what the editions will be like
    page.wait_for_url(re.compile(r".*/zukunftswerkstatt/preview/$"))
    outlook = page.locator("#innowerkstatt-format-outlook").inner_text()
    assert "offline" in outlook and "nicht im Testmodus" in outlook.replace("not in test mode", "nicht im Testmodus")
    page.click("#innowerkstatt-format-create button[type=submit]")
    page.wait_for_selector("#innowerkstatt-format-plan .label-success", timeout=60000)
    page.wait_for_load_state("networkidle")
    with scopes_disabled():
        editions = list(Edition.objects.select_related("event").order_by("rule_start"))
        assert len(editions) == 2
        assert not any(e.event.live or e.event.testmode for e in editions)

    # "publish editions" in the formats list
    page.goto(f"{live_server.url}/control/organizer/innovationsbuero/innowerkstatt/formats/")
    assert page.locator("#innowerkstatt-publish input[name=edition]").count() == 2
    page.click("#innowerkstatt-publish button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#innowerkstatt-publish").count() == 0
    with scopes_disabled():
        assert all(Event.objects.get(pk=e.event_id).live for e in editions)
        edition_event = editions[0].event

    # an attendee buys a ticket in the first edition's shop
    djmail.outbox.clear()
    page.goto(f"{live_server.url}/innovationsbuero/{edition_event.slug}/")
    page.locator("input[type=number][name^=item_], input[type=checkbox][name^=item_]").first.evaluate(
        "e => e.type === 'checkbox' ? (e.checked = true) : (e.value = '1')"
    )
    page.click("#btn-add-to-cart")
    page.wait_for_url(re.compile(r".*require_cookie=true.*"))
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").first.inner_text()
    page.goto(f"{live_server.url}/innovationsbuero/{edition_event.slug}/checkout/start")
    page.wait_for_url(re.compile(r".*/checkout/questions/.*"))
    page.fill("input[name=email]", "ada@example.org")
    if page.locator("input[name=email_repeat]").count():
        page.fill("input[name=email_repeat]", "ada@example.org")
    name = page.locator("input[name$=attendee_name_parts_0]")
    if name.count():
        name.first.fill("Ada Lovelace")
    page.click(".checkout-button-row button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r".*/checkout/confirm/.*"))
    page.click(".checkout-button-row button[type=submit].btn-primary")
    page.wait_for_url(re.compile(r".*/order/[A-Z0-9]+/[a-z0-9]+/.*"))
    with scopes_disabled():
        order = Order.objects.get(event=edition_event)
        assert order.status == Order.STATUS_PAID and not order.testmode

    (confirmation,) = [m for m in djmail.outbox if "ada@example.org" in m.to]
    body = confirmation.body
    assert "/innowerkstatt/join/" in body
    assert page.dialogs == []
    # The agenda in confirmations by default (issue 15 §4): the edition's agenda, copied from the template.
    assert "Work phase" in body or "Arbeitsphase" in body
