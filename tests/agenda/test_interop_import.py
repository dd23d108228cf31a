"""Importing a pretalx or frab schedule.json in the backend."""
# ruff: noqa: F811  (fixtures imported from interop_helpers are used as test arguments)

import copy
import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry
from pretix.base.templatetags.rich_text import rich_text

from pretix_innowerkstatt.agenda.domain.importing import ImportFileError, apply_schedule, parse_schedule
from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker
from tests.conftest import login

from .interop_helpers import DEMOCON, XSS_PAYLOADS, assert_harmless_html, evening, series  # noqa: F401

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/import/"
DEMOCON_DOC = json.loads(DEMOCON.read_text())


def preview(client, document=None, *, raw=None, name="schedule.json", **fields):
    """Upload a file: the preview page of what importing it would do (or the form with its error)."""
    content = raw if raw is not None else json.dumps(document or DEMOCON_DOC).encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "application/json"), **fields}, follow=True)


def upload(client, document=None, *, raw=None, name="schedule.json", **fields):
    """Upload a file and confirm the import on its preview page: the page after the import."""
    page = preview(client, document, raw=raw, name=name, **fields)
    if not page.redirect_chain:
        return page  # refused on upload
    return client.post(page.redirect_chain[-1][0], follow=True)


def counts(event):
    with scopes_disabled():
        return AgendaItem.objects.filter(event=event).count(), Speaker.objects.filter(organizer=event.organizer).count()


def one_talk(**changes):
    """A minimal frab document with one talk."""
    talk = {
        "guid": "3d8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a01",
        "id": 1,
        "date": "2026-02-25T18:10:00+01:00",
        "start": "18:10",
        "duration": "00:30",
        "room": "Plenum",
        "title": "Wir vs. Virus",
        "type": "Talk",
        "language": "de",
        "abstract": "Ein *Best Practice*",
        "description": "",
        "persons": [{"id": 7, "public_name": "Adriana Groh", "guid": "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a07"}],
        "links": [],
        **changes,
    }
    return {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "demo",
                "title": "Demo",
                "start": "2026-02-25",
                "end": "2026-02-25",
                "daysCount": 1,
                "timeslot_duration": "00:05",
                "time_zone_name": "Europe/Berlin",
                "days": [
                    {
                        "index": 1,
                        "date": "2026-02-25",
                        "day_start": "2026-02-25T06:00:00+01:00",
                        "day_end": "2026-02-26T03:00:00+01:00",
                        "rooms": {"Plenum": [talk]},
                    }
                ],
            },
        }
    }


@pytest.mark.django_db
def test_pretalx_democon_imports_items_and_speakers(admin_client, event):
    response = upload(admin_client)
    assert response.status_code == 200
    assert "36 items added" in response.content.decode()
    assert counts(event) == (36, 27)
    with scopes_disabled():
        talk = AgendaItem.objects.get(external_id="8079583e-8321-506c-95af-fd2903a5f075")
        assert talk.title.data == {"en": "Focused 5thgeneration hardware"}
        assert talk.start == datetime.datetime.fromisoformat("2020-12-14T09:00:00+01:00")  # absolute, as in the file
        assert talk.end - talk.start == datetime.timedelta(minutes=30)
        assert talk.room.data == {"en": "Gray Room"}
        assert talk.kind == "talk"
        assert talk.description.data["en"].startswith("Brand back-end models!\n\nStation provide certain mean.")
        link = talk.speaker_links.get()
        assert link.speaker.name == "Brian Robinson" and link.speaker.external_id == "NQTF8Y"
        assert "Break through direction." in link.speaker.biography.data["en"]
        assert AgendaItem.objects.filter(event=event, kind="work").exists()  # pretalx "Workshop"

        entry = LogEntry.objects.get(action_type="pretix_innowerkstatt.agenda.imported")
        assert entry.user.email == "admin@innovationsbuero.example"
        assert "36 agenda items added" in str(entry.display())


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(admin_client, event):
    upload(admin_client)
    with scopes_disabled():
        talk = AgendaItem.objects.get(external_id="8079583e-8321-506c-95af-fd2903a5f075")
        uid, sequence = talk.uid, talk.sequence
        talk.speaker_links.update(role="moderator")  # set by the organiser after the first import
    response = upload(admin_client)
    assert "0 items added, 0 changed, 36 unchanged" in response.content.decode()
    assert counts(event) == (36, 27)

    changed = copy.deepcopy(DEMOCON_DOC)
    first = changed["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0]
    first["title"] = "Focused 6thgeneration hardware"
    first["persons"][0]["public_name"] = "Brian R."
    response = upload(admin_client, changed)
    assert "0 items added, 1 changed, 35 unchanged" in response.content.decode()
    assert counts(event) == (36, 27)
    with scopes_disabled():
        talk.refresh_from_db()
        assert str(talk.title) == "Focused 6thgeneration hardware"
        assert talk.uid == uid and talk.sequence == sequence + 1  # calendars update the entry
        link = talk.speaker_links.get()
        assert link.speaker.name == "Brian R." and link.role == "moderator"


@pytest.mark.django_db
def test_speaker_entered_by_hand_is_linked_by_name_but_left_unchanged(admin_client, event):
    with scopes_disabled():
        brian = Speaker.objects.create(
            organizer=event.organizer, name="Brian Robinson", role={"de": "Gast"}, biography={"de": "Von Hand."}
        )
    response = upload(admin_client)
    page = response.content.decode()
    assert "26 speakers added, 0 changed" in page
    assert "1 speakers of your directory have the name of a person in the file" in page
    assert counts(event) == (36, 27)
    with scopes_disabled():
        brian.refresh_from_db()
        assert brian.external_id == "" and brian.role.data == {"de": "Gast"}
        assert brian.biography.data == {"de": "Von Hand."}
        assert brian.agenda_links.count() >= 1


@pytest.mark.django_db
def test_own_export_reimports_into_the_same_agenda_without_duplicates(admin_client, event, evening):
    visitor = Client()  # ``client`` is the logged-in organiser's (English) session
    document = visitor.get("/innovationsbuero/innowerkstatt/innowerkstatt/schedule.json", HTTP_ACCEPT_LANGUAGE="de")
    response = upload(admin_client, document.json())
    document = document.json()
    assert "0 items added, 0 changed, 4 unchanged; 0 speakers added, 0 changed" in response.content.decode()
    assert counts(event) == (4, 1)
    with scopes_disabled():
        welcome = AgendaItem.objects.get(pk=evening[0].pk)
    assert welcome.description.data == {"de": "Mit *Markdown* und [Link](https://example.org/info)."}
    assert not str(welcome.room) and welcome.sequence == 0

    moved = copy.deepcopy(document)
    talk = moved["schedule"]["conference"]["days"][0]["rooms"]["Plenum"][0]
    talk["date"] = talk["date"].replace("18:10:00", "18:15:00")
    talk["abstract"] = "Neu: mit Rückblick."
    response = upload(admin_client, moved)
    assert "0 items added, 1 changed, 3 unchanged" in response.content.decode()
    with scopes_disabled():
        item = AgendaItem.objects.get(pk=evening[1].pk)
    assert item.start == evening[1].start + datetime.timedelta(minutes=5)
    assert item.description.data == {"de": "Neu: mit Rückblick."}
    assert item.sequence == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw,message",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (json.dumps({"foo": 1}).encode(), "not a frab or pretalx schedule"),
        (json.dumps({"schedule": {"conference": {"days": "x"}}}).encode(), "not a frab or pretalx schedule"),
        (json.dumps([1, 2]).encode(), "not a frab or pretalx schedule"),
        (json.dumps(one_talk(title="")).encode(), "has no title"),
        (json.dumps(one_talk(date="gestern", start="")).encode(), "no valid date"),
    ],
)
def test_bad_files_change_nothing(admin_client, event, evening, raw, message):
    before = counts(event)
    response = upload(admin_client, raw=raw)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts(event) == before
    with scopes_disabled():
        assert not LogEntry.objects.filter(action_type="pretix_innowerkstatt.agenda.imported").exists()


@pytest.mark.django_db
def test_file_over_5_mb_is_refused(admin_client, event):
    response = upload(admin_client, raw=b" " * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MB" in response.content.decode()
    assert counts(event) == (0, 0)


@pytest.mark.django_db
def test_more_than_2000_items_is_refused(admin_client, event):
    document = one_talk()
    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Plenum"][0]
    document["schedule"]["conference"]["days"][0]["rooms"]["Plenum"] = [
        {**talk, "guid": f"00000000-0000-4000-8000-{n:012d}", "persons": []} for n in range(2001)
    ]
    response = upload(admin_client, document)
    assert "more than 2000 talks" in response.content.decode() or "more than 2.000" in response.content.decode()
    assert counts(event) == (0, 0)


@pytest.mark.django_db
def test_import_is_all_or_nothing(event, monkeypatch):
    from pretix_innowerkstatt.agenda.domain import importing

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importing.AgendaItemSpeaker.objects, "bulk_create", broken)
    with scopes_disabled(), pytest.raises(RuntimeError):
        apply_schedule(event, None, parse_schedule(DEMOCON_DOC))
    assert counts(event) == (0, 0)


@pytest.mark.django_db
def test_into_a_date_with_shift_to_its_start(admin_client, event, series):
    own, shared = series
    response = upload(admin_client, one_talk(), subevent=shared.pk, shift_to_start="on")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"?subevent={shared.pk}")
    with scopes_disabled():
        item = AgendaItem.objects.get(external_id="3d8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a01")
        assert item.subevent == shared
        assert item.start == shared.date_from
        assert item.end == shared.date_from + datetime.timedelta(minutes=30)
        assert item.title.data == {"de": "Wir vs. Virus"}
        speaker = item.speaker_links.get().speaker
        assert speaker.name == "Adriana Groh" and speaker.external_id == "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a07"


@pytest.mark.django_db
def test_open_end_and_kinds(event):
    document = one_talk(duration="00:00", type="Break")
    with scopes_disabled():
        apply_schedule(event, None, parse_schedule(document))
        item = AgendaItem.objects.get()
    assert item.end is None and item.kind == "break"


@pytest.mark.django_db
def test_xss_in_file_is_stored_harmlessly(admin_client, client, event):
    talk = one_talk()["schedule"]["conference"]["days"][0]["rooms"]["Plenum"][0]
    document = one_talk()
    document["schedule"]["conference"]["days"][0]["rooms"]["Plenum"] = [
        {
            **talk,
            "guid": f"00000000-0000-4000-8000-00000000000{n}",
            "title": f"Titel {payload}",
            "room": payload,
            "abstract": payload,
            "persons": [
                {
                    "name": f"Name {payload}",
                    "code": f"P{n}",
                    "biography": payload,
                    "links": [
                        {"url": "javascript:alert(1)", "title": "x"},
                        {"url": "https://ok.example", "title": payload},
                    ],
                }
            ],
        }
        for n, payload in enumerate(XSS_PAYLOADS)
    ]
    response = upload(admin_client, document)
    assert "4 items added" in response.content.decode()
    with scopes_disabled():
        items = list(AgendaItem.objects.filter(event=event).prefetch_related("speaker_links__speaker"))
        for item in items:
            for text in (item.title.data["de"], str(item.room), item.speaker_links.get().speaker.name):
                assert "<" not in text.replace("<>", "")  # plain fields: markup stripped
            assert_harmless_html(str(rich_text(item.description.data["de"])))  # Markdown: sanitised when shown
            speaker = item.speaker_links.get().speaker
            assert [link["url"] for link in speaker.links] == ["https://ok.example"]
            # Link labels are kept as written (speaker_links.clean_links): every output escapes or strips them.
    for url in ("innowerkstatt/agenda.ics", "innowerkstatt/schedule.json"):
        body = client.get(f"/innovationsbuero/innowerkstatt/{url}").content.decode().lower()
        assert "<script" not in body and "<img" not in body and "<svg" not in body


@pytest.mark.django_db
def test_needs_settings_permission_and_active_plugin(client, readonly_user, admin_user, event):
    login(client, readonly_user)
    assert client.get(URL).status_code == 403
    login(client, admin_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    with scopes_disabled():
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
    assert client.get(URL).status_code == 404


def two_persons_talk():
    """One talk with Adriana (already in the directory, by name) in a new version and a new person."""
    return one_talk(
        persons=[
            {
                "id": 7,
                "public_name": "Adriana Groh",
                "guid": "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a07",
                "biography": "Umgeschrieben durch einen Import.",
                "links": [{"title": "Fremd", "url": "https://fremd.example"}],
            },
            {"id": 8, "public_name": "Neue Person", "guid": "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a08"},
        ]
    )


@pytest.mark.django_db
def test_event_only_user_imports_items_but_leaves_the_speaker_directory_alone(
    client, speaker_writer_only_events, event, adriana
):
    login(client, speaker_writer_only_events)
    form = client.get(URL).content.decode()
    assert "persons already in the directory are linked to their items unchanged" in form
    response = upload(client, two_persons_talk())
    page = response.content.decode()
    assert "1 items added" in page
    assert "1 persons were not added to the speaker directory and 0 speakers were not updated" in page
    assert "permission to change the organizer settings" in page
    with scopes_disabled():
        adriana.refresh_from_db()
        assert adriana.biography.data == {"de": "Adriana Groh hat den **Prototype Fund** aufgebaut."}
        assert adriana.links == [{"label": "Website", "url": "https://prototypefund.de"}]
        assert adriana.external_id == ""
        assert not Speaker.objects.filter(name="Neue Person").exists()
        item = AgendaItem.objects.get(event=event, external_id="3d8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a01")
        assert [link.speaker for link in item.speaker_links.all()] == [adriana]


@pytest.mark.django_db
def test_event_only_user_does_not_update_a_speaker_matched_by_id(client, speaker_writer_only_events, event, adriana):
    with scopes_disabled():
        adriana.external_id = "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a07"
        adriana.save()
    login(client, speaker_writer_only_events)
    page = upload(client, two_persons_talk()).content.decode()
    assert "1 persons were not added to the speaker directory and 1 speakers were not updated" in page
    with scopes_disabled():
        adriana.refresh_from_db()
        assert adriana.biography.data == {"de": "Adriana Groh hat den **Prototype Fund** aufgebaut."}
        assert adriana.links == [{"label": "Website", "url": "https://prototypefund.de"}]


@pytest.mark.django_db
def test_user_with_organizer_settings_permission_updates_the_speaker_directory(admin_client, event, adriana):
    with scopes_disabled():
        adriana.external_id = "9a8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a07"
        adriana.save()
    form = admin_client.get(URL).content.decode()
    assert "persons already in the directory are linked to their items unchanged" not in form
    page = upload(admin_client, two_persons_talk()).content.decode()
    assert "1 items added" in page and "1 speakers added, 1 changed" in page
    assert "were not added to the speaker directory" not in page
    with scopes_disabled():
        adriana.refresh_from_db()
        assert adriana.biography.data == {"de": "Umgeschrieben durch einen Import."}
        assert adriana.links == [
            {"label": "Website", "url": "https://prototypefund.de"},
            {"label": "Fremd", "url": "https://fremd.example"},
        ]
        item = AgendaItem.objects.get(event=event, external_id="3d8f0a41-6f2e-4f4c-9c5e-5b1b6ddc1a01")
        assert [link.speaker.name for link in item.speaker_links.order_by("position")] == [
            "Adriana Groh",
            "Neue Person",
        ]


@pytest.mark.django_db
def test_import_page_is_in_the_event_navigation(admin_client, event):
    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/").content.decode()
    assert URL in page


def test_parse_errors_are_plain_messages():
    with pytest.raises(ImportFileError, match="schedule"):
        parse_schedule({"schedule": {}})
