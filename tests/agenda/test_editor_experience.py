"""The agenda editor as an organiser uses it: durations, compact rows, ripple edits, validation."""

import datetime

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.videolinks.test_backend import form_fields

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"
EDITOR = "form.innowerkstatt-agenda-editor"


def editor_values(admin_client):
    return form_fields(admin_client.get(URL).content.decode(), EDITOR)


def rows(event):
    with scopes_disabled():
        return list(AgendaItem.objects.filter(event=event).order_by("start", "pk"))


@pytest.mark.django_db
def test_the_editor_shows_each_saved_items_duration_from_its_start_and_end(admin_client, event, agenda):
    data = editor_values(admin_client)
    assert data["items-1-duration"] == "30"
    assert data["items-0-duration"] == ""  # open end


@pytest.mark.django_db
def test_changing_the_duration_of_a_saved_item_moves_its_end(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-1-duration"] = "45"
    response = admin_client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = rows(event)
    assert after[1].end - after[1].start == datetime.timedelta(minutes=45)
    assert after[1].start == before[1].start
    for old, new in zip(before, after, strict=True):
        if old.pk != before[1].pk:
            assert (old.start, old.end, old.sequence) == (new.start, new.end, new.sequence)


@pytest.mark.django_db
def test_changing_the_end_of_a_saved_item_keeps_that_end(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-2-end_1"] = (before[2].end + datetime.timedelta(minutes=5)).astimezone(event.timezone).strftime("%H:%M")
    assert admin_client.post(URL, data).status_code == 302
    assert rows(event)[2].end == before[2].end + datetime.timedelta(minutes=5)


@pytest.mark.django_db
def test_an_end_and_a_duration_that_disagree_are_refused_next_to_the_item(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-1-duration"] = "45"
    data["items-1-end_1"] = "20:30"
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    assert "Please give either an end time or a duration, not both." in response.content.decode()
    assert [(r.start, r.end) for r in rows(event)] == [(r.start, r.end) for r in before]


@pytest.mark.django_db
def test_a_longer_item_moves_the_following_items_too_in_one_logged_save(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-0-duration"] = "15"  # the welcome (open end, next item at +10) now runs 15 minutes
    data["items-0-move_following"] = "on"
    assert admin_client.post(URL, data).status_code == 302
    after = rows(event)
    assert after[0].end - after[0].start == datetime.timedelta(minutes=15)
    for old, new in zip(before[1:], after[1:], strict=True):
        assert new.start - old.start == datetime.timedelta(minutes=5)  # pushed back by the welcome's new end
        assert new.sequence == old.sequence + 1
    with scopes_disabled():
        assert LogEntry.objects.filter(event=event, action_type="pretix_innowerkstatt.agenda.rippled").count() == 1


@pytest.mark.django_db
def test_a_shorter_item_pulls_the_following_items_forward(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-3-duration"] = "40"  # the work phase, 50 minutes, ends ten minutes earlier
    data["items-3-move_following"] = "on"
    assert admin_client.post(URL, data).status_code == 302
    after = rows(event)
    assert [new.start - old.start for old, new in zip(before, after, strict=True)] == [datetime.timedelta(0)] * 4 + [
        datetime.timedelta(minutes=-10)
    ]


@pytest.mark.django_db
def test_an_inserted_item_moves_the_following_items_by_its_length(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-5-start_0"] = data["items-2-start_0"]
    data["items-5-start_1"] = data["items-2-start_1"]  # before "Schlaglichter"
    data["items-5-duration"] = "20"
    data["items-5-title_0"] = "Kurzimpuls"
    data["items-5-move_following"] = "on"
    assert admin_client.post(URL, data).status_code == 302
    after = [r for r in rows(event) if str(r.title) != "Kurzimpuls"]
    assert [new.start - old.start for old, new in zip(before, after, strict=True)] == [datetime.timedelta(0)] * 2 + [
        datetime.timedelta(minutes=20)
    ] * 3
    assert [new.sequence - old.sequence for old, new in zip(before, after, strict=True)] == [0, 0, 1, 1, 1]


@pytest.mark.django_db
def test_an_edited_following_item_moves_with_its_own_change_and_counts_its_sequence_once(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-1-duration"] = "40"
    data["items-1-move_following"] = "on"
    data["items-2-title_0"] = "Schlaglichter (neu)"
    assert admin_client.post(URL, data).status_code == 302
    after = rows(event)
    assert str(after[2].title) == "Schlaglichter (neu)"
    assert after[2].start - before[2].start == datetime.timedelta(minutes=10)
    assert after[2].sequence == before[2].sequence + 1


@pytest.mark.django_db
def test_an_invalid_item_keeps_its_row_open_with_the_error_and_what_was_typed_elsewhere(admin_client, event, agenda):
    before = rows(event)
    data = editor_values(admin_client)
    data["items-3-title_0"] = "Arbeitsphase in Gruppen"  # typed in one item
    data["items-1-end_1"] = "17:00"  # before its start in another
    data["items-1-duration"] = ""
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    invalid = soup.select("details.innowerkstatt-agenda-form")[1]
    assert invalid.has_attr("open")
    assert "The end of an agenda item cannot be before its start." in invalid.get_text()
    assert not soup.select("details.innowerkstatt-agenda-form")[3].has_attr("open")
    assert soup.select_one("[name='items-3-title_0']")["value"] == "Arbeitsphase in Gruppen"
    assert [(r.title, r.start, r.end) for r in rows(event)] == [(r.title, r.start, r.end) for r in before]


@pytest.mark.django_db
def test_each_item_is_one_compact_row_with_time_duration_kind_title_and_people(admin_client, event, agenda):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(admin_client.get(URL).content.decode(), "html.parser")
    summaries = [s.get_text(" ", strip=True) for s in soup.select("details.innowerkstatt-agenda-form > summary")]
    assert len(summaries) == 6  # five items and one new
    assert "18:10 – 18:40" in summaries[1] and "30 min" in summaries[1]
    assert "Wir vs. Virus Hackathon" in summaries[1] and "Adriana Groh" in summaries[1]
    assert "New item" in summaries[5]


@pytest.mark.django_db
def test_saving_a_speaker_opened_from_the_agenda_returns_to_the_agenda(admin_client, event, agenda, adriana):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(admin_client.get(URL).content.decode(), "html.parser")
    edit = soup.select_one(".innowerkstatt-agenda-edit-people a")["href"]
    data = form_fields(admin_client.get(edit).content.decode(), "form[method=post]")
    data["name"] = "Adriana Groh (Prototype Fund)"
    response = admin_client.post(edit, data)
    assert response.status_code == 302 and response.url == URL
    with scopes_disabled():
        adriana.refresh_from_db()
    assert adriana.name == "Adriana Groh (Prototype Fund)"


@pytest.mark.django_db
def test_a_speaker_page_does_not_send_anyone_to_another_site(admin_client, event, adriana):
    edit = (
        f"/control/organizer/innovationsbuero/innowerkstatt/speakers/{adriana.pk}/?next=https://evil.example/control/"
    )
    data = form_fields(admin_client.get(edit).content.decode(), "form[method=post]")
    response = admin_client.post(edit, data)
    assert response.status_code == 302 and "evil" not in response.url
