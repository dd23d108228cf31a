"""Editions that can be sold: no test mode copied, the preview says what editions will be like,
and "publish editions" in the formats list takes chosen editions live with pretix's go-live checks."""

import datetime
import zoneinfo

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.formats import logtypes
from pretix_innowerkstatt.formats.domain import creation, editing
from pretix_innowerkstatt.formats.models import Edition
from tests.conftest import login, team_member

from .conftest import REQUIRE_URL_SETTING, make_format

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2026, 11, 23, 9, tzinfo=BERLIN)
BASE = "/control/organizer/innovationsbuero/innowerkstatt/formats/"

pytestmark = pytest.mark.django_db


def create(fmt, **kwargs):
    with scopes_disabled():
        return creation.create_editions(fmt, now=NOW, **kwargs)


def editions(fmt):
    with scopes_disabled():
        return list(Edition.objects.filter(format=fmt).select_related("event", "subevent").order_by("rule_start"))


def test_an_edition_of_a_template_in_test_mode_is_not_in_test_mode(organizer, template):
    with scopes_disabled():
        template.testmode = True
        template.save()
    fmt = make_format(organizer, template, publish=True)
    create(fmt)
    with scopes_disabled():
        assert [(e.event.testmode, e.event.live) for e in editions(fmt)] == [(False, True)] * 4


def test_preview_says_editions_stay_offline_and_when_their_presale_starts(client, organizer, template, admin_user):
    make_format(organizer, template, publish=False, presale_start_days=60)
    login(client, admin_user)
    content = client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert "offline until you publish them" in content
    assert "not in test mode" in content
    assert "on sale from 60 days before each edition" in content
    # 24 February 2027 minus 60 days
    assert "On sale from Dec. 26, 2026" in content


def test_preview_says_why_editions_to_publish_would_stay_offline(client, organizer, template, admin_user):
    with scopes_disabled():
        template.settings.delete("innowerkstatt_video_join_url")
        template.settings.set(REQUIRE_URL_SETTING, True)
    make_format(organizer, template, publish=True, presale_start_days=None)
    login(client, admin_user)
    content = client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert "offline until you publish them" in content and "meeting URL" in content
    assert "on sale as soon as they are live" in content


def test_preview_says_editions_go_live_right_away_when_they_can(client, organizer, template, admin_user):
    make_format(organizer, template, publish=True)
    login(client, admin_user)
    content = client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert "live right away" in content


def test_publishing_takes_editions_live_and_reports_the_ones_pretix_refuses(organizer, template, admin_user):
    fmt = make_format(organizer, template)
    create(fmt)
    first, second, *rest = editions(fmt)
    with scopes_disabled():
        second.event.quotas.all().delete()  # pretix: "at least one quota to sell anything"
        result = editing.publish_editions([first, second], user=admin_user)
        first.event.refresh_from_db()
        second.event.refresh_from_db()
        assert first.event.live and not second.event.live
        assert [e.key for e in result.published] == [first.key]
        assert [(e.key, "quota" in why) for e, why in result.refused] == [(second.key, True)]
        assert LogEntry.objects.filter(event=first.event, action_type="pretix.event.live.activated").count() == 1
        line = LogEntry.objects.get(action_type=logtypes.EDITIONS_PUBLISHED)
        assert line.parsed_data["keys"] == [first.key]
        # publishing again changes nothing
        again = editing.publish_editions([first], user=admin_user)
        assert again.published == [] and [e.key for e in again.already] == [first.key]
        assert LogEntry.objects.filter(event=first.event, action_type="pretix.event.live.activated").count() == 1


def test_publishing_an_edition_in_test_mode_ends_its_test_mode(organizer, template, admin_user):
    fmt = make_format(organizer, template, count=1)
    create(fmt)
    (edition,) = editions(fmt)
    with scopes_disabled():
        edition.event.testmode = True
        edition.event.live = True
        edition.event.save()
        editing.publish_editions([edition], user=admin_user)
        edition.event.refresh_from_db()
        assert edition.event.live and not edition.event.testmode
        assert LogEntry.objects.filter(event=edition.event, action_type="pretix.event.testmode.deactivated").exists()


def test_publishing_needs_pretix_live_permission(organizer, template, admin_user):
    fmt = make_format(organizer, template, count=1)
    create(fmt)
    (edition,) = editions(fmt)
    user = team_member(
        organizer,
        "creator@innovationsbuero.example",
        name="Creators",
        all_events=True,
        limit_organizer_permissions={"organizer.events:create": True},
        limit_event_permissions={"event.orders:read": True},
    )
    with scopes_disabled():
        result = editing.publish_editions([edition], user=user)
        edition.event.refresh_from_db()
        assert not edition.event.live and result.published == [] and len(result.refused) == 1


def test_publishing_dates_activates_them(organizer, series, admin_user):
    event, date, _item = series
    with scopes_disabled():
        event.live = True
        event.save()
    fmt = make_format(organizer, event, mode="dates", template_subevent=date, slug_pattern="", publish=False)
    create(fmt)
    made = editions(fmt)
    with scopes_disabled():
        assert not any(e.subevent.active for e in made)
        result = editing.publish_editions(made, user=admin_user)
        assert len(result.published) == 4
        assert all(e.subevent.__class__.objects.get(pk=e.subevent_id).active for e in made)


def test_the_list_offers_unpublished_editions_and_publishes_the_chosen_ones(client, organizer, template, admin_user):
    fmt = make_format(organizer, template)
    create(fmt)
    first, second, third, fourth = editions(fmt)
    login(client, admin_user)
    content = client.get(BASE).content.decode()
    assert content.count('name="edition"') == 4
    with scopes_disabled():
        second.event.quotas.all().delete()
    response = client.post(BASE + "editions/publish/", {"edition": [first.pk, second.pk]}, follow=True)
    content = response.content.decode()
    assert "1 edition has been published." in content
    assert "could not be published" in content and "quota" in content
    with scopes_disabled():
        assert [Edition.objects.get(pk=e.pk).event.live for e in (first, second, third, fourth)] == [
            True,
            False,
            False,
            False,
        ]
    assert content.count('name="edition"') == 3


def test_publishing_ignores_editions_of_another_organiser(client, organizer, template, admin_user, foreign_user):
    fmt = make_format(organizer, template, count=1)
    create(fmt)
    (edition,) = editions(fmt)
    login(client, foreign_user)
    url = "/control/organizer/andere/innowerkstatt/formats/editions/publish/"
    response = client.post(url, {"edition": [edition.pk]})
    assert response.status_code in (302, 403, 404)
    with scopes_disabled():
        edition.event.refresh_from_db()
        assert not edition.event.live
