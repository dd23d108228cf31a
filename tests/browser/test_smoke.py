"""A real Chromium opens the event page and, logged in, the plugin's backend page."""

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_event_page_and_backend_page_in_real_browser(page, live_server, settings, event, item, admin_user):
    settings.SITE_URL = live_server.url
    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    assert "Innovationswerkstatt" in page.title()
    assert page.locator("input[name^='item_'], button:has-text('Warenkorb'), button:has-text('cart')").count() >= 1

    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/event/innovationsbuero/innowerkstatt/innowerkstatt/")
    assert page.locator("h1").first.inner_text().strip() == "Innowerkstatt"
    assert page.locator("#innowerkstatt-card-agenda").is_visible()
    assert page.dialogs == []
