"""The agenda editor as an organiser uses it: durations, compact rows, ripple edits, validation."""

import datetime

import pytest
from django_scopes import scopes_disabled

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
