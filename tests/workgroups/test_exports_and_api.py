"""Member lists and Zoom's CSV as pretix exporters, and the groups REST API."""

import csv
import io

import openpyxl
import pytest
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry, Team
from rest_framework.test import APIClient

from pretix_innowerkstatt.workgroups.models import WorkGroup

from .conftest import place_order, work_phase

GROUPS = "/api/v1/organizers/innovationsbuero/events/innowerkstatt/innowerkstatt/groups/"


def team_client(organizer, **limits):
    with scopes_disabled():
        team = Team.objects.create(organizer=organizer, name="API", all_events=True, **limits)
        token = team.tokens.create(name="api")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    return client


@pytest.fixture
def writer(organizer, event):
    return team_client(organizer, all_event_permissions=True)


@pytest.fixture
def reader(organizer, event):
    return team_client(organizer, limit_event_permissions={"event.orders:read": True})


def run_export(client, identifier, fmt):
    base = f"/api/v1/organizers/innovationsbuero/events/innowerkstatt/exporters/{identifier}/"
    assert client.get(base).status_code == 200
    response = client.post(base + "run/", {"_format": fmt}, format="json")
    assert response.status_code == 202, response.content
    download = client.get(response.data["download"])
    assert download.status_code == 200
    return b"".join(download.streaming_content)


# transaction=True: on PostgreSQL pretix's export task sets its transaction's isolation level first.
@pytest.mark.django_db(transaction=True)
def test_member_list_csv_and_xlsx_list_each_ticket_under_its_group(event, item, groups, writer):
    place_order(event, item, 2, choices={1: groups[0], 2: groups[1]}, email="ada@example.org")
    rows = list(csv.reader(io.StringIO(run_export(writer, "innowerkstatt_groups", "default").decode("utf-8-sig"))))
    assert len(rows[0]) == 9  # the header, in the event's language
    assert [(r[2], r[5], r[7]) for r in rows[1:]] == [
        ("Challenge 1: Ehrenamt digital organisieren", "1", "ada@example.org"),
        ("Challenge 2: Verwaltungsdaten offen nutzen", "2", "ada@example.org"),
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(run_export(writer, "innowerkstatt_groups", "xlsx"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][2] == "Challenge 1: Ehrenamt digital organisieren"
    assert len(values) == 3


@pytest.mark.django_db(transaction=True)
def test_zoom_csv_has_zoom_headers_and_one_room_per_email(event, item, groups, writer):
    place_order(event, item, choices={1: groups[0]}, email="ada@example.org")
    place_order(event, item, choices={1: groups[2]}, email="grace@example.org")
    place_order(event, item, email="waiting@example.org")  # "assign me": no room yet
    text = run_export(writer, "innowerkstatt_zoom_breakouts", "default").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["Pre-assign Room Name", "Email Address"],
        ["Challenge 1: Ehrenamt digital organisieren", "ada@example.org"],
        ["Challenge 3: Beteiligung im ländlichen Raum", "grace@example.org"],
    ]


@pytest.mark.django_db
def test_api_lists_groups_with_their_member_ticket_ids(event, item, groups, reader):
    order = place_order(event, item, choices={1: groups[0]})
    with scopes_disabled():
        position_id = order.positions.get().pk
    results = reader.get(GROUPS).data["results"]
    assert [r["name"]["en"] for r in results][:1] == ["Challenge 1: Ehrenamt digital organisieren"]
    assert results[0]["members"] == [position_id]
    assert results[1]["members"] == []
    assert "meeting_url" not in results[0]  # as secret as the main meeting URL
    assert reader.get(GROUPS + "?subevent=none").data["count"] == 3
    assert reader.post(GROUPS, {}, format="json").status_code == 403


@pytest.mark.django_db
def test_api_creates_changes_and_deletes_groups_with_a_log_line_each(event, work_item, writer):
    created = writer.post(
        GROUPS,
        {"item": work_item.pk, "name": {"de": "Challenge 4"}, "capacity": 10, "room_name": "innowerkstatt-c4"},
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"{GROUPS}{created.data['id']}/"
    assert writer.patch(url, {"capacity": 12}, format="json").data["capacity"] == 12
    assert writer.delete(url).status_code == 204
    with scopes_disabled():
        assert not WorkGroup.objects.exists()
        actions = list(
            LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.workgroups").values_list(
                "action_type", flat=True
            )
        )
    assert sorted(actions) == sorted(
        [
            "pretix_innowerkstatt.workgroups.group.added",
            "pretix_innowerkstatt.workgroups.group.changed",
            "pretix_innowerkstatt.workgroups.group.deleted",
        ]
    )


@pytest.mark.django_db
def test_api_refuses_capacity_below_members_and_items_that_are_no_work_phase(event, item, groups, writer):
    place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    response = writer.patch(f"{GROUPS}{groups[0].pk}/", {"capacity": 1}, format="json")
    assert response.status_code == 400
    assert "2 people are in this group already" in str(response.data)
    with scopes_disabled():
        talk = work_phase(event)
        talk.kind = "talk"
        talk.save()
    response = writer.post(GROUPS, {"item": talk.pk, "name": {"de": "X"}, "capacity": 3}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://meet.example.org/room"])
def test_api_refuses_a_group_meeting_url_that_is_no_http_address(event, work_item, groups, writer, url):
    response = writer.patch(f"{GROUPS}{groups[0].pk}/", {"meeting_url": url, "capacity": 20}, format="json")
    assert response.status_code == 400
    assert "Only http:// and https:// addresses" in str(response.data["meeting_url"])
    created = writer.post(
        GROUPS,
        {"item": work_item.pk, "name": {"de": "Challenge 4"}, "capacity": 10, "meeting_url": url},
        format="json",
    )
    assert created.status_code == 400
    with scopes_disabled():
        unchanged = WorkGroup.objects.get(pk=groups[0].pk)
        assert unchanged.meeting_url == groups[0].meeting_url and unchanged.capacity == groups[0].capacity
        assert WorkGroup.objects.count() == len(groups)
    good = writer.patch(f"{GROUPS}{groups[0].pk}/", {"meeting_url": "https://meet.example.org/c1"}, format="json")
    assert good.status_code == 200
