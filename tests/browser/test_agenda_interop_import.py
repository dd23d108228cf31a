"""In a real Chromium: the organiser imports a schedule file with script payloads through the menu.

The import page is reached from the event navigation, the upload is previewed, then confirmed
into the agenda, and neither the preview, the backend agenda page nor the public event page runs
any of the imported payloads.
"""

import json

import pytest

from tests.agenda.interop_helpers import XSS_PAYLOADS
from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _schedule_with_payloads(event) -> dict:
    start = event.date_from
    talks = [
        {
            "guid": f"00000000-0000-4000-8000-00000000000{n}",
            "id": n + 1,
            "date": start.isoformat(),
            "start": start.strftime("%H:%M"),
            "duration": "00:20",
            "room": f"Raum {payload}",
            "title": f"Beitrag {n} {payload}",
            "type": "Talk",
            "language": "de",
            "abstract": f"Zusammenfassung {payload}",
            "persons": [{"code": f"P{n}", "name": f"Person {n} {payload}", "biography": payload}],
            "links": [],
        }
        for n, payload in enumerate(XSS_PAYLOADS)
    ]
    return {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "xss_test",
                "title": "XSS",
                "start": start.date().isoformat(),
                "end": start.date().isoformat(),
                "daysCount": 1,
                "timeslot_duration": "00:05",
                "time_zone_name": "Europe/Berlin",
                "days": [
                    {
                        "index": 1,
                        "date": start.date().isoformat(),
                        "day_start": start.isoformat(),
                        "day_end": start.isoformat(),
                        "rooms": {"Raum": talks},
                    }
                ],
            },
        }
    }


def test_import_through_the_menu_runs_no_imported_script(page, live_server, settings, event, admin_user, tmp_path):
    settings.SITE_URL = live_server.url
    upload = tmp_path / "schedule.json"
    upload.write_text(json.dumps(_schedule_with_payloads(event)))

    browser_login(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/control/event/innovationsbuero/innowerkstatt/")
    page.click("a[href$='/innowerkstatt/agenda/import/']")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form.innowerkstatt-agenda-import button[type=submit]")
    # The preview names the persons (with their payloads as text) and changes nothing yet.
    page.wait_for_url("**/innowerkstatt/agenda/import/?file=*")
    assert page.locator(".innowerkstatt-import-speakers").get_by_text("Person 0", exact=False).count() == 1
    assert page.dialogs == []
    page.click("form.innowerkstatt-agenda-import-confirm button[type=submit]")
    page.wait_for_url("**/innowerkstatt/agenda/")
    assert page.locator(".alert-success").count() == 1
    assert "4" in page.locator(".alert-success").inner_text()
    assert page.locator("text=Beitrag 0").count() >= 1

    page.goto(f"{live_server.url}/innovationsbuero/innowerkstatt/")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Beitrag 1").count() >= 1
    assert page.dialogs == []

    document = page.request.get(f"{live_server.url}/innovationsbuero/innowerkstatt/innowerkstatt/schedule.json").json()
    rooms = document["schedule"]["conference"]["days"][0]["rooms"]
    titles = sorted(talk["title"] for talks in rooms.values() for talk in talks)
    assert titles[0].startswith("Beitrag 0") and len(titles) == 4
