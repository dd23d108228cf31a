"""Going live: blocked only when the organiser said attendees join online and no meeting URL is set."""

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.videolinks import settings as names
from pretix_innowerkstatt.videolinks.domain.editing import save_event_settings
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig
from pretix_innowerkstatt.videolinks.signals import dashboard_notices, live_issue

from .conftest import MEETING_URL

EVENT = "/control/event/innovationsbuero/innowerkstatt/"
VIDEO = EVENT + "innowerkstatt/video/"


@pytest.fixture
def offline(event, item):
    with scopes_disabled():
        event.live = False
        event.save()
    return event


def go_live(admin_client):
    admin_client.post(EVENT + "live/", {"live": "true"})
    with scopes_disabled():
        return Event.objects.get(slug="innowerkstatt").live


@pytest.mark.django_db
def test_an_agenda_only_event_goes_live_through_pretixs_live_page(admin_client, offline):
    page = admin_client.get(EVENT + "live/").content.decode()
    assert "meeting URL" not in page
    assert go_live(admin_client)
    # The missing URL is a notice on the dashboard, the video page and the plugin's overview, not a blocker.
    for url in (EVENT, VIDEO, EVENT + "innowerkstatt/"):
        content = admin_client.get(url).content.decode()
        assert "No meeting URL is set, so attendees get no join links." in content


@pytest.mark.django_db
def test_an_online_event_without_a_meeting_url_cannot_go_live_until_one_is_set(admin_client, offline):
    data = {"require_url": "on", "join_url": "", "provider": "generic", "opens_minutes_before": "30"}
    data.update({"closes_minutes_after": "60", "instructions_0": "", "instructions_1": ""})
    assert admin_client.post(VIDEO, data).status_code == 302
    page = admin_client.get(EVENT + "live/").content.decode()
    assert "Attendees join this event online, but no meeting URL is set." in page
    assert not go_live(admin_client)
    dashboard = admin_client.get(EVENT).content.decode()
    assert "alert-danger innowerkstatt-video-notice" in dashboard
    assert admin_client.post(VIDEO, dict(data, join_url=MEETING_URL)).status_code == 302
    assert go_live(admin_client)
    assert "innowerkstatt-video-notice" not in admin_client.get(EVENT).content.decode()


@pytest.mark.django_db
def test_a_series_that_needs_join_links_names_the_dates_without_a_meeting_url(offline, item):
    with scopes_disabled():
        offline.has_subevents = True
        offline.save()
        q2 = offline.subevents.create(name="Q2", date_from=offline.date_from, active=True)
        q3 = offline.subevents.create(name="Q3", date_from=offline.date_from, active=True)
        save_event_settings(offline, require_url=True)
        VideoConferenceConfig.objects.create(event=offline, subevent=q2, join_url="https://meet.example.org/q2")
        offline = Event.objects.get(pk=offline.pk)
        [issue] = [str(i) for i in offline.live_issues if "meeting URL" in str(i)]
        assert str(q3) in issue and str(q2) not in issue
        VideoConferenceConfig.objects.create(event=offline, subevent=q3, join_url="https://meet.example.org/q3")
        assert not [i for i in Event.objects.get(pk=offline.pk).live_issues if "meeting URL" in str(i)]


@pytest.mark.django_db
def test_the_live_check_reads_the_plugins_rows_outside_the_requests_scope(offline):
    with scopes_disabled():
        save_event_settings(offline, require_url=True)
        assert offline.settings.get(names.REQUIRE_URL, as_type=bool)
        offline = Event.objects.get(pk=offline.pk)
    # No scope active here, like a lazily rendered response in pretix: the receivers open their own.
    assert "no meeting URL is set" in live_issue(sender=offline)
    assert "no meeting URL is set" in dashboard_notices(sender=offline, request=None)
