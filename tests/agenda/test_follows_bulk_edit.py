"""The agenda follows pretix's bulk edit of dates (no save signals): the periodic run moves it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled
from pretix.base.models import LogEntry, SubEvent
from pretix.base.signals import periodic_task

from pretix_innowerkstatt.agenda import logtypes
from pretix_innowerkstatt.agenda.domain.editing import save_item
from pretix_innowerkstatt.agenda.domain.shifting import follow_bulk_edited_dates
from pretix_innowerkstatt.agenda.models import AgendaAlignment, AgendaItem
from pretix_innowerkstatt.agenda.signals import follow_dates_moved_in_bulk
from tests.videolinks.test_backend import date_edit_page, form_fields

from .conftest import make_agenda

DATES = "/control/event/innovationsbuero/innowerkstatt/subevents/"
DASHBOARD = "/control/event/innovationsbuero/innowerkstatt/"
OWN_ITEMS = [(0, 10, "Begrüßung"), (10, 70, "Sommer-Keynote"), (70, None, "Arbeitsphase")]


def add_date(event, item, name, local_start, own_items=True):
    """A date of the series at ``local_start`` (Berlin), with items of its own added by the organiser."""
    start = local_start.replace(tzinfo=event.timezone)
    with scopes_disabled():
        date = event.subevents.create(name=name, date_from=start, active=True)
        event.quotas.create(name=name, size=10, subevent=date).items.add(item)
    if own_items:
        with scope(organizer=event.organizer):
            for begin, end, title in OWN_ITEMS:
                save_item(
                    AgendaItem(
                        event=event,
                        subevent=date,
                        start=start + datetime.timedelta(minutes=begin),
                        end=start + datetime.timedelta(minutes=end) if end is not None else None,
                        title={"de": title},
                    )
                )
    return date


@pytest.fixture
def series(event, item):
    """The series' agenda and three dates: Q2 shows the series' agenda, Q3 and Q4 have their own."""
    with scopes_disabled():
        event.has_subevents = True
        event.save()
    make_agenda(event)
    q2 = add_date(event, item, "Q2", datetime.datetime(2027, 1, 13, 18, 0), own_items=False)
    q3 = add_date(event, item, "Q3", datetime.datetime(2027, 4, 14, 18, 0))
    q4 = add_date(event, item, "Q4", datetime.datetime(2027, 7, 14, 18, 0))
    return q2, q3, q4


def local_clocks(event, subevent=None):
    with scopes_disabled():
        items = AgendaItem.objects.filter(event=event, subevent=subevent).order_by("start")
        return [i.start.astimezone(event.timezone).strftime("%Y-%m-%d %H:%M") for i in items]


def sequences(event, subevent):
    with scopes_disabled():
        return list(AgendaItem.objects.filter(event=event, subevent=subevent).order_by("start").values_list("sequence"))


def follow_lines(event, action_type=logtypes.FOLLOWED_BULK_EDIT):
    with scopes_disabled():
        return list(LogEntry.objects.filter(event=event, action_type=action_type).order_by("pk"))


def bulk_edit(admin_client, dates, fields):
    """Submit pretix's bulk edit form of dates for ``dates``, changing only ``fields`` (as its checkboxes do)."""
    selection = {"subevent": [date.pk for date in dates]}
    page = admin_client.post(f"{DATES}bulk_edit", selection)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "form.form-horizontal")
    data.update(selection, _bulk=[f"bulkedit{name}" for name in fields])
    data.update({f"bulkedit-{name}": value for name, value in fields.items()})
    response = admin_client.post(f"{DATES}bulk_edit", data)
    assert response.status_code == 302, response.content.decode()[-3000:]


def move_without_save_signals(*moves):
    """``(date, new_start)``, stored the way pretix's bulk edit stores them (``bulk_update``)."""
    for date, new_start in moves:
        date.date_from = new_start
    with scopes_disabled():
        SubEvent.objects.bulk_update([date for date, _start in moves], ["date_from"])


@pytest.mark.django_db
def test_dates_moved_in_pretixs_bulk_edit_take_their_own_agenda_along_on_the_next_periodic_run(
    admin_client, client, event, series
):
    q2, q3, q4 = series
    series_before, q3_sequences = local_clocks(event), sequences(event, q3)
    bulk_edit(admin_client, [q3, q4], {"date_from_time": "22:00"})
    bulk_edit(admin_client, [q4], {"date_from_day": "2027-07-17"})
    with scopes_disabled():
        assert list(SubEvent.objects.filter(pk__in=[q3.pk, q4.pk]).order_by("pk").values_list("date_from")) == [
            (datetime.datetime(2027, 4, 14, 22, 0, tzinfo=event.timezone),),
            (datetime.datetime(2027, 7, 17, 22, 0, tzinfo=event.timezone),),
        ]
    # pretix's bulk edit sends no save signals: nothing has moved yet.
    assert local_clocks(event, q3) == ["2027-04-14 18:00", "2027-04-14 18:10", "2027-04-14 19:10"]

    periodic_task.send(sender=None)

    assert local_clocks(event, q3) == ["2027-04-14 22:00", "2027-04-14 22:10", "2027-04-14 23:10"]
    assert local_clocks(event, q4) == ["2027-07-17 22:00", "2027-07-17 22:10", "2027-07-17 23:10"]
    assert sequences(event, q3) == [(sequence + 1,) for (sequence,) in q3_sequences]
    assert local_clocks(event) == series_before
    lines = follow_lines(event)
    assert [(line.parsed_data["subevent"], line.parsed_data["minutes"]) for line in lines] == [
        (q3.pk, 4 * 60),
        (q4.pk, 3 * 24 * 60 + 4 * 60),
    ]
    assert "bulk edit of dates" in str(lines[0].display())
    page = client.get(f"/innovationsbuero/innowerkstatt/{q3.pk}/").content.decode()
    assert "22:10" in page and "18:10" not in page

    with CaptureQueriesContext(connection) as second_run:
        periodic_task.send(sender=None)
    updates = [q["sql"] for q in second_run.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in updates if "agendaalignment" in sql or "agendaitem" in sql], "nothing left to align"
    assert local_clocks(event, q3) == ["2027-04-14 22:00", "2027-04-14 22:10", "2027-04-14 23:10"]
    assert sequences(event, q3) == [(sequence + 1,) for (sequence,) in q3_sequences]
    assert len(follow_lines(event)) == 2


@pytest.mark.django_db
def test_a_date_moved_on_its_own_form_and_then_the_periodic_run_moves_its_agenda_exactly_once(
    admin_client, event, series
):
    __, q3, __ = series
    page = date_edit_page(q3)
    data = form_fields(admin_client.get(page).content.decode(), "form.form-horizontal")
    data["date_from_0"], data["date_from_1"] = "2027-04-14", "19:00:00"  # still in the old range
    assert admin_client.post(page, data).status_code == 302
    moved = ["2027-04-14 19:00", "2027-04-14 19:10", "2027-04-14 20:10"]
    assert local_clocks(event, q3) == moved

    follow_dates_moved_in_bulk(sender=None)

    assert local_clocks(event, q3) == moved
    assert len(follow_lines(event, logtypes.FOLLOWED_EVENT)) == 1
    assert follow_lines(event) == []


@pytest.mark.django_db
def test_with_the_setting_off_the_periodic_run_moves_nothing_and_turning_it_on_later_moves_nothing_either(
    admin_client, event, series
):
    __, q3, __ = series
    event.settings.innowerkstatt_agenda_follow_event = False
    move_without_save_signals((q3, q3.date_from + datetime.timedelta(days=2)))
    before = local_clocks(event, q3)

    follow_dates_moved_in_bulk(sender=None)
    assert local_clocks(event, q3) == before
    with scopes_disabled():
        assert AgendaAlignment.objects.get(subevent=q3).date_from == q3.date_from

    event.settings.innowerkstatt_agenda_follow_event = True
    follow_dates_moved_in_bulk(sender=None)
    assert local_clocks(event, q3) == before
    assert follow_lines(event) == []
    # The items now lie outside their date: the dashboard still says so.
    assert "innowerkstatt-agenda-outside-notice" in admin_client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_a_date_without_items_of_its_own_gets_no_alignment_and_its_bulk_move_changes_no_agenda(event, series):
    q2, q3, q4 = series
    with scopes_disabled():
        assert set(AgendaAlignment.objects.values_list("subevent", flat=True)) == {q3.pk, q4.pk}
    series_before = local_clocks(event)
    move_without_save_signals((q2, q2.date_from + datetime.timedelta(days=3)))

    follow_dates_moved_in_bulk(sender=None)

    assert local_clocks(event) == series_before
    assert follow_lines(event) == []
    with scopes_disabled():
        assert not AgendaAlignment.objects.filter(subevent=q2).exists()


@pytest.mark.django_db
def test_a_date_whose_items_predate_the_alignment_is_aligned_at_its_current_time_without_a_move(event, item, series):
    # Items stored before this version (or by any path around the write path) have no row yet.
    q5 = add_date(event, item, "Q5", datetime.datetime(2027, 10, 13, 18, 0), own_items=False)
    make_agenda(event, subevent=q5)
    before = local_clocks(event, q5)

    follow_dates_moved_in_bulk(sender=None)

    assert local_clocks(event, q5) == before
    with scopes_disabled():
        assert AgendaAlignment.objects.get(subevent=q5).date_from == q5.date_from
    move_without_save_signals((q5, q5.date_from + datetime.timedelta(hours=1)))
    follow_dates_moved_in_bulk(sender=None)
    assert local_clocks(event, q5)[0] == "2027-10-13 19:00"


@pytest.mark.django_db
def test_the_periodic_run_costs_the_same_queries_however_many_dates_did_not_move(event, item, series):
    __, q3, q4 = series

    def queries_to_follow(*dates):
        move_without_save_signals(*((date, date.date_from + datetime.timedelta(hours=1)) for date in dates))
        with scopes_disabled(), CaptureQueriesContext(connection) as run:
            assert follow_bulk_edited_dates() == 3 * len(dates)
        return len(run.captured_queries)

    few_unmoved = queries_to_follow(q3, q4)
    for index in range(6):
        add_date(event, item, f"Q{5 + index}", datetime.datetime(2028, 1 + index, 12, 18, 0))
    assert queries_to_follow(q3, q4) == few_unmoved


@pytest.mark.django_db
def test_a_bulk_change_of_a_dates_end_alone_moves_nothing_and_a_later_move_takes_the_items_of_the_new_range(
    admin_client, event, series
):
    q2, q3, q4 = series
    # The Q3 evening now ends at 19:00: the work phase at 19:10 lies after it, and stays.
    bulk_edit(admin_client, [q3], {"date_to_day": "2027-04-14", "date_to_time": "19:00"})
    periodic_task.send(sender=None)
    assert local_clocks(event, q3) == ["2027-04-14 18:00", "2027-04-14 18:10", "2027-04-14 19:10"]
    assert follow_lines(event) == []
    with scopes_disabled():
        alignment = AgendaAlignment.objects.get(subevent=q3)
        assert alignment.date_to == datetime.datetime(2027, 4, 14, 19, 0, tzinfo=event.timezone)

    # Moving the date an hour later takes the items of 18:00–19:00 along, not the work phase.
    move_without_save_signals((q3, datetime.datetime(2027, 4, 14, 19, 0, tzinfo=event.timezone)))
    periodic_task.send(sender=None)
    assert local_clocks(event, q3) == ["2027-04-14 19:00", "2027-04-14 19:10", "2027-04-14 19:10"]
