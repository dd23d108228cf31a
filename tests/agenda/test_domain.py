import datetime
import zoneinfo

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.agenda import logtypes
from pretix_innowerkstatt.agenda.domain.copying import copy_agenda
from pretix_innowerkstatt.agenda.domain.editing import save_item
from pretix_innowerkstatt.agenda.domain.formatting import agenda_text, speakers_text
from pretix_innowerkstatt.agenda.domain.selection import agenda_items, agenda_outline, dated_agenda_items
from pretix_innowerkstatt.agenda.models import AgendaItem

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def seed_agenda(event):
    with scopes_disabled():
        start = event.date_from
        adriana = event.organizer.innowerkstatt_speakers.create(
            name="Adriana Groh",
            role={"de": "Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund"},
        )
        rows = [
            (0, "Begrüßung", "welcome"),
            (10, "Wir vs. Virus Hackathon – ein Best Practice", "talk"),
            (40, "Schlaglichter aus dem BMFSFJ", "talk"),
            (70, "Arbeitsphase", "work"),
            (120, "Ende", "end"),
        ]
        items = [
            AgendaItem.objects.create(event=event, start=start + datetime.timedelta(minutes=m), title={"de": t}, kind=k)
            for m, t, k in rows
        ]
        items[1].speaker_links.create(speaker=adriana, role="speaker")
        return items


@pytest.mark.django_db
def test_agenda_text_is_one_line_per_item_in_event_timezone(event, seed_agenda):
    with scopes_disabled():
        items = agenda_outline(event)
    assert agenda_text(items, BERLIN).splitlines() == [
        "18:00 Begrüßung",
        "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)",
        "18:40 Schlaglichter aus dem BMFSFJ",
        "19:10 Arbeitsphase",
        "20:00 Ende",
    ]
    assert (
        speakers_text(items) == "Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund"
    )


@pytest.mark.django_db
def test_outline_has_the_same_lines_as_the_items_also_moved_to_a_date(event, seed_agenda):
    with scopes_disabled():
        people = [event.organizer.innowerkstatt_speakers.create(name=n) for n in ("Zoe", "Anna", "Mo")]
        seed_agenda[3].speaker_links.create(speaker=people[0], position=1)
        seed_agenda[3].speaker_links.create(speaker=people[1], position=0)
        seed_agenda[4].speaker_links.create(speaker=people[2], position=0)
        event.has_subevents = True
        event.save()
        # A date after a change of daylight saving time, showing the event's agenda moved to its start.
        date = event.subevents.create(name="Q2", date_from=event.date_from + datetime.timedelta(days=120))

        def lines(items):
            return [(i.start, str(i.title), [p.name for p in i.people]) for i in items]

        for subevent in (None, date):
            items = dated_agenda_items(event, subevent)
            expected = [(i.start, str(i.title), [link.speaker.name for link in i.speaker_links.all()]) for i in items]
            assert lines(agenda_outline(event, subevent)) == expected
        assert lines(agenda_outline(event, date))[3] == (
            date.date_from + datetime.timedelta(minutes=70),
            "Arbeitsphase",
            ["Anna", "Zoe"],
        )


@pytest.mark.django_db
def test_date_without_own_agenda_shows_event_agenda(event, seed_agenda):
    with scopes_disabled():
        event.has_subevents = True
        event.save()
        date = event.subevents.create(name="Q3", date_from=event.date_from + datetime.timedelta(days=91))
        assert [str(i.title) for i in agenda_items(event, date)][0] == "Begrüßung"
        AgendaItem.objects.create(event=event, subevent=date, start=date.date_from, title={"de": "Eigene"})
        assert [str(i.title) for i in agenda_items(event, date)] == ["Eigene"]


@pytest.mark.django_db
def test_copy_agenda_shifts_to_target_start_and_keeps_speakers(event, seed_agenda, django_assert_max_num_queries):
    with scopes_disabled():
        target = event.organizer.events.create(
            name="Innowerkstatt Q3",
            slug="innowerkstatt-q3",
            date_from=event.date_from + datetime.timedelta(days=91, hours=1),
        )
        # Items and links read, copies and their links written, the log line (with its content type),
        # and one read of the work phase's groups (the work-phase groups copy theirs, ``items_copied``).
        with django_assert_max_num_queries(9):
            assert copy_agenda(event, target) == 5
        copied = agenda_items(target)
    assert [i.start - target.date_from for i in copied] == [i.start - event.date_from for i in seed_agenda]
    assert [link.speaker.name for link in copied[1].speaker_links.all()] == ["Adriana Groh"]


@pytest.mark.django_db
def test_copying_a_four_times_longer_agenda_takes_no_more_queries(event, seed_agenda, django_assert_max_num_queries):
    with scopes_disabled():
        speaker = event.organizer.innowerkstatt_speakers.create(name="Mo")
        for minutes in range(130, 430, 20):
            kind = "work" if minutes % 60 == 10 else "talk"
            item = AgendaItem.objects.create(
                event=event,
                start=event.date_from + datetime.timedelta(minutes=minutes),
                title={"de": "Mehr"},
                kind=kind,
            )
            item.speaker_links.create(speaker=speaker)
        target = event.organizer.events.create(
            name="Innowerkstatt Q3", slug="innowerkstatt-q3", date_from=event.date_from + datetime.timedelta(days=91)
        )
        with django_assert_max_num_queries(9):
            assert copy_agenda(event, target) == 20
        assert AgendaItem.objects.filter(event=target).count() == 20


@pytest.mark.django_db
def test_copying_an_agenda_without_work_phases_asks_nothing_about_groups(
    event, seed_agenda, django_assert_max_num_queries
):
    with scopes_disabled():
        seed_agenda[3].delete()
        target = event.organizer.events.create(
            name="Innowerkstatt Q3", slug="innowerkstatt-q3", date_from=event.date_from + datetime.timedelta(days=91)
        )
        # Items and links read, copies and their links written, the log line (with its content type,
        # unless an earlier test cached it).
        with django_assert_max_num_queries(8) as captured:
            assert copy_agenda(event, target) == 4
    assert not [q["sql"] for q in captured.captured_queries if "workgroup" in q["sql"]]
    assert not [q["sql"] for q in captured.captured_queries if "settingsstore" in q["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source_day", "target_day"),
    [
        (datetime.date(2026, 11, 25), datetime.date(2027, 5, 26)),
        (datetime.date(2027, 5, 26), datetime.date(2027, 11, 24)),
    ],
    ids=["winter-to-summer", "summer-to-winter"],
)
def test_copy_agenda_across_a_dst_change_keeps_local_times(event, source_day, target_day):
    """18:00 Europe/Berlin in winter copied to 18:00 in summer: "18:10" stays 18:10 on the wall clock."""
    with scopes_disabled():
        event.date_from = datetime.datetime.combine(source_day, datetime.time(18, 0), tzinfo=BERLIN)
        event.save()
        AgendaItem.objects.create(
            event=event,
            start=event.date_from + datetime.timedelta(minutes=10),
            end=event.date_from + datetime.timedelta(minutes=40),
            title={"de": "Vortrag"},
        )
        target = event.organizer.events.create(
            name="Innowerkstatt",
            slug="innowerkstatt-next",
            date_from=datetime.datetime.combine(target_day, datetime.time(18, 0), tzinfo=BERLIN),
        )
        copy_agenda(event, target)
        (copied,) = agenda_items(target)
    assert copied.start.astimezone(BERLIN).time() == datetime.time(18, 10)
    assert copied.end.astimezone(BERLIN).time() == datetime.time(18, 40)


@pytest.mark.django_db
def test_the_log_line_of_a_saved_item_names_its_start_in_words_in_english(event):
    with scopes_disabled(), translation.override("en"):
        # 17:10 UTC on a winter evening is 18:10 in Berlin, where the event is.
        start = datetime.datetime(2026, 12, 4, 17, 10, tzinfo=datetime.UTC)
        save_item(AgendaItem(event=event, start=start, title={"en": "Keynote"}))
        entry = LogEntry.objects.get(event=event, action_type=logtypes.ITEM_ADDED)
        shown = str(entry.display())
    assert entry.parsed_data["start"] == "Dec. 4, 2026, 18:10"
    assert "Dec. 4, 2026, 18:10" in shown and "2026-12-04" not in shown
