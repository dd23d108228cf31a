"""Event → Agenda → Groups: define groups, see members, move people, assign the rest, delete."""

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda.domain.copying import copy_agenda
from pretix_innowerkstatt.workgroups.domain.selection import group_of, groups_of_date
from pretix_innowerkstatt.workgroups.models import WorkGroup

from .conftest import place_order

pytestmark = pytest.mark.django_db
BASE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/groups/"


def form_data(group, **changes):
    data = {
        "item": group.item_id,
        "name_0": group.name.data.get("de", ""),
        "name_1": group.name.data.get("en", ""),
        "description_0": group.description.data.get("de", "") if group.description else "",
        "description_1": group.description.data.get("en", "") if group.description else "",
        "capacity": group.capacity,
        "host": group.host_id or "",
        "meeting_url": group.meeting_url,
        "room_name": group.room_name,
    }
    data.update(changes)
    return data


def test_organiser_adds_a_group_to_the_work_phase(admin_client, work_item, organizer):
    with scopes_disabled():
        speaker = organizer.innowerkstatt_speakers.create(name="Adriana Groh")
    page = admin_client.get(BASE)
    assert "Arbeitsphase" in page.content.decode() or "Work phase" in page.content.decode()
    response = admin_client.post(
        BASE + "add/",
        {
            "item": work_item.pk,
            "name_0": "Challenge 1: Ehrenamt digital organisieren",
            "name_1": "Challenge 1: Organising volunteering digitally",
            "description_0": "**Vereine** <script>alert(1)</script>",
            "capacity": "15",
            "host": speaker.pk,
            "room_name": "innowerkstatt-challenge-1",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        group = WorkGroup.objects.get()
    assert (group.capacity, group.host, group.room_name) == (15, speaker, "innowerkstatt-challenge-1")
    listing = admin_client.get(BASE).content.decode()
    assert "Challenge 1: Organising volunteering digitally" in listing or "Ehrenamt digital" in listing


def test_edit_form_shows_stored_values_and_changes_only_the_changed_field(admin_client, groups):
    group = groups[0]
    page = admin_client.get(f"{BASE}{group.pk}/").content.decode()
    assert 'value="Challenge 1: Ehrenamt digital organisieren"' in page
    assert 'value="15"' in page
    response = admin_client.post(f"{BASE}{group.pk}/", form_data(group, capacity="20"))
    assert response.status_code == 302
    with scopes_disabled():
        changed = WorkGroup.objects.get(pk=group.pk)
    assert changed.capacity == 20
    assert changed.name == group.name and changed.room_name == group.room_name and changed.item_id == group.item_id


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://meet.example.org/room", "data:text/html,hi"])
def test_a_group_meeting_url_that_is_no_http_address_is_refused_and_nothing_changes(admin_client, groups, url):
    group = groups[0]
    response = admin_client.post(f"{BASE}{group.pk}/", form_data(group, meeting_url=url, capacity="20"))
    assert response.status_code == 200
    assert "Only http:// and https:// addresses can be used as meeting URLs" in response.content.decode()
    with scopes_disabled():
        unchanged = WorkGroup.objects.get(pk=group.pk)
    assert unchanged.meeting_url == group.meeting_url and unchanged.capacity == group.capacity
    good = "https://meet.example.org/challenge-1"
    assert admin_client.post(f"{BASE}{group.pk}/", form_data(group, meeting_url=good)).status_code == 302
    with scopes_disabled():
        assert WorkGroup.objects.get(pk=group.pk).meeting_url == good


def test_capacity_below_the_members_is_refused_with_a_clear_message(admin_client, event, item, groups):
    place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    response = admin_client.post(f"{BASE}{groups[0].pk}/", form_data(groups[0], capacity="1"))
    assert response.status_code == 200
    assert "2 people are in this group already: the capacity must be at least 2." in response.content.decode()
    with scopes_disabled():
        assert WorkGroup.objects.get(pk=groups[0].pk).capacity == 15


def test_organiser_moves_a_ticket_beyond_capacity_with_a_warning(admin_client, event, item, work_item):
    from .conftest import make_groups

    small, other = make_groups(work_item, capacity=1, names=["Klein", "Andere"])
    place_order(event, item, choices={1: small})
    order = place_order(event, item, choices={1: other})
    with scopes_disabled():
        member = order.positions.get().innowerkstatt_work_group_member
    page = admin_client.get(BASE).content.decode()
    assert order.code in page
    response = admin_client.post(BASE, {"member": member.pk, "group": small.pk}, follow=True)
    assert "now has more members than places" in response.content.decode()
    assert "over capacity" in response.content.decode()
    with scopes_disabled():
        assert group_of(order.positions.get()) == small
        lines = [str(e.display()) for e in order.all_logentries()]
    assert "Ticket #1 has been moved to the work-phase group “Klein”." in lines


def test_assign_the_rest_button_fills_the_groups(admin_client, event, item, groups):
    place_order(event, item, 3)
    page = admin_client.get(BASE).content.decode()
    assert "3 tickets have no group yet" in page
    response = admin_client.post(BASE, {"assign_rest": "1"}, follow=True)
    assert "3 tickets have been assigned to a group." in response.content.decode()
    with scopes_disabled():
        assert [g.member_count for g in groups_of_date(event)] == [1, 1, 1]


def test_deleting_a_group_with_members_asks_where_they_go(admin_client, event, item, groups):
    order = place_order(event, item, choices={1: groups[0]})
    page = admin_client.get(f"{BASE}{groups[0].pk}/delete/").content.decode()
    assert "1 person is in this group. Where should they go?" in page
    response = admin_client.post(f"{BASE}{groups[0].pk}/delete/", {"move_to": groups[2].pk})
    assert response.status_code == 302
    with scopes_disabled():
        assert not WorkGroup.objects.filter(pk=groups[0].pk).exists()
        assert group_of(order.positions.get()) == groups[2]


def test_read_only_user_sees_groups_but_cannot_change_them(client, readonly_user, groups):
    from tests.conftest import login

    login(client, readonly_user)
    page = client.get(BASE).content.decode()
    assert "Challenge 1: Ehrenamt digital organisieren" in page
    assert "Add group" not in page
    assert client.post(BASE, {"assign_rest": "1"}).status_code == 403


def test_copying_the_agenda_copies_the_groups_without_members(event, item, groups, organizer):
    from pretix.base.models import Event

    from tests.conftest import upcoming_evening

    place_order(event, item, choices={1: groups[0]})
    with scopes_disabled():
        target = Event.objects.create(
            organizer=organizer, name="Q2", slug="q2", date_from=upcoming_evening(90), plugins=event.plugins
        )
        copy_agenda(event, target)
        copies = list(groups_of_date(target))
    assert [str(g.name) for g in copies] == [str(g.name) for g in groups]
    assert [g.member_count for g in copies] == [0, 0, 0]
    assert copies[0].item.event == target


def test_settings_form_shows_stored_values_and_saves_one_changed_field(admin_client, event):
    url = BASE + "settings/"
    page = admin_client.get(url).content.decode()
    assert 'name="innowerkstatt_workgroups_auto_assign_minutes"' in page and 'value="30"' in page
    response = admin_client.post(
        url,
        {
            "innowerkstatt_workgroups_auto_assign_minutes": "45",
            "innowerkstatt_workgroups_room_minutes_before": "5",
            "innowerkstatt_workgroups_change_deadline_minutes": "0",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        event.settings.flush()
        assert event.settings.innowerkstatt_workgroups_auto_assign_minutes == 45
        assert event.settings.innowerkstatt_workgroups_change_deadline_minutes == 0
        from pretix.base.models import Event_SettingsStore

        stored = set(Event_SettingsStore.objects.filter(object=event).values_list("key", flat=True))
        assert "innowerkstatt_workgroups_auto_assign_minutes" in stored
        assert "innowerkstatt_workgroups_change_deadline_minutes" not in stored  # unchanged: not written
    assert admin_client.post(url, {"innowerkstatt_workgroups_auto_assign_minutes": "-5"}).status_code == 200


def test_settings_page_changes_when_the_group_rooms_open_and_nothing_else(admin_client, event):
    url = BASE + "settings/"
    page = admin_client.get(url).content.decode()
    field = page[page.index('name="innowerkstatt_workgroups_room_minutes_before"') :]
    assert 'value="5"' in field[: field.index(">")]  # the default lead time is shown
    with scopes_disabled():
        event.settings.innowerkstatt_workgroups_auto_assign_minutes = 20
    form = {
        "innowerkstatt_workgroups_auto_assign_minutes": "20",
        "innowerkstatt_workgroups_room_minutes_before": "5",
        "innowerkstatt_workgroups_change_deadline_minutes": "0",
    }
    refused = admin_client.post(url, {**form, "innowerkstatt_workgroups_room_minutes_before": "121"})
    assert refused.status_code == 200 and "120" in refused.content.decode()
    refused = admin_client.post(url, {**form, "innowerkstatt_workgroups_room_minutes_before": "-1"})
    assert refused.status_code == 200
    with scopes_disabled():
        event.settings.flush()
        assert event.settings.innowerkstatt_workgroups_room_minutes_before == 5
    assert admin_client.post(url, {**form, "innowerkstatt_workgroups_room_minutes_before": "10"}).status_code == 302
    with scopes_disabled():
        event.settings.flush()
        assert event.settings.innowerkstatt_workgroups_room_minutes_before == 10
        assert event.settings.innowerkstatt_workgroups_auto_assign_minutes == 20
        assert event.settings.innowerkstatt_workgroups_change_deadline_minutes == 0
        log = event.logentry_set.get(action_type="pretix_innowerkstatt.workgroups.settings.changed")
        assert log.parsed_data == {"innowerkstatt_workgroups_room_minutes_before": 10}
    page = admin_client.get(url).content.decode()
    field = page[page.index('name="innowerkstatt_workgroups_room_minutes_before"') :]
    assert 'value="10"' in field[: field.index(">")]


def test_groups_page_is_in_the_menu_below_the_agenda(admin_client, groups):
    page = admin_client.get(BASE).content.decode()
    agenda_at = page.index('href="/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"')
    groups_at = page.index(f'href="{BASE}"')
    assert agenda_at < groups_at
    assert page.count('href="/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"') >= 1
    assert 'class="has-children"' in page or 'class="dropdown"' in page


def test_overview_counts_the_members_who_joined_the_video_conference(admin_client, event, item, groups):
    from pretix.base.models import Checkin

    from pretix_innowerkstatt.videolinks.domain.checkin import ensure_checkin_list

    order = place_order(event, item, 2, choices={1: groups[0], 2: groups[0]})
    with scopes_disabled():
        checkin_list = ensure_checkin_list(event)
        Checkin.objects.create(position=order.positions.get(positionid=1), list=checkin_list, type="entry")
    page = admin_client.get(BASE).content.decode()
    joined = [cell.split(">", 1)[1].split("<", 1)[0] for cell in page.split('class="innowerkstatt-group-joined"')[1:]]
    assert joined == ["1", "0", "0"]


def test_overview_card_shows_groups_and_places_taken(admin_client, event, item, groups):
    place_order(event, item, choices={1: groups[0]})
    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/innowerkstatt/").content.decode()
    card = page.split('id="innowerkstatt-card-workgroups"', 1)[1].split('class="panel panel-default', 1)[0]
    text = " ".join(card.split())
    assert "3 groups, 1 of 45 places taken" in text or "3 Gruppen, 1 von 45 Plätzen belegt" in text
    assert BASE in card
