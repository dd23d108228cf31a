"""A real Chromium: the compact agenda editor, its height, ripple edits and keyboard-only use."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.agenda.conftest import make_agenda
from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"


def open_editor(page, live_server, admin_user, event):
    make_agenda(event)
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}{EDITOR}")


def starts(event):
    with scopes_disabled():
        return [i.start for i in AgendaItem.objects.filter(event=event).order_by("start")]


def test_five_collapsed_items_fit_in_two_screen_heights(page, live_server, event, admin_user, settings):
    # pretix's test settings serve its SCSS uncompiled (no styles at all); measure the real look.
    settings.COMPRESS_PRECOMPILERS = settings.COMPRESS_PRECOMPILERS_ORIGINAL
    open_editor(page, live_server, admin_user, event)
    assert page.locator("details.innowerkstatt-agenda-form[open]").count() == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.sidebar')).position") != "static"
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"agenda editor with five collapsed items: {height} px at 1280×900")
    assert height <= 1800, height


def test_a_longer_item_moves_the_following_items_in_the_browser(page, live_server, event, admin_user):
    open_editor(page, live_server, admin_user, event)
    before = starts(event)
    row = page.locator("details.innowerkstatt-agenda-form").nth(1)
    row.locator("summary").click()
    ripple = row.locator("[name='items-1-move_following']")
    assert not ripple.is_visible()  # offered once the length changes
    row.locator("[name='items-1-duration']").fill("45")
    assert row.locator("[name='items-1-end_1']").input_value() == "18:55"  # the end follows the duration
    ripple.check()
    with page.expect_navigation():
        page.click(".innowerkstatt-agenda-editor button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").count() >= 1
    after = starts(event)
    assert [b - a for a, b in zip(before, after, strict=True)] == [datetime.timedelta(0)] * 2 + [
        datetime.timedelta(minutes=15)
    ] * 3


def test_the_editor_works_with_key_presses_alone(page, live_server, event, admin_user):
    open_editor(page, live_server, admin_user, event)

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        pytest.fail(f"{selector} was not reached with the Tab key")

    tab_to("details.innowerkstatt-agenda-form:nth-of-type(4) > summary")
    page.keyboard.press("Enter")
    assert page.locator("details.innowerkstatt-agenda-form").nth(3).get_attribute("open") is not None
    tab_to("[name='items-3-duration']")
    page.keyboard.press("Control+A")
    page.keyboard.type("60")
    tab_to("[name='items-3-move_following']", limit=5)
    page.keyboard.press("Space")
    tab_to("[name^='items-3-title_'][lang='de']", limit=6)
    page.keyboard.press("Control+A")
    page.keyboard.type("Arbeitsphase in Gruppen")
    tab_to(".innowerkstatt-agenda-editor button.btn-save")
    # Key down submits; the key comes up once the page is leaving, as when a person presses it.
    # pretix's "unsaved changes" guard (jquery.are-you-sure) checks the form again on every keyup,
    # the Save button's included: a keyup right after the submit marks the form changed again and
    # its beforeunload prompt cancels the navigation.
    with page.expect_navigation():
        page.keyboard.down("Enter")
    page.keyboard.up("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").count() >= 1
    with scopes_disabled():
        work = AgendaItem.objects.get(event=event, kind="work")
        end = AgendaItem.objects.get(event=event, kind="end")
    assert str(work.title.localize("de")) == "Arbeitsphase in Gruppen"
    assert work.end - work.start == datetime.timedelta(minutes=60)
    assert end.start - event.date_from == datetime.timedelta(minutes=130)  # moved along by ten minutes
