"""Dates of a series and editions of a format that share one meeting room get a notice (not a blocker)."""

import datetime

import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.formats.models import Edition, Format
from pretix_innowerkstatt.videolinks.domain.editing import save_event_settings, set_date_url

from .conftest import MEETING_URL
from .test_backend import copy_of

DASHBOARD = "/control/event/innovationsbuero/{slug}/"
VIDEO = "/control/event/innovationsbuero/{slug}/innowerkstatt/video/"
SHARED = "use the same meeting URL while join links of one of them are still open"


def notices_on(admin_client, slug="innowerkstatt"):
    pages = [admin_client.get(url.format(slug=slug)).content.decode() for url in (DASHBOARD, VIDEO)]
    assert all(SHARED in page for page in pages) or not any(SHARED in page for page in pages)
    return pages[0]


def add_date(event, name, start):
    return event.subevents.create(name=name, date_from=start, date_to=start + datetime.timedelta(hours=2), active=True)


@pytest.fixture
def series(configured_event):
    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
    return configured_event


@pytest.mark.django_db
def test_dates_of_a_series_in_one_room_get_a_notice_until_each_has_its_own(admin_client, series):
    with scopes_disabled():
        q2 = add_date(series, "Q2", series.date_from)
        q3 = add_date(series, "Q3", series.date_from + datetime.timedelta(days=91))
    page = notices_on(admin_client)
    assert SHARED in page and "Q2 (" in page and "Q3 (" in page
    with scopes_disabled():
        set_date_url(q3, "https://meet.example.org/q3-room")
    assert SHARED not in notices_on(admin_client)
    with scopes_disabled():
        set_date_url(q2, "https://meet.example.org/q3-room")
    assert SHARED in notices_on(admin_client)


@pytest.mark.django_db
def test_a_room_shared_only_by_dates_whose_links_have_closed_gets_no_notice(admin_client, series):
    with scopes_disabled():
        add_date(series, "Q1", now() - datetime.timedelta(days=100))
        add_date(series, "Q2", now() - datetime.timedelta(days=10))
    assert SHARED not in notices_on(admin_client)
    with scopes_disabled():
        add_date(series, "Q3", now() + datetime.timedelta(days=80))  # still open: whoever joined Q1 knows the room
    assert SHARED in notices_on(admin_client)


@pytest.mark.django_db
def test_editions_of_a_format_with_one_meeting_url_get_a_notice_on_each_dashboard(admin_client, configured_event):
    with scopes_disabled():
        fmt = Format.objects.create(
            organizer=configured_event.organizer,
            name="Innowerkstatt",
            slug="innowerkstatt",
            template_event=configured_event,
            first_year=2027,
        )
        later = copy_of(configured_event, "innowerkstatt-q2")  # as a format creates editions: the URL is copied
        for key, event in (("2027-Q1", configured_event), ("2027-Q2", later)):
            Edition.objects.create(format=fmt, key=key, event=event, rule_start=event.date_from)
        assert later.settings.get("innowerkstatt_video_join_url") == MEETING_URL
    for slug in ("innowerkstatt", "innowerkstatt-q2"):
        assert SHARED in notices_on(admin_client, slug)
    with scopes_disabled():
        save_event_settings(later, url="https://meet.example.org/q2-room")
    for slug in ("innowerkstatt", "innowerkstatt-q2"):
        assert SHARED not in notices_on(admin_client, slug)


@pytest.mark.django_db
def test_a_shared_room_is_no_reason_to_refuse_going_live(series):
    with scopes_disabled():
        add_date(series, "Q2", series.date_from)
        add_date(series, "Q3", series.date_from + datetime.timedelta(days=91))
        save_event_settings(series, require_url=True)
        assert not [i for i in Event.objects.get(pk=series.pk).live_issues if "meeting" in str(i)]
