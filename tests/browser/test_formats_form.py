"""A real Chromium: the create-format form fills in the template's times, shows only the fields of
the chosen rule kind and mode, and suggests the short form from the name."""

import datetime
import re

import pytest
from django_scopes import scopes_disabled

from tests.browser.conftest import browser_login
from tests.formats.conftest import BERLIN, template  # NOQA: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shown(page, name):
    return page.locator(f"[name={name}]").first.evaluate("e => !e.closest('.form-group').hidden")


def test_create_format_form_is_filled_from_the_template_and_shows_only_what_the_rule_needs(
    page,
    live_server,
    settings,
    template,  # NOQA: F811
    admin_user,  # NOQA: F811
):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        template.date_from = template.date_from.astimezone(BERLIN).replace(hour=17, minute=30)
        template.date_to = template.date_from + datetime.timedelta(hours=2, minutes=15)
        template.save()
        weekday = template.date_from.astimezone(BERLIN).weekday()
    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/organizer/innovationsbuero/innowerkstatt/formats/add/")

    # the short form follows the name until the organiser edits it
    page.fill("input[name=name_0]", "Zukunftswerkstatt Süd")
    assert page.input_value("input[name=slug]") == "zukunftswerkstatt-sued"
    page.fill("input[name=slug]", "zws")
    page.fill("input[name=name_0]", "Zukunftswerkstatt")
    assert page.input_value("input[name=slug]") == "zws"

    # choosing the template event fills in its times and weekday, without seconds
    page.select_option("select[name=template_event]", str(template.pk))
    assert page.input_value("input[name=start_time]") == "17:30"
    assert page.input_value("input[name=end_time]") == "19:45"
    assert page.input_value("select[name=weekday]") == str(weekday)

    # only the fields of the chosen rule kind and mode
    page.check("input[name=rule_kind][value=weekday]")
    assert shown(page, "ordinal") and shown(page, "weekday") and not shown(page, "day")
    page.check("input[name=rule_kind][value=monthday]")
    assert shown(page, "day") and not shown(page, "ordinal") and not shown(page, "weekday")
    page.check("input[name=rule_kind][value=template_day]")
    assert not shown(page, "day") and not shown(page, "month")
    page.check("input[name=mode][value=events]")
    assert not shown(page, "template_subevent") and shown(page, "slug_pattern")
    page.check("input[name=mode][value=dates]")
    assert shown(page, "template_subevent") and not shown(page, "slug_pattern")
    assert page.dialogs == []
    assert re.search(r"Innovation", page.locator("select[name=template_event] option:checked").inner_text())
