"""The join page during the event: the agenda with the running item, a localised countdown, readable times."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.videolinks.domain.presentation import countdown_text

from .conftest import open_time

pytestmark = pytest.mark.django_db
VIDEO_PAGE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/"


def page_in(language, path, at):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    with freeze_time(at):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def agenda(configured_event):
    event = configured_event
    start = event.date_from
    with scopes_disabled():
        return [
            AgendaItem.objects.create(
                event=event, start=start, end=start + datetime.timedelta(minutes=10), title="Begrüßung"
            ),
            AgendaItem.objects.create(
                event=event,
                start=start + datetime.timedelta(minutes=10),
                end=start + datetime.timedelta(minutes=60),
                title="Impulsvortrag",
            ),
            AgendaItem.objects.create(event=event, start=start + datetime.timedelta(minutes=60), title="Ende"),
        ]


def marked_items(html):
    return re.findall(r'<li class="innowerkstatt-join-agenda-item innowerkstatt-now"[^>]*aria-current="true"', html)


def test_during_the_event_the_join_page_marks_the_running_item_as_now(position, agenda):
    with scopes_disabled():
        path = join_path(position)
    html = page_in("en", path, agenda[1].start + datetime.timedelta(minutes=5))
    assert len(marked_items(html)) == 1
    running = html.split('aria-current="true"', 1)[1].split("</li>", 1)[0]
    assert "Impulsvortrag" in running and ">Now</span>" in running
    assert "Begrüßung" not in running
    assert "Jetzt</span>" in page_in("de", path, agenda[1].start + datetime.timedelta(minutes=5))


def test_before_the_first_item_the_agenda_is_shown_without_a_now_mark(position, agenda):
    with scopes_disabled():
        path = join_path(position)
    html = page_in("en", path, open_time(position.order.event))
    assert "Impulsvortrag" in html and "data-innowerkstatt-agenda" in html
    assert marked_items(html) == []


@pytest.mark.parametrize(
    ("language", "seconds", "text"),
    [
        ("en", 90 * 86400 + 3600, "in 90 days"),
        ("de", 90 * 86400 + 3600, "in 90 Tagen"),
        ("en", 86400, "in 1 day"),
        ("de", 86400, "in 1 Tag"),
        ("en", 5 * 3600 + 59, "in 5 hours"),
        ("de", 5 * 3600 + 59, "in 5 Stunden"),
        ("en", 14 * 60 + 3, "in 14 minutes"),
        ("de", 14 * 60 + 3, "in 14 Minuten"),
        ("de", 1, "in 1 Sekunde"),
    ],
)
def test_countdown_reads_like_the_language_of_the_page(language, seconds, text):
    with translation.override(language):
        assert countdown_text(seconds) == text


def test_the_waiting_page_renders_the_countdown_in_its_language(position):
    event = position.order.event
    with scopes_disabled():
        path = join_path(position)
    at = event.date_from - datetime.timedelta(days=90, hours=2)
    assert "in 90 days</p>" in page_in("en", path, at)
    assert "in 90 Tagen</p>" in page_in("de", path, at)
    assert " T " not in page_in("de", path, at).split("innowerkstatt-countdown", 1)[1].split("</p>", 1)[0]


def test_english_join_page_shows_localised_dates_not_iso(position):
    event = position.order.event
    with scopes_disabled():
        path = join_path(position)
    html = page_in("en", path, open_time(event))
    iso_day = event.date_from.astimezone(datetime.UTC).strftime("%Y-%m-")
    when = html.split("innowerkstatt-join-when", 1)[1].split("</p>", 1)[0]
    assert iso_day not in when
    assert str(event.date_from.year) in when and "(Europe/Berlin" in when


def test_meeting_join_url_is_not_marked_optional_on_the_video_conference_page(admin_client, configured_event):
    html = admin_client.get(VIDEO_PAGE).content.decode()
    label = re.search(r'<label[^>]*for="id_join_url"[^>]*>.*?</label>', html, re.S).group(0)
    assert "optional" not in label.lower()
    assert not re.search(r'<input[^>]*name="join_url"[^>]*required', html)


def test_test_join_opens_the_meeting_in_a_new_tab(admin_client, configured_event):
    html = admin_client.get(VIDEO_PAGE + "test/").content.decode()
    form = re.search(r'<form[^>]*>(?:(?!</form>).)*id="innowerkstatt-test-join"', html, re.S).group(0)
    opening = form.split(">", 1)[0]
    assert 'target="_blank"' in opening and 'rel="noopener"' in opening
