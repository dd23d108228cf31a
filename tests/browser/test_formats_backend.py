"""A real Chromium: an organiser creates a quarterly format, previews it and creates the editions."""

import re

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.formats.models import Edition
from tests.browser.conftest import browser_login
from tests.formats.conftest import template  # NOQA: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_format_preview_and_create_editions(page, live_server, settings, template, admin_user):  # NOQA: F811
    settings.SITE_URL = live_server.url
    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/organizer/innovationsbuero/")
    page.click("a:has-text('Recurring formats')")
    page.click("#innowerkstatt-format-add")

    page.fill("input[name=name_0]", "Innovationswerkstatt")
    page.fill("input[name=slug]", "innowerkstatt")
    page.select_option("select[name=template_event]", str(template.pk))
    # choosing the template fills in its weekday; this format meets on Wednesdays
    page.select_option("select[name=weekday]", "2")
    page.fill("input[name=month]", "2")
    page.fill("input[name=first_year]", "2027")
    page.fill("input[name=first_period]", "1")
    page.fill("input[name=count]", "4")
    page.select_option("select[name=holiday_state]", "BE")
    page.fill("textarea[name=blocked_dates]", "2027-05-26 Klausurtagung")
    page.click("#innowerkstatt-format-form button[type=submit]")

    page.wait_for_url(re.compile(r".*/innowerkstatt/preview/$"))
    plan = page.locator("#innowerkstatt-format-plan")
    assert plan.locator("tbody tr").count() == 4
    q2 = plan.locator("tr[data-key='2027-Q2']").inner_text()
    assert "Klausurtagung" in q2 and "June 2, 2027" in q2

    page.click("#innowerkstatt-format-create button[type=submit]")
    page.wait_for_selector("tr[data-key='2027-Q4'] .label-success", timeout=60000)
    page.wait_for_load_state("networkidle")  # the test reads the database next
    assert "4 editions have been created." in page.content()
    assert plan.locator(".label-success").count() == 4
    with scopes_disabled():
        assert Edition.objects.count() == 4

    # The edition's backend link leads to the copied event
    plan.locator("tr[data-key='2027-Q1'] a").first.click()
    page.wait_for_url(re.compile(r".*/control/event/innovationsbuero/innowerkstatt-2027-q1/$"))
    assert page.dialogs == []
