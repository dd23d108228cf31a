"""The "Send updated access information" mailing: once per ticket and version, with progress."""

import datetime

import pytest
from django.core import mail as djmail
from django.utils import translation
from django_scopes import scopes_disabled
from pretix.base.models import LogEntry

from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_secret
from pretix_innowerkstatt.videolinks.domain.presentation import date_and_time
from pretix_innowerkstatt.videolinks.models import AccessUpdateNotification
from pretix_innowerkstatt.videolinks.tasks import send_access_update_task

from .conftest import MEETING_URL, make_order

NOTIFY = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/notify/"


@pytest.fixture
def no_calendar(configured_event):
    with scopes_disabled():
        configured_event.settings.mail_attach_ical = False
    return configured_event


def recipients():
    return sorted(m.to[0] for m in djmail.outbox)


def notify(admin_client):
    djmail.outbox.clear()
    return admin_client.post(NOTIFY, follow=True).content.decode()


@pytest.mark.django_db
def test_updated_access_information_reaches_each_attendee_exactly_once(admin_client, no_calendar, item):
    make_order(no_calendar, item, attendees=("Ada", "Bob"), emails=["ada@example.org", "bob@example.org"])
    make_order(no_calendar, item, status="c", attendees=("Cancelled",), emails=["gone@example.org"])
    page = notify(admin_client)
    assert "has been sent: 2 emails for 2 tickets (0 tickets had it already)" in page
    assert recipients() == ["ada@example.org", "bob@example.org"]
    assert all("/innowerkstatt/join/" in m.body and MEETING_URL not in m.body for m in djmail.outbox)

    # Triggered a second time: nobody gets a second mail.
    assert "0 emails for 0 tickets (2 tickets had it already)" in notify(admin_client)
    assert djmail.outbox == []

    with scopes_disabled():
        configure_event(no_calendar, url="https://meet.example.org/new-room")
    notify(admin_client)
    assert recipients() == ["ada@example.org", "bob@example.org"]
    with scopes_disabled():
        assert AccessUpdateNotification.objects.count() == 4
        assert LogEntry.objects.filter(action_type="pretix_innowerkstatt.videolinks.access_update.sent").count() == 3
        assert LogEntry.objects.filter(action_type="pretix_innowerkstatt.videolinks.access_update.email").count() == 4


@pytest.mark.django_db
def test_a_new_event_time_reaches_each_attendee_once_more(admin_client, no_calendar, item):
    make_order(no_calendar, item, attendees=("Ada", "Bob"), emails=["ada@example.org", "bob@example.org"])
    notify(admin_client)
    assert recipients() == ["ada@example.org", "bob@example.org"]

    with scopes_disabled():
        no_calendar.date_from += datetime.timedelta(days=1, hours=1)
        no_calendar.date_to += datetime.timedelta(days=1, hours=1)
        no_calendar.save()
        with translation.override("en"):  # the orders' language; mails give the language's own format
            new_start = date_and_time(no_calendar.date_from.astimezone(no_calendar.timezone))
    notify(admin_client)
    assert recipients() == ["ada@example.org", "bob@example.org"]
    assert all(new_start in m.body for m in djmail.outbox)

    notify(admin_client)  # nothing changed since
    assert djmail.outbox == []


@pytest.mark.django_db
def test_tickets_without_attendee_email_reach_the_buyer_in_one_mail_per_order(admin_client, no_calendar, item):
    order = make_order(
        no_calendar, item, attendees=("Ada", "Carl", "Dora"), emails=["ada@example.org", None, None], code="MIXED"
    )
    other = make_order(no_calendar, item, attendees=("Eve",), email="eve-buyer@example.org")
    with scopes_disabled():
        ada, carl, dora = order.positions.order_by("positionid")
        eve = other.positions.get()
    page = notify(admin_client)
    assert "3 emails for 4 tickets" in page
    assert recipients() == ["ada@example.org", "buyer@example.org", "eve-buyer@example.org"]
    [to_buyer] = [m for m in djmail.outbox if m.to == ["buyer@example.org"]]
    # Carl's and Dora's details, labelled; Ada has her own mail, Eve is another order.
    assert join_secret(carl) in to_buyer.body and join_secret(dora) in to_buyer.body
    assert "Carl" in to_buyer.body and "Dora" in to_buyer.body
    assert join_secret(ada) not in to_buyer.body and join_secret(eve) not in to_buyer.body
    [to_ada] = [m for m in djmail.outbox if m.to == ["ada@example.org"]]
    assert join_secret(ada) in to_ada.body and join_secret(carl) not in to_ada.body
    with scopes_disabled():
        assert AccessUpdateNotification.objects.filter(position__in=[carl, dora]).count() == 2
    log = admin_client.get(f"/control/event/innovationsbuero/innowerkstatt/orders/{order.code}/").content.decode()
    assert "sent to the buyer for the tickets without their own email address" in log

    assert "0 emails for 0 tickets (4 tickets had it already)" in notify(admin_client)
    assert djmail.outbox == []


@pytest.mark.django_db
def test_background_task_reports_increasing_progress(admin_client, no_calendar, item, monkeypatch):
    """pretix's waiting page polls the task's PROGRESS state; 45 mails: after 20, 40 and 45."""
    make_order(
        no_calendar, item, attendees=[f"A{i}" for i in range(45)], emails=[f"a{i}@example.org" for i in range(45)]
    )
    states = []
    monkeypatch.setattr(send_access_update_task, "update_state", lambda **kwargs: states.append(kwargs))
    notify(admin_client)
    assert len(djmail.outbox) == 45
    assert {s["state"] for s in states} == {"PROGRESS"}
    values = [s["meta"]["value"] for s in states]
    assert values == sorted(values) and len(set(values)) == len(values) == 3
    assert values[-1] == 100


@pytest.mark.django_db
def test_a_concurrent_run_sends_nothing_twice(no_calendar, item, monkeypatch):
    from pretix_innowerkstatt.videolinks.domain import notifications

    make_order(no_calendar, item, attendees=("Ada", "Carl"), emails=["ada@example.org", None])
    with scopes_disabled():
        stale = notifications.pending_mailings(no_calendar)  # read before the other run sent
        assert notifications.send_access_update(no_calendar)["mails"] == 2
        djmail.outbox.clear()
        monkeypatch.setattr(notifications, "pending_mailings", lambda event: stale)
        result = notifications.send_access_update(no_calendar)
    assert djmail.outbox == []
    assert result == {"sent": 0, "skipped": 2, "mails": 0}
