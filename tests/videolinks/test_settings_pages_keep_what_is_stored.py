"""Every settings page of the video links shows what is stored; saving it unchanged changes nothing."""

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event, LogEntry

from pretix_innowerkstatt.videolinks import settings as names
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig

from .test_backend import BASE, form_fields

SETTINGS_FORM = "form.form-horizontal"


@pytest.fixture
def tickets_rendered_again(monkeypatch):
    from pretix.base.services import tickets

    calls = []
    monkeypatch.setattr(tickets.invalidate_cache, "apply_async", lambda kwargs: calls.append(kwargs["event"]))
    return calls


def video_log():
    return list(LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.videolinks").order_by("pk"))


def stored(event):
    with scopes_disabled():
        s = Event.objects.get(pk=event.pk).settings
        return {name: s.get(name, as_type=str) for name in names.DEFAULTS if name != names.HAS_OVERRIDES}


@pytest.mark.django_db
def test_the_settings_page_shows_every_stored_value_and_an_unchanged_save_changes_nothing(
    admin_client, event, item, tickets_rendered_again
):
    with scopes_disabled():
        other = event.items.create(name="Workshop", default_price=0, admission=True)
    saved = {
        "require_url": "on",
        "join_url": "https://meet.example.org/room?pwd=4711",
        "provider": "generic",
        "meeting_id": "123 456 789",
        "passcode": "geheim",
        "dial_in": "+49 30 1234567 (Berlin)\n+49 89 7654321 (München)",
        "instructions_0": "Bitte mit **vollem Namen** beitreten.",
        "instructions_1": "Please join with your **full name**.",
        "allow_pending": "on",
        "products": [str(other.pk)],
        "opens_minutes_before": "45",
        "closes_minutes_after": "90",
    }
    assert admin_client.post(BASE, saved).status_code == 302

    shown = form_fields(admin_client.get(BASE).content.decode(), SETTINGS_FORM)
    for name, value in saved.items():
        expected = [value] if name in ("require_url", "allow_pending") else value
        assert shown[name] == expected, name

    before, log_before = stored(event), len(video_log())
    response = admin_client.post(BASE, shown, follow=True)
    assert "Nothing has changed." in response.content.decode()
    assert stored(event) == before
    assert len(video_log()) == log_before
    assert tickets_rendered_again == [event.pk]  # only the first save

    # Coming back to add a passcode changes the passcode, and nothing else.
    shown = form_fields(admin_client.get(BASE).content.decode(), SETTINGS_FORM)
    response = admin_client.post(BASE, dict(shown, passcode="neu-4711"), follow=True)
    assert "Send updated access information" in response.content.decode()
    after = stored(event)
    assert {k for k in after if after[k] != before[k]} == {names.PASSCODE}
    entry = video_log()[-1]
    assert set(entry.parsed_data) == {"passcode"} and "neu-4711" not in entry.data


@pytest.mark.django_db
def test_a_fresh_settings_page_shows_the_defaults_and_saving_it_keeps_them(admin_client, event, item):
    shown = form_fields(admin_client.get(BASE).content.decode(), SETTINGS_FORM)
    assert shown["opens_minutes_before"] == "30"
    assert shown["closes_minutes_after"] == "60"
    assert "require_url" not in shown  # unticked: an agenda-only event may go live
    assert admin_client.post(BASE, shown).status_code == 302
    with scopes_disabled():
        s = Event.objects.get(pk=event.pk).settings
        assert s.get(names.CLOSES_MINUTES_AFTER, as_type=int) == 60
        assert not s.get(names.REQUIRE_URL, as_type=bool)
        assert not s.get(names.JOIN_URL)


@pytest.mark.django_db
def test_the_page_of_meeting_details_shows_what_is_stored_and_an_unchanged_save_logs_nothing(
    admin_client, configured_event, item, tickets_rendered_again
):
    saved = {
        "item": str(item.pk),
        "join_url": "https://meet.example.org/workshop",
        "meeting_id": "987",
        "passcode": "pin-1234",
        "dial_in": "+49 40 111222",
        "instructions_0": "Workshop-Raum",
        "instructions_1": "Workshop room",
    }
    assert admin_client.post(BASE + "details/add/", saved).status_code == 302
    with scopes_disabled():
        row = VideoConferenceConfig.objects.get(event=configured_event, item=item)
    page = f"{BASE}details/{row.pk}/"
    shown = form_fields(admin_client.get(page).content.decode(), SETTINGS_FORM)
    for name, value in saved.items():
        assert shown[name] == value, name

    log_before, renders_before = len(video_log()), len(tickets_rendered_again)
    response = admin_client.post(page, shown, follow=True)
    assert "Nothing has changed." in response.content.decode()
    assert len(video_log()) == log_before and len(tickets_rendered_again) == renders_before

    admin_client.post(page, dict(shown, dial_in="+49 40 333444"))
    with scopes_disabled():
        changed = VideoConferenceConfig.objects.get(pk=row.pk)
        assert changed.dial_in == "+49 40 333444"
        assert (changed.join_url, changed.meeting_id, changed.passcode) == (
            "https://meet.example.org/workshop",
            "987",
            "pin-1234",
        )
        assert set(changed.instructions.data.values()) == {"Workshop-Raum", "Workshop room"}
    entry = video_log()[-1]
    assert entry.action_type.endswith("override.changed") and entry.parsed_data["fields"] == ["dial_in"]
