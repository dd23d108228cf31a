"""The agenda follows the event: moving the start of the event or of a date moves its items along."""

import datetime

import icalendar
import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.agenda.models import AgendaItem
from tests.videolinks.test_backend import date_edit_page, form_fields

from .interop_helpers import api_token
from .orders import place_order
from .test_calendars import calendars_of

SETTINGS = "/control/event/innovationsbuero/innowerkstatt/settings/"
ICS = "/innovationsbuero/innowerkstatt/innowerkstatt/agenda.ics"


def starts(event, subevent=None):
    with scopes_disabled():
        return [i.start for i in AgendaItem.objects.filter(event=event, subevent=subevent).order_by("start")]


def local_clock(event, dt):
    return dt.astimezone(event.timezone).strftime("%Y-%m-%d %H:%M")


def move_event_in_settings(admin_client, event, new_start, new_end):
    data = form_fields(admin_client.get(SETTINGS).content.decode(), "form.form-horizontal")
    local_start, local_end = new_start.astimezone(event.timezone), new_end.astimezone(event.timezone)
    data["date_from_0"], data["date_from_1"] = local_start.strftime("%Y-%m-%d"), local_start.strftime("%H:%M:%S")
    data["date_to_0"], data["date_to_1"] = local_end.strftime("%Y-%m-%d"), local_end.strftime("%H:%M:%S")
    response = admin_client.post(SETTINGS, data)
    assert response.status_code == 302, response.content.decode()[-3000:]


@pytest.mark.django_db
def test_moving_the_event_in_its_settings_moves_the_agenda_page_mail_and_calendar(
    admin_client, client, event, item, agenda
):
    before = starts(event)
    three_days_later = datetime.timedelta(days=3, hours=4)  # to 22:00
    move_event_in_settings(admin_client, event, event.date_from + three_days_later, event.date_to + three_days_later)
    assert [b - a for a, b in zip(before, starts(event), strict=True)] == [three_days_later] * 5
    with scopes_disabled():
        followed = LogEntry.objects.filter(event=event, action_type="pretix_innowerkstatt.agenda.followed_event")
        assert followed.count() == 1
        event.refresh_from_db()

    page = client.get("/innovationsbuero/innowerkstatt/").content.decode()
    assert "22:10" in page and "18:10" not in page

    event.settings.mail_attach_ical = True
    place_order(event, item)
    [calendar] = calendars_of(djmail.outbox[-1])
    [vevent] = calendar.walk("VEVENT")
    assert "22:10 Wir vs. Virus Hackathon" in str(vevent["DESCRIPTION"])

    feed = icalendar.Calendar.from_ical(client.get(ICS).content)
    first = min(v["DTSTART"].dt for v in feed.walk("VEVENT"))
    assert local_clock(event, first) == local_clock(event, event.date_from)


@pytest.mark.django_db
def test_moving_the_event_through_the_api_moves_the_agenda(organizer, event, item, agenda):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(organizer, all_events=True, all_event_permissions=True)}")
    before = starts(event)
    new_start = event.date_from + datetime.timedelta(days=7)
    response = api.patch(
        "/api/v1/organizers/innovationsbuero/events/innowerkstatt/",
        {"date_from": new_start.isoformat(), "date_to": (event.date_to + datetime.timedelta(days=7)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [b - a for a, b in zip(before, starts(event), strict=True)] == [datetime.timedelta(days=7)] * 5


@pytest.mark.django_db
def test_moving_a_date_on_its_form_moves_that_dates_agenda_only(admin_client, event, item, two_dates):
    q2, q3 = two_dates
    series_before, q3_before = starts(event), starts(event, q3)
    page = date_edit_page(q3)
    data = form_fields(admin_client.get(page).content.decode(), "form.form-horizontal")
    new_start = (q3.date_from + datetime.timedelta(hours=1)).astimezone(event.timezone)
    data["date_from_0"], data["date_from_1"] = new_start.strftime("%Y-%m-%d"), new_start.strftime("%H:%M:%S")
    response = admin_client.post(page, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert starts(event, q3) == [s + datetime.timedelta(hours=1) for s in q3_before]
    assert starts(event) == series_before


@pytest.mark.django_db
def test_moving_across_the_summer_time_change_keeps_the_local_clock(event, agenda):
    with scopes_disabled():
        event.date_from = event.date_from.astimezone(event.timezone).replace(month=3, day=20)  # winter time
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.settings.innowerkstatt_agenda_follow_event = False
        event.save()
        for index, row in enumerate(AgendaItem.objects.filter(event=event).order_by("start")):
            offset = [0, 10, 40, 70, 120][index]
            row.start = event.date_from + datetime.timedelta(minutes=offset)
            row.save()
        event.settings.innowerkstatt_agenda_follow_event = True
        clocks = [local_clock(event, s)[-5:] for s in starts(event)]
        event.date_from = event.date_from.astimezone(event.timezone).replace(day=27 + 3)  # summer time
        event.date_to = event.date_from + datetime.timedelta(hours=2)
        event.save()
    assert [local_clock(event, s)[-5:] for s in starts(event)] == clocks


@pytest.mark.django_db
def test_the_setting_turned_off_leaves_the_agenda_where_it_is(event, agenda):
    before = starts(event)
    event.settings.innowerkstatt_agenda_follow_event = False
    with scopes_disabled():
        event.date_from += datetime.timedelta(days=1)
        event.save()
    assert starts(event) == before


@pytest.mark.django_db
def test_a_date_moved_by_a_bulk_edit_is_noticed_on_the_dashboard_and_the_agenda_page_offers_the_move(
    admin_client, event, item, two_dates
):
    from pretix.base.models import SubEvent

    q2, q3 = two_dates
    with scopes_disabled():
        SubEvent.objects.filter(pk=q3.pk).update(date_from=q3.date_from + datetime.timedelta(days=2))  # no save()
    dashboard = admin_client.get("/control/event/innovationsbuero/innowerkstatt/").content.decode()
    assert "innowerkstatt-agenda-outside-notice" in dashboard
    agenda_page = f"/control/event/innovationsbuero/innowerkstatt/innowerkstatt/agenda/?subevent={q3.pk}"
    from bs4 import BeautifulSoup

    offer = BeautifulSoup(admin_client.get(agenda_page).content.decode(), "html.parser").select_one(
        ".innowerkstatt-agenda-outside-offer a"
    )
    shift_page = offer["href"].replace("&amp;", "&")
    assert "minutes=2880" in shift_page
    data = form_fields(admin_client.get(shift_page).content.decode(), "form[method=post]")
    assert admin_client.post(shift_page, data).status_code == 302
    with scopes_disabled():
        q3.refresh_from_db()
    assert starts(event, q3) == [q3.date_from]
    assert (
        "innowerkstatt-agenda-outside-notice"
        not in admin_client.get("/control/event/innovationsbuero/innowerkstatt/").content.decode()
    )


@pytest.mark.django_db
def test_an_event_saved_outside_any_scope_still_takes_its_agenda_along(event, agenda):
    # pretix saves events outside a request's scope too (its own tests, tasks, the API's
    # serializers); reading the old start must not raise django-scopes' ScopeError there.
    before = starts(event)
    with scopes_disabled():
        event.refresh_from_db()
    event.date_from += datetime.timedelta(hours=1)
    event.date_to += datetime.timedelta(hours=1)
    event.save()
    assert [b - a for a, b in zip(before, starts(event), strict=True)] == [datetime.timedelta(hours=1)] * 5


@pytest.mark.django_db
def test_saving_an_event_without_the_plugin_costs_no_extra_query(event, django_assert_num_queries):
    with scopes_disabled():
        event.refresh_from_db()
        event.disable_plugin("pretix_innowerkstatt")
        event.save()
        with django_assert_num_queries(1):  # pretix's own UPDATE only
            event.save(update_fields=["date_from"])
