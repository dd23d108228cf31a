"""The agenda editor in the event backend: reading, editing, validation, actions, permissions, log."""

import datetime

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.core.dates import date_and_time
from tests.conftest import login

from .conftest import make_agenda
from .interop_helpers import DEMOCON
from .snapshot import agenda_state

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/"


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def item_data(index, start, end=None, title="Neu", kind="talk", pk=None, speakers=(), delete=False, **extra):
    p = f"items-{index}"
    data = {
        f"{p}-id": str(pk or ""),
        f"{p}-start_0": start.strftime("%Y-%m-%d"),
        f"{p}-start_1": start.strftime("%H:%M"),
        f"{p}-end_0": end.strftime("%Y-%m-%d") if end else "",
        f"{p}-end_1": end.strftime("%H:%M") if end else "",
        f"{p}-kind": kind,
        f"{p}-title_0": title,
        f"{p}-title_1": "",
        f"{p}-room_0": "",
        f"{p}-room_1": "",
        f"{p}-description_0": "",
        f"{p}-description_1": "",
        **management(f"{p}-speakers", len(speakers), 0),
    }
    for n, (speaker, role) in enumerate(speakers):
        data[f"{p}-speakers-{n}-speaker"] = str(speaker.pk)
        data[f"{p}-speakers-{n}-role"] = role
    if delete:
        data[f"{p}-DELETE"] = "on"
    data.update({f"{p}-{k}": v for k, v in extra.items()})
    return data


def local(event, dt):
    return dt.astimezone(event.timezone)


@pytest.mark.django_db
def test_agenda_page_lists_items_in_the_event_navigation(admin_client, event, agenda):
    page = admin_client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wir vs. Virus Hackathon" in text
    assert "Adriana Groh" in text
    assert 'href="' + URL + '"' in text  # in the event navigation
    assert '<time datetime="' in text and ">18:10</time>" in text


@pytest.mark.django_db
def test_add_item_with_speaker_and_role_is_saved_and_logged(admin_client, event, adriana):
    start = local(event, event.date_from)
    data = {
        **management("items", 1, 0),
        **item_data(
            0,
            start,
            start + datetime.timedelta(minutes=30),
            title="Podium",
            kind="panel",
            speakers=[(adriana, "moderator")],
        ),
    }
    response = admin_client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        item = AgendaItem.objects.get(event=event)
        assert str(item.title) == "Podium"
        assert item.end - item.start == datetime.timedelta(minutes=30)
        assert [(link.speaker.name, link.role) for link in item.speaker_links.all()] == [("Adriana Groh", "moderator")]
        entry = LogEntry.objects.filter(event=event, action_type="pretix_innowerkstatt.agenda.item.added").get()
    assert "Podium" in str(entry.display())
    log_page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/logs/").content.decode()
    assert "Agenda item “Podium”" in log_page


@pytest.mark.django_db
def test_duration_sets_the_end(admin_client, event):
    start = local(event, event.date_from)
    data = {**management("items", 1, 0), **item_data(0, start, title="Input", duration="25")}
    assert admin_client.post(URL, data).status_code == 302
    with scopes_disabled():
        item = AgendaItem.objects.get(event=event)
    assert item.end - item.start == datetime.timedelta(minutes=25)


@pytest.mark.django_db
def test_end_before_start_is_refused_with_message(admin_client, event):
    start = local(event, event.date_from) + datetime.timedelta(hours=1)
    data = {**management("items", 1, 0), **item_data(0, start, start - datetime.timedelta(minutes=5))}
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    assert "The end of an agenda item cannot be before its start." in response.content.decode()
    with scopes_disabled():
        assert not AgendaItem.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_item_outside_event_time_is_saved_with_warning(admin_client, event):
    start = local(event, event.date_from) - datetime.timedelta(hours=3)
    data = {**management("items", 1, 0), **item_data(0, start, title="Vorabend")}
    response = admin_client.post(URL, data, follow=True)
    text = response.content.decode()
    assert "lies outside the time of the event or date" in text
    assert "innowerkstatt-outside" in text
    with scopes_disabled():
        assert AgendaItem.objects.filter(event=event).count() == 1


@pytest.mark.django_db
def test_overlapping_items_are_saved_and_flagged(admin_client, event, agenda):
    with scopes_disabled():
        talk = agenda[1]
        AgendaItem.objects.create(
            event=event, start=talk.start + datetime.timedelta(minutes=5), end=talk.end, title={"de": "Parallel"}
        )
    text = admin_client.get(URL).content.decode()
    assert text.count("innowerkstatt-overlap") == 2
    assert "Parallel" in text


def editor_form(client, url=URL):
    """The editor's fields as the page fills them in, i.e. what a browser submits unchanged."""
    form = BeautifulSoup(client.get(url).content.decode(), "html.parser").select_one("form.innowerkstatt-agenda-editor")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") not in ("checkbox", "radio") or field.has_attr("checked"):
            data[name] = field.get("value", "")
    return data


def calendar_feed(client):
    """``{uid: (SEQUENCE, DTSTART)}`` of the public agenda.ics."""
    response = client.get("/innovationsbuero/innowerkstatt/innowerkstatt/agenda.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): (int(e["SEQUENCE"]), e.decoded("DTSTART")) for e in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_edit_and_delete_existing_items(admin_client, event, agenda, adriana):
    data = editor_form(admin_client)
    data["items-0-title_0"] = data["items-0-title_1"] = "Herzlich willkommen"
    data["items-2-DELETE"] = "on"
    assert admin_client.post(URL, data).status_code == 302
    with scopes_disabled():
        titles = [str(i.title) for i in AgendaItem.objects.filter(event=event)]
        assert titles[0] == "Herzlich willkommen"
        assert "Schlaglichter aus dem BMFSFJ" not in titles
        assert len(titles) == 4
        assert AgendaItem.objects.get(pk=agenda[1].pk).speaker_links.count() == 1
        actions = set(LogEntry.objects.filter(event=event).values_list("action_type", flat=True))
    assert {"pretix_innowerkstatt.agenda.item.changed", "pretix_innowerkstatt.agenda.item.deleted"} <= actions


@pytest.mark.django_db
def test_editor_change_and_shift_raise_the_sequence_in_agenda_ics(admin_client, client, event, agenda):
    talk, other = str(agenda[1].uid), str(agenda[0].uid)
    before = calendar_feed(client)
    assert {sequence for sequence, _start in before.values()} == {0}

    unchanged = admin_client.post(URL, editor_form(admin_client))
    assert unchanged.status_code == 302
    assert calendar_feed(client) == before  # saving without a change is no change for calendars

    data = editor_form(admin_client)
    data["items-1-title_0"] = data["items-1-title_1"] = "Wir vs. Virus – was bleibt"
    assert admin_client.post(URL, data).status_code == 302
    edited = calendar_feed(client)
    assert edited[talk][0] == 1 and edited[other][0] == 0

    assert admin_client.post(URL + "shift/", {"minutes": "15"}).status_code == 302
    shifted = calendar_feed(client)
    assert shifted[talk][0] == 2 and shifted[other][0] == 1
    assert shifted[talk][1] - edited[talk][1] == datetime.timedelta(minutes=15)


@pytest.mark.django_db
def test_speaker_of_another_organizer_cannot_be_linked(admin_client, event, foreign_user):
    with scopes_disabled():
        other = foreign_user.teams.first().organizer.innowerkstatt_speakers.create(name="Fremde Person")
    start = local(event, event.date_from)
    data = {**management("items", 1, 0), **item_data(0, start, speakers=[(other, "speaker")])}
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    with scopes_disabled():
        assert not AgendaItem.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_shift_moves_every_item(admin_client, event, agenda):
    with scopes_disabled():
        before = [i.start for i in AgendaItem.objects.filter(event=event)]
    response = admin_client.post(URL + "shift/", {"minutes": "30"})
    assert response.status_code == 302
    with scopes_disabled():
        after = [i.start for i in AgendaItem.objects.filter(event=event)]
        assert LogEntry.objects.filter(action_type="pretix_innowerkstatt.agenda.shifted").exists()
    assert [a - b for a, b in zip(after, before, strict=True)] == [datetime.timedelta(minutes=30)] * 5


@pytest.mark.django_db
def test_copy_from_another_event_moves_to_this_start(admin_client, event, agenda, organizer):
    with scopes_disabled():
        target = organizer.events.create(
            name="Innowerkstatt Q3",
            slug="q3",
            date_from=event.date_from + datetime.timedelta(days=91, hours=1),
            plugins=event.plugins,
        )
    url = "/control/event/innovationsbuero/q3/innowerkstatt/agenda/copy/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert f'value="{event.pk}-"' in page.content.decode()
    response = admin_client.post(url, {"source": f"{event.pk}-"})
    assert response.status_code == 302
    with scopes_disabled():
        copied = list(AgendaItem.objects.filter(event=target))
        assert LogEntry.objects.filter(event=target, action_type="pretix_innowerkstatt.agenda.copied").exists()
    assert len(copied) == 5
    assert copied[1].start - target.date_from == datetime.timedelta(minutes=10)


@pytest.mark.django_db
def test_copy_shift_and_delete_are_readable_lines_in_the_event_log(admin_client, event, organizer):
    with scopes_disabled():
        source = organizer.events.create(
            name="Innowerkstatt Q1", slug="q1", date_from=event.date_from - datetime.timedelta(days=91)
        )
        make_agenda(source)
    assert admin_client.post(URL + "copy/", {"source": f"{source.pk}-", "replace": "on"}).status_code == 302
    assert admin_client.post(URL + "shift/", {"minutes": "30"}).status_code == 302
    data = editor_form(admin_client)
    data["items-2-DELETE"] = "on"  # "Schlaglichter aus dem BMFSFJ", copied to 18:40, moved to 19:10
    assert admin_client.post(URL, data).status_code == 302

    log = admin_client.get("/control/event/innovationsbuero/innowerkstatt/logs/").content.decode()
    with translation.override("en"):  # the log line names the start in words ("Jan. 1, 2027, 19:10")
        start = date_and_time(local(event, event.date_from + datetime.timedelta(minutes=70)))
    assert "The agenda has been copied from “Innowerkstatt Q1” (5 items)." in log
    assert "All 5 agenda items of “Innovation workshop” have been moved by 30 minutes." in log
    assert f"Agenda item “Highlights from the BMFSFJ” ({start}) has been deleted." in log


@pytest.mark.django_db
def test_copy_offers_no_events_of_other_organizers(admin_client, event, foreign_user):
    with scopes_disabled():
        foreign = foreign_user.teams.first().organizer.events.first()
    response = admin_client.post(URL + "copy/", {"source": f"{foreign.pk}-"})
    assert response.status_code == 200  # form error: not a valid choice
    assert "Fremd" not in admin_client.get(URL + "copy/").content.decode()


@pytest.mark.django_db
def test_series_date_without_items_shows_fallback_hint_and_gets_own_agenda(admin_client, event, agenda):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        date = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91), active=True)
    page = admin_client.get(f"{URL}?subevent={date.pk}").content.decode()
    assert "innowerkstatt-agenda-fallback" in page
    start = local(event, date.date_from)
    data = {**management("items", 1, 0), **item_data(0, start, title="Eigener Punkt")}
    assert admin_client.post(f"{URL}?subevent={date.pk}", data).status_code == 302
    with scopes_disabled():
        assert [str(i.title) for i in AgendaItem.objects.filter(subevent=date)] == ["Eigener Punkt"]
        assert AgendaItem.objects.filter(event=event, subevent__isnull=True).count() == 5
    assert "innowerkstatt-agenda-fallback" not in admin_client.get(f"{URL}?subevent={date.pk}").content.decode()


@pytest.mark.django_db
def test_display_position_setting(admin_client, event):
    response = admin_client.post(URL + "settings/", {"settings-innowerkstatt_agenda_position": "top"})
    assert response.status_code == 302
    event.settings.flush()
    assert event.settings.innowerkstatt_agenda_position == "top"


@pytest.mark.django_db
def test_reader_sees_agenda_but_cannot_change_it(client, readonly_user, event, agenda):
    login(client, readonly_user)
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wir vs. Virus" in text
    assert "innowerkstatt-agenda-editor" not in text
    start = local(event, event.date_from)
    assert client.post(URL, {**management("items", 1, 0), **item_data(0, start)}).status_code == 403
    assert client.post(URL + "shift/", {"minutes": "30"}).status_code == 403
    assert client.post(URL + "settings/", {"settings-innowerkstatt_agenda_position": "off"}).status_code == 403
    assert client.get(URL + "copy/").status_code == 403
    with scopes_disabled():
        assert AgendaItem.objects.filter(event=event).count() == 5
        assert agenda[0].start == AgendaItem.objects.get(pk=agenda[0].pk).start


@pytest.mark.django_db
def test_user_of_other_organizer_sees_and_changes_nothing(client, foreign_user, event, agenda, adriana):
    start = local(event, event.date_from)
    with scopes_disabled():
        source = event.organizer.events.create(
            name="Vorlage", slug="vorlage", date_from=event.date_from, plugins=event.plugins
        )
        make_agenda(source)
    changes = {
        URL: {
            **management("items", 2, 1),
            **item_data(0, start, title="Übernommen", pk=agenda[0].pk),
            **item_data(1, start, title="Eingeschleust", speakers=[(adriana, "host")]),
        },
        URL + "settings/": {"settings-innowerkstatt_agenda_position": "off"},
        URL + "copy/": {"source": f"{source.pk}-", "replace": "on"},
        URL + "shift/": {"minutes": "30"},
        URL + "import/": {"file": SimpleUploadedFile("schedule.json", DEMOCON.read_bytes(), "application/json")},
    }
    before = agenda_state(event)
    login(client, foreign_user)
    for url, data in changes.items():
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Hackathon" not in response.content
        assert client.post(url, data).status_code == 404, url
    assert agenda_state(event) == before


@pytest.mark.django_db
def test_agenda_page_is_404_when_plugin_disabled(admin_client, event):
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert admin_client.get(URL).status_code == 404


@pytest.mark.django_db
def test_overview_card_counts_items_and_links_pages(admin_client, event, agenda):
    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/innowerkstatt/").content.decode()
    card = page.split('id="innowerkstatt-card-agenda"')[1].split('id="innowerkstatt-card-')[0]
    assert "5 agenda items" in card
    assert "1 person in the speaker directory" in card
    assert 'href="' + URL + '"' in card
    assert 'href="/control/organizer/innovationsbuero/innowerkstatt/speakers/"' in card
