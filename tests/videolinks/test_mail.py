"""Real orders, placed and paid through pretix's services: who gets which link in which mail."""

from decimal import Decimal

import icalendar
import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled

from pretix_innowerkstatt.videolinks.domain.links import join_secret, join_url

from .conftest import MEETING_URL, mark_paid, place_order


@pytest.fixture
def paid_item(configured_event):
    with scopes_disabled():
        organizer = configured_event.organizer
        organizer.enable_plugin("pretix.plugins.banktransfer")
        organizer.save()
        item = configured_event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        configured_event.quotas.first().items.add(item)
        configured_event.settings.mail_send_order_paid_attendee = True
        configured_event.settings.mail_attach_ical = True
        configured_event.settings.attendee_emails_asked = True
        return item


def _mails_to(address):
    return [m for m in djmail.outbox if address in m.to]


def _html_of(message):
    """pretix's HTML part (multipart/related, text/html first), decoded."""
    return message.alternatives[0][0].get_payload()[0].get_payload(decode=True).decode()


def _ics_of(message):
    return [icalendar.Calendar.from_ical(c) for name, c, mimetype in message.attachments if "calendar" in mimetype]


@pytest.mark.django_db
def test_pending_order_mail_has_no_link_paid_confirmations_have_each_attendees_own(configured_event, paid_item):
    djmail.outbox.clear()
    order = place_order(
        configured_event, paid_item, [("Ada Lovelace", "ada@example.org"), ("Bob Builder", "bob@example.org")]
    )
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
        ada_secret, bob_secret = join_secret(ada), join_secret(bob)
    placed = _mails_to("buyer@example.org")
    assert len(placed) == 1
    assert ada_secret not in placed[0].body and bob_secret not in placed[0].body
    assert "/innowerkstatt/join/" not in placed[0].body

    djmail.outbox.clear()
    mark_paid(order)
    buyer = _mails_to("buyer@example.org")
    assert len(buyer) == 1
    assert ada_secret in buyer[0].body and bob_secret in buyer[0].body
    assert "Ada Lovelace" in buyer[0].body
    html = _html_of(buyer[0])
    assert ada_secret in html and bob_secret in html
    # In pretix's text box, after the text and before the order details, not in an Outlook-only comment.
    block_at = html.index("innowerkstatt-join-block")
    assert html.index("we successfully received your payment") < block_at < html.index('class="order containertd"')
    assert html.rfind("<!--", 0, block_at) < html.rfind("-->", 0, block_at)
    [ada_mail] = _mails_to("ada@example.org")
    [bob_mail] = _mails_to("bob@example.org")
    assert ada_secret in ada_mail.body and bob_secret not in ada_mail.body
    assert bob_secret in bob_mail.body and ada_secret not in bob_mail.body
    for message in (buyer[0], ada_mail, bob_mail):
        assert MEETING_URL not in message.body
        assert MEETING_URL not in _html_of(message)
        assert all(MEETING_URL not in c.to_ical().decode() for c in _ics_of(message))

    # Calendar: this attendee's link in LOCATION, DESCRIPTION and a CONFERENCE property; pretix's UID kept.
    [calendar] = _ics_of(ada_mail)
    [vevent] = calendar.walk("VEVENT")
    with scopes_disabled():
        ada_link = join_url(ada)
    assert str(vevent["LOCATION"]) == ada_link
    assert ada_link in str(vevent["DESCRIPTION"])
    assert bob_secret not in calendar.to_ical().decode()
    conference = vevent["CONFERENCE"]
    assert str(conference) == ada_link
    assert conference.params["VALUE"] == "URI"
    assert "AUDIO" in conference.params["FEATURE"] and "VIDEO" in conference.params["FEATURE"]
    assert str(vevent["UID"]).startswith("pretix-innovationsbuero-innowerkstatt-0@")


@pytest.mark.django_db
def test_calendar_parses_with_other_libraries(configured_event, paid_item):
    import recurring_ical_events
    import vobject

    order = place_order(configured_event, paid_item, [("Ada Lovelace", "ada@example.org")])
    djmail.outbox.clear()
    mark_paid(order)
    [ada_mail] = _mails_to("ada@example.org")
    content = next(c for n, c, m in ada_mail.attachments if "calendar" in m)
    parsed = vobject.readOne(content)
    assert "/innowerkstatt/join/" in parsed.vevent.location.value
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(content)).between(
        configured_event.date_from.replace(hour=0), configured_event.date_to.replace(hour=23)
    )
    assert len(events) == 1


@pytest.mark.django_db
def test_order_page_shows_the_panel_only_once_paid(configured_event, paid_item):
    import datetime

    from django.test import Client
    from freezegun import freeze_time

    order = place_order(configured_event, paid_item, [("Ada Lovelace", "ada@example.org")])
    page = f"/innovationsbuero/innowerkstatt/order/{order.code}/{order.secret}/"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with freeze_time(configured_event.date_from - datetime.timedelta(minutes=5)):
        assert "/innowerkstatt/join/" not in client.get(page).content.decode()
        mark_paid(order)
        html = client.get(page).content.decode()
    with scopes_disabled():
        assert join_secret(order.positions.get()) in html
    assert MEETING_URL not in html


@pytest.mark.django_db
def test_scheduled_reminders_carry_each_attendees_own_link(configured_event, paid_item):
    from pretix.plugins.sendmail.models import ScheduledMail

    from pretix_innowerkstatt.videolinks.domain.reminders import create_reminder_rules

    paid = place_order(
        configured_event, paid_item, [("Ada Lovelace", "ada@example.org"), ("Bob Builder", "bob@example.org")]
    )
    mark_paid(paid)
    pending = place_order(configured_event, paid_item, [("Pat Pending", "pat@example.org")], email="pat@example.org")
    with scopes_disabled():
        ada, bob = paid.positions.order_by("positionid")
        rules = create_reminder_rules(configured_event)
        djmail.outbox.clear()
        scheduled = ScheduledMail.objects.get(rule=rules[0])
        scheduled.send()
    [ada_mail] = _mails_to("ada@example.org")
    [bob_mail] = _mails_to("bob@example.org")
    assert join_secret(ada) in ada_mail.body and join_secret(bob) not in ada_mail.body
    assert join_secret(bob) in bob_mail.body
    assert _mails_to("pat@example.org") == []  # pending: not among the rule's recipients
    with scopes_disabled():
        assert join_secret(pending.positions.get()) not in "".join(m.body for m in djmail.outbox)
    assert all(MEETING_URL not in m.body for m in djmail.outbox)


def _attendee_emails_asked(event):
    with scopes_disabled():
        event.settings.attendee_emails_asked = True


@pytest.mark.django_db
def test_free_order_confirmation_carries_each_attendees_own_link(configured_event, item):
    _attendee_emails_asked(configured_event)
    with scopes_disabled():
        configured_event.settings.mail_send_order_free_attendee = True
    djmail.outbox.clear()
    attendees = [("Ada Lovelace", "ada@example.org"), ("Bob Builder", "bob@example.org")]
    order = place_order(configured_event, item, attendees, provider="free")
    with scopes_disabled():
        order.refresh_from_db()
        assert order.status == order.STATUS_PAID
        ada, bob = order.positions.order_by("positionid")
        ada_secret, bob_secret = join_secret(ada), join_secret(bob)
    [buyer] = _mails_to("buyer@example.org")
    assert ada_secret in buyer.body and bob_secret in buyer.body
    [ada_mail] = _mails_to("ada@example.org")
    [bob_mail] = _mails_to("bob@example.org")
    assert ada_secret in ada_mail.body and bob_secret not in ada_mail.body
    assert bob_secret in bob_mail.body and ada_secret not in bob_mail.body
    assert all(MEETING_URL not in m.body for m in djmail.outbox)


@pytest.mark.django_db
def test_order_needing_approval_gets_the_link_only_with_pretix_approval(configured_event, item):
    from pretix.base.services.orders import approve_order

    _attendee_emails_asked(configured_event)
    with scopes_disabled():
        item.require_approval = True
        item.save()
        configured_event.settings.mail_send_order_approved_free_attendee = True
    djmail.outbox.clear()
    order = place_order(configured_event, item, [("Ada Lovelace", "ada@example.org")], provider="free")
    with scopes_disabled():
        order.refresh_from_db()
        assert (order.status, order.require_approval) == (order.STATUS_PENDING, True)
        secret = join_secret(order.positions.get())
    [received] = _mails_to("buyer@example.org")
    assert "approv" in received.body  # pretix's "received, awaiting approval" mail
    assert secret not in received.body and "/innowerkstatt/join/" not in received.body
    assert "/innowerkstatt/join/" not in _html_of(received)

    djmail.outbox.clear()
    with scopes_disabled():
        approve_order(order)
    [approved] = _mails_to("buyer@example.org")
    assert "approved" in approved.subject
    assert secret in approved.body and secret in _html_of(approved)
    [ada_mail] = _mails_to("ada@example.org")
    assert secret in ada_mail.body
    assert all(MEETING_URL not in m.body for m in djmail.outbox)
