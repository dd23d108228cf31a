"""Editions that are dates of an event series: announced when the date opens, however it opens, once per follower."""

import json

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.test import Client
from django.utils.timezone import now
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Team
from rest_framework.test import APIClient

from pretix_innowerkstatt.followers.domain import announcing, attribution, availability, tokens
from pretix_innowerkstatt.followers.models import Announcement, Attribution, Follower
from pretix_innowerkstatt.followers.signals import announce_dates_enabled_in_bulk
from pretix_innowerkstatt.formats.domain import creation
from tests.formats.conftest import JOIN_URL_SETTING, series  # noqa: F401  (the series fixture)
from tests.videolinks.conftest import place_order
from tests.videolinks.test_backend import date_edit_page, form_fields

from .conftest import make_format
from .helpers import announce_on_two_workers, confirmed

DATES = "/control/event/innovationsbuero/reihe/subevents/"
FOLLOWERS = ("a@example.org", "b@example.org")


@pytest.fixture
def live_series(series):  # noqa: F811  (the imported fixture)
    """The live series "reihe" with its template date (2 Dec 2026, agenda Begrüßung/Impuls/Ende)."""
    event, template_date, item = series
    with scopes_disabled():
        event.settings.set(JOIN_URL_SETTING, "https://meet.example.org/innowerkstatt")
        event.live = True
        event.save()
    return event, template_date


def date_format(organizer, live_series, **kwargs):
    event, template_date = live_series
    return make_format(
        organizer, event, mode="dates", template_subevent=template_date, slug="reihe", public=True, **kwargs
    )


@pytest.fixture
def offline_dates(organizer, live_series):
    """The format with two dates (24 Feb and 26 May 2027), created inactive; two confirmed followers."""
    fmt = date_format(organizer, live_series, count=2)
    with scopes_disabled():
        creation.create_editions(fmt)
        editions = list(fmt.editions.select_related("subevent", "event").order_by("rule_start"))
    assert [e.subevent.active for e in editions] == [False, False]
    confirmed(fmt, *FOLLOWERS)
    return editions


def later():
    """The time of pretix's next periodic run, when the date changes have settled."""
    return freeze_time(now() + availability.SETTLE * 2)


def mails_per_follower():
    return sorted((m.to[0], m.subject) for m in django_mail.outbox)


def activate_in_date_form(admin_client, subevent, active=True):
    page = date_edit_page(subevent)
    data = form_fields(admin_client.get(page).content.decode(), "form.form-horizontal")
    if active:
        data["active"] = "on"
    else:
        data.pop("active", None)
    response = admin_client.post(page, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.django_db
def test_a_date_activated_in_the_date_form_is_announced_with_its_name_time_agenda_and_shop_link(
    offline_dates, admin_client, django_capture_on_commit_callbacks
):
    first, second = offline_dates
    with django_capture_on_commit_callbacks(execute=True):
        activate_in_date_form(admin_client, first.subevent)
    assert mails_per_follower() == [
        ("a@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q1/2027"),
    ]
    body = django_mail.outbox[0].body
    assert "Innovation workshop Q1/2027" in body
    assert "Wednesday, Feb. 24, 2027, 18:00 – 20:00 (Europe/Berlin)" in body
    # the agenda of that date, copied from the template date
    assert body.index("Begrüßung") < body.index("Impuls") < body.index("Ende")
    assert f"/innovationsbuero/reihe/{first.subevent.pk}/?innowerkstatt_ref=" in body
    assert "/unsubscribe/" in body and django_mail.outbox[0].extra_headers["List-Unsubscribe-Post"]
    with scopes_disabled():
        assert Announcement.objects.filter(edition=first).count() == 2
        assert not Announcement.objects.filter(edition=second).exists()


@pytest.mark.django_db
def test_saving_an_active_date_again_or_deactivating_and_reactivating_it_sends_nothing_twice(
    offline_dates, admin_client, django_capture_on_commit_callbacks
):
    first, __ = offline_dates
    with django_capture_on_commit_callbacks(execute=True):
        activate_in_date_form(admin_client, first.subevent)
    assert len(django_mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        activate_in_date_form(admin_client, first.subevent)  # unchanged save
        activate_in_date_form(admin_client, first.subevent, active=False)
        activate_in_date_form(admin_client, first.subevent)
    with scopes_disabled():
        first.subevent.refresh_from_db()
        assert first.subevent.active
    assert len(django_mail.outbox) == 2


@pytest.mark.django_db
def test_a_date_activated_through_the_rest_api_is_announced_once(
    offline_dates, organizer, admin_user, django_capture_on_commit_callbacks
):
    first, __ = offline_dates
    with scopes_disabled():
        token = Team.objects.get(organizer=organizer).tokens.create(name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    url = f"/api/v1/organizers/{organizer.slug}/events/reihe/subevents/{first.subevent.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        for active in (True, False, True):
            response = client.patch(url, {"active": active}, format="json")
            assert response.status_code == 200, response.content
    assert sorted(m.to[0] for m in django_mail.outbox) == list(FOLLOWERS)


@pytest.mark.django_db
def test_dates_created_active_by_their_format_are_announced_one_mail_per_date(
    organizer, live_series, django_capture_on_commit_callbacks
):
    fmt = date_format(organizer, live_series, count=2, publish=True)
    confirmed(fmt, *FOLLOWERS)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        creation.create_editions(fmt)
    assert mails_per_follower() == [
        ("a@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("a@example.org", "Registration is open: Innovation workshop Q2/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q2/2027"),
    ]


@pytest.mark.django_db
def test_the_series_going_live_announces_its_active_dates_once_even_when_it_goes_live_again(
    organizer, live_series, admin_client, django_capture_on_commit_callbacks
):
    event, __ = live_series
    with scopes_disabled():
        event.live = False
        event.save()
    fmt = date_format(organizer, live_series, count=2, publish=True)
    confirmed(fmt, *FOLLOWERS)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        creation.create_editions(fmt)
        second = fmt.editions.order_by("rule_start").last().subevent
        second.active = False  # only the first date is open
        second.save()
    assert django_mail.outbox == []  # the series is offline: nothing is announced yet

    live_page = "/control/event/innovationsbuero/reihe/live/"
    with django_capture_on_commit_callbacks(execute=True):
        for live in ("true", "false", "true"):
            assert admin_client.post(live_page, {"live": live}).status_code == 302
    with scopes_disabled():
        event.refresh_from_db()
        assert event.live
    assert mails_per_follower() == [
        ("a@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q1/2027"),
    ]


@pytest.mark.django_db
def test_dates_enabled_with_the_bulk_action_are_announced_by_the_periodic_run_once(
    offline_dates, admin_client, django_capture_on_commit_callbacks
):
    first, second = offline_dates
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{DATES}bulk_action", {"action": "enable", "subevent": [first.subevent.pk, second.subevent.pk]}
        )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True), later():
        announce_dates_enabled_in_bulk(sender=None)
    assert len(django_mail.outbox) == 4
    assert len({(m.to[0], m.subject) for m in django_mail.outbox}) == 4
    with django_capture_on_commit_callbacks(execute=True), later():
        announce_dates_enabled_in_bulk(sender=None)
    assert len(django_mail.outbox) == 4


@pytest.mark.django_db
def test_a_date_activated_in_the_bulk_edit_form_is_announced_by_the_periodic_run(
    offline_dates, admin_client, django_capture_on_commit_callbacks
):
    first, second = offline_dates
    selection = {"subevent": [first.subevent.pk]}
    page = admin_client.post(f"{DATES}bulk_edit", selection)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "form.form-horizontal")
    data.update(selection, _bulk=["bulkeditactive"], **{"bulkedit-active": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DATES}bulk_edit", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        first.subevent.refresh_from_db()
        assert first.subevent.active
    with django_capture_on_commit_callbacks(execute=True), later():
        announce_dates_enabled_in_bulk(sender=None)
    assert mails_per_follower() == [
        ("a@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q1/2027"),
    ]


@pytest.mark.django_db
def test_an_active_date_of_an_offline_series_or_a_past_date_is_not_announced(
    offline_dates, django_capture_on_commit_callbacks
):
    first, __ = offline_dates
    with scopes_disabled():
        first.event.live = False
        first.event.save()
        first.subevent.active = True
        first.subevent.save()
        first.subevent.log_action("pretix.subevent.changed", data={"active": True})
        assert announcing.announce_edition(first) == 0
        first.event.live = True
        first.event.save()
        first.subevent.date_from = first.subevent.date_from.replace(year=2020)
        first.subevent.save()
        assert announcing.announce_edition(first) == 0
    assert django_mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_announcing_a_date_at_once_send_one_mail_per_follower(organizer, live_series):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent database connections (tests.settings_postgres)")
    fmt = date_format(organizer, live_series, count=1, publish=True)
    with scopes_disabled():
        creation.create_editions(fmt)
        edition = fmt.editions.select_related("format", "event", "subevent").get()
    django_mail.outbox.clear()
    confirmed(fmt, *[f"f{i}@example.org" for i in range(30)])
    results, errors = announce_on_two_workers(edition)
    assert errors == []
    assert sum(results) == 30
    assert len(django_mail.outbox) == 30 and len({m.to[0] for m in django_mail.outbox}) == 30


@pytest.mark.django_db
def test_the_periodic_run_looks_at_each_date_change_once(offline_dates):
    first, __ = offline_dates
    with scopes_disabled():
        first.subevent.active = True
        first.subevent.save()
        entry = first.subevent.log_action("pretix.subevent.changed", data={"active": True}, save=False)
        entry.save()
        with later():
            assert availability.announce_bulk_changes() == 1
            assert availability.announce_bulk_changes() == 0
        # a change that opens nothing (a new name) is no reason to announce
        first.subevent.log_action("pretix.subevent.changed", data={"name": {"en": "New"}, "active": False})
        with freeze_time(now() + availability.SETTLE * 4):
            assert availability.announce_bulk_changes() == 0


@pytest.fixture
def date_shop(offline_dates):
    """The first date open for sale (free), without an announcement."""
    first, second = offline_dates
    with scopes_disabled():
        for edition in (first, second):
            edition.subevent.active = True
            edition.subevent.presale_start = None
            edition.subevent.save()
            edition.subevent.subeventitem_set.update(price=0)
        item = first.event.items.get()
    return first, second, item


def buy_date(client, edition, item, email, *, follow_box: bool, ref: str | None = None):
    event, date = edition.event, edition.subevent
    base = f"/{event.organizer.slug}/{event.slug}/"
    front = client.get(f"{base}{date.pk}/" + (f"?innowerkstatt_ref={ref}" if ref else ""))
    assert front.status_code == 200
    assert "/innowerkstatt/formats/reihe/#follow" in front.content.decode()  # "Part of the series …; follow it"
    response = client.post(base + "cart/add", {f"item_{item.pk}": "1", "subevent": date.pk}, follow=True)
    assert response.status_code == 200
    response = client.get(base + "checkout/start", follow=True)
    assert 'name="innowerkstatt_follow"' in response.content.decode()
    data = {"email": email, "email_repeat": email}
    if follow_box:
        data["innowerkstatt_follow"] = "on"
    response = client.post(response.redirect_chain[-1][0], data, follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert "confirm" in confirm_url, response.content.decode()[:3000]
    response = client.post(confirm_url, {}, follow=True)
    assert "/order/" in response.redirect_chain[-1][0], response.redirect_chain


@pytest.mark.django_db
def test_a_date_page_links_to_the_format_and_its_checkout_offers_to_follow(date_shop, live_series):
    first, __, item = date_shop
    __, template_date = live_series
    other_date = Client().get(f"/innovationsbuero/reihe/{template_date.pk}/").content.decode()
    assert "/innowerkstatt/formats/reihe/#follow" not in other_date  # the template date is no edition
    buy_date(Client(), first, item, "buyer@example.org", follow_box=True)
    with scopes_disabled():
        follower = Follower.objects.get(email="buyer@example.org")
    assert (follower.format, follower.state, follower.source) == (first.format, "pending", "checkout")
    assert [m.to for m in django_mail.outbox if "/confirm/" in m.body] == [["buyer@example.org"]]


@pytest.mark.django_db
def test_an_order_is_counted_for_the_announced_date_only(date_shop):
    first, second, item = date_shop
    with scopes_disabled():
        follower = Follower.objects.get(email="a@example.org")
        announcement = Announcement.objects.create(edition=first, follower=follower)
    token = tokens.attribution_token(announcement.pk)
    buy_date(Client(), first, item, "a@example.org", follow_box=False, ref=token)
    with scopes_disabled():
        other = place_order(
            second.event, item, [("Ada", None)], email="a@example.org", provider="free", subevent=second.subevent
        )
        other.meta_info = json.dumps({attribution.META_KEY: token})
        other.save()
        assert attribution.attribute(other) is None  # the link announced another date
        (counted,) = Attribution.objects.all()
        assert (counted.edition, counted.announcement) == (first, announcement)
        assert counted.order.positions.get().subevent == first.subevent


@pytest.mark.django_db
def test_the_series_overview_card_shows_the_formats_followers(offline_dates, admin_client):
    page = admin_client.get("/control/event/innovationsbuero/reihe/innowerkstatt/")
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "has 2 confirmed followers (0 waiting for confirmation)" in text
    assert "This edition has been announced" not in text  # per date: on the followers page
    assert "/control/organizer/innovationsbuero/innowerkstatt/formats/reihe/followers/" in text


@pytest.mark.django_db
def test_followers_holding_a_ticket_for_the_date_are_not_told(date_shop, django_capture_on_commit_callbacks):
    first, second, item = date_shop  # both dates active, the series live, nothing announced yet
    place_order(first.event, item, [("Ada", None)], email="A@example.org", provider="free", subevent=first.subevent)
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        first.subevent.log_action("pretix.subevent.changed", data={"active": True})
        second.subevent.log_action("pretix.subevent.changed", data={"active": True})
    assert mails_per_follower() == [
        ("a@example.org", "Registration is open: Innovation workshop Q2/2027"),  # a holds a ticket for Q1 only
        ("b@example.org", "Registration is open: Innovation workshop Q1/2027"),
        ("b@example.org", "Registration is open: Innovation workshop Q2/2027"),
    ]
