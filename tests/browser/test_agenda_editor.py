"""A real Chromium: an organiser adds an agenda item with a moderator in the editor and sees it on the event page."""

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.agenda.conftest import make_agenda
from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_item_in_editor_then_see_it_on_event_page(page, live_server, settings, event, item, admin_user, organizer):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        speaker = organizer.innowerkstatt_speakers.create(name="Stefan Muhle", role={"de": "Staatssekretär"})
        make_agenda(event)
    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/")
    assert page.locator("details.innowerkstatt-agenda-form:not(.innowerkstatt-agenda-new)").count() == 5
    new = "items-5"  # the new item's row after the five items
    page.click("details.innowerkstatt-agenda-new > summary")
    # after the last item (pretix before 2026.7 shows seconds in its time picker)
    assert page.input_value(f"input[name='{new}-start_1']")[:5] == "20:00"
    page.fill(f"input[name='{new}-start_1']", "20:05")
    page.fill(f"input[name='{new}-duration']", "10")
    page.select_option(f"select[name='{new}-kind']", "panel")
    page.locator(f"[name='{new}-title_0'], [name='{new}-title_1']").first.fill("Ausklang")
    page.select_option(f"select[name='{new}-speakers-0-speaker']", str(speaker.pk))
    page.select_option(f"select[name='{new}-speakers-0-role']", "moderator")
    page.click(".innowerkstatt-agenda-editor button[type=submit]")
    page.wait_for_load_state("networkidle")  # the test reads the database next
    assert page.locator(".alert-success").count() >= 1
    assert page.locator("details.innowerkstatt-agenda-form:not(.innowerkstatt-agenda-new)").count() == 6
    assert page.locator(".innowerkstatt-agenda-rows").inner_text().count("Stefan Muhle") == 1
    assert page.dialogs == []
    with scopes_disabled():
        added = AgendaItem.objects.get(event=event, kind="panel")
        assert AgendaItem.objects.filter(event=event).count() == 6
        assert (added.end - added.start).seconds == 600
        assert [(link.speaker_id, link.role) for link in added.speaker_links.all()] == [(speaker.pk, "moderator")]

    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    agenda = page.locator("#innowerkstatt-agenda")
    assert agenda.is_visible()
    assert "Ausklang" in agenda.inner_text()
    assert "20:05–20:15" in agenda.inner_text()
