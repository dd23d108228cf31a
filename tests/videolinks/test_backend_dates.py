"""pretix's own date pages (create, copy, create multiple) with the plugin's meeting URL field."""

import datetime

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry, SubEvent

from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig

from .test_backend import form_fields

DATES = "/control/event/innovationsbuero/innowerkstatt/subevents/"
ROOM = "https://meet.example.org/q4-room?pwd=hunter2"


@pytest.fixture
def series(configured_event, item):
    with scopes_disabled():
        configured_event.has_subevents = True
        configured_event.save()
    return configured_event


def page_data(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    return form_fields(response.content.decode(), "form.form-horizontal")


def date_fields(data, start, item, name="Q4"):
    data.update(
        {
            "name_0": name,
            "name_1": name,
            "date_from_0": start.strftime("%Y-%m-%d"),
            "date_from_1": "18:00:00",
            "date_to_0": start.strftime("%Y-%m-%d"),
            "date_to_1": "20:00:00",
            "quotas-0-size": "50",
            "quotas-0-itemvars": [str(item.pk)],
        }
    )
    return data


def errors(response):
    """The form errors pretix shows, for a readable failure."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [e.get_text(" ", strip=True)[:300] for e in soup.select(".has-error, .alert-danger")]


def room_of(subevent):
    row = VideoConferenceConfig.objects.filter(subevent=subevent, item__isnull=True).first()
    return row.join_url if row else None


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ROOM, ""])
def test_creating_a_date_on_pretixs_page_stores_its_meeting_url_where_given(admin_client, series, item, url):
    data = date_fields(page_data(admin_client, DATES + "add"), datetime.date(2027, 3, 31), item)
    data["innowerkstatt-video-join_url"] = url
    response = admin_client.post(DATES + "add", data)
    assert response.status_code == 302, errors(response)
    with scopes_disabled():
        created = SubEvent.objects.get(event=series, name__icontains="Q4")
        assert room_of(created) == (url or None)
        logged = LogEntry.objects.get(action_type="pretix.subevent.added")
        assert ROOM not in logged.data  # pretix logs the plugin form's data: masked


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ROOM, ""])
def test_copying_a_date_offers_its_meeting_url_and_stores_what_is_sent(admin_client, series, item, url):
    with scopes_disabled():
        original = series.subevents.create(name="Q3", date_from=series.date_from, date_to=series.date_to)
        VideoConferenceConfig.objects.create(event=series, subevent=original, join_url="https://meet.example.org/q3")
        series.quotas.create(name="Q3", size=100, subevent=original).items.add(item)
    page = f"{DATES}add?copy_from={original.pk}"
    data = page_data(admin_client, page)
    assert data["innowerkstatt-video-join_url"] == "https://meet.example.org/q3"  # offered from the copied date
    data = date_fields(data, datetime.date(2027, 3, 31), item)
    data["innowerkstatt-video-join_url"] = url
    response = admin_client.post(page, data)
    assert response.status_code == 302, errors(response)
    with scopes_disabled():
        copy = SubEvent.objects.get(event=series, name__icontains="Q4")
        assert room_of(copy) == (url or None)
        assert room_of(original) == "https://meet.example.org/q3"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ROOM, ""])
def test_creating_multiple_dates_gives_each_the_meeting_url_where_given(admin_client, series, item, url):
    data = page_data(admin_client, DATES + "bulk_add")
    data.update(
        {
            "rruleformset-0-dtstart": "2027-01-06",
            "rruleformset-0-count": "3",
            "rruleformset-0-end": "count",
            "rruleformset-0-freq": "weekly",
            "timeformset-0-time_from": "18:00:00",
            "timeformset-0-time_to": "20:00:00",
            "timeformset-TOTAL_FORMS": "1",
            "quotas-0-size": "50",
            "quotas-0-itemvars": [str(item.pk)],
            "innowerkstatt-video-join_url": url,
        }
    )
    for key in [k for k in data if k.startswith("timeformset-1-")]:
        del data[key]
    response = admin_client.post(DATES + "bulk_add", data)
    assert response.status_code == 302, errors(response)
    with scopes_disabled():
        created = list(SubEvent.objects.filter(event=series))
        assert len(created) == 3
        assert [room_of(se) for se in created] == [url or None] * 3
