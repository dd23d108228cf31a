"""Placeholders in mail texts, the email filter's idempotency, calendars, series."""

from decimal import Decimal

import icalendar
import pytest
from django.core import mail as djmail
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.formats import date_format
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString
from pretix.base.email import get_email_context
from pretix.base.models import Order

from pretix_innowerkstatt.core.mail_calendar import events_of, rewrite_calendar_attachments
from pretix_innowerkstatt.videolinks.domain.attendees import for_order
from pretix_innowerkstatt.videolinks.domain.links import join_secret, join_url
from pretix_innowerkstatt.videolinks.interfaces.mail import calendar_transform, filter_message

from .conftest import MEETING_URL, make_order, mark_paid, place_order


@pytest.mark.django_db
def test_join_link_is_each_attendees_own_and_labelled_in_order_mails(configured_event, item):
    order = make_order(configured_event, item, attendees=("Ada Lovelace", "Bob Builder"))
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
        order_ctx = get_email_context(event=configured_event, order=order)
        ada_ctx = get_email_context(event=configured_event, order=order, position=ada)
        assert str(order_ctx["join_link"]) == f"Ada Lovelace: {join_url(ada)}\nBob Builder: {join_url(bob)}"
        assert str(ada_ctx["join_link"]) == join_url(ada)
        assert join_secret(ada) in ada_ctx["join_details"].plain
        assert join_secret(bob) not in ada_ctx["join_details"].plain + ada_ctx["join_details"].html
        assert join_secret(ada) in ada_ctx["join_button"].plain
        html = ada_ctx["join_button"].html
        assert 'class="button"' in html and join_url(ada) in html
        assert join_secret(ada) in order_ctx["join_button"].html and join_secret(bob) in order_ctx["join_button"].html
        assert MEETING_URL not in order_ctx["join_details"].plain + order_ctx["join_details"].html


@pytest.mark.django_db
def test_placeholders_are_empty_without_access(configured_event, item):
    order = make_order(configured_event, item, status=Order.STATUS_PENDING, total=Decimal("10.00"))
    with scopes_disabled():
        ctx = get_email_context(event=configured_event, order=order, position=order.positions.get())
        assert str(ctx["join_link"]) == ""
        assert ctx["join_details"].plain == ctx["join_details"].html == ""
        assert ctx["join_button"].plain == ctx["join_button"].html == ""


@pytest.mark.django_db
def test_placeholders_are_offered_with_samples_in_pretix_mail_settings(admin_client, configured_event):
    page = admin_client.get("/control/event/innovationsbuero/innowerkstatt/settings/email").content.decode()
    for name in ("{join_link}", "{join_button}", "{join_details}"):
        assert name in page


@pytest.mark.django_db
def test_text_with_a_join_placeholder_gets_no_second_block(configured_event, item):
    with scopes_disabled():
        organizer = configured_event.organizer
        organizer.enable_plugin("pretix.plugins.banktransfer")
        organizer.save()
        paid_item = configured_event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        configured_event.quotas.first().items.add(paid_item)
        configured_event.settings.mail_text_order_paid = LazyI18nString(
            {"en": "Thanks! Your way in: {join_link}", "de": "Danke! Ihr Zugang: {join_link}"}
        )
    order = place_order(configured_event, paid_item, [("Ada Lovelace", None)])
    djmail.outbox.clear()
    mark_paid(order)
    [message] = djmail.outbox
    with scopes_disabled():
        secret = join_secret(order.positions.get())
    assert message.body.count(secret) == 1
    assert "Your way in: http://example.com/" in message.body
    assert "Video conference – Ada Lovelace" not in message.body


def _mail_with_calendar(order, event, position=None):
    from pretix.base.models import OutgoingMail
    from pretix.presale.ical import get_private_icals

    message = EmailMultiAlternatives("s", "Hello\r\n\r\n-- \r\nfooter", to=["a@example.org"])
    message.attach_alternative("<html><body><p>Hello</p></body></html>", "text/html")
    positions = [position] if position else list(order.positions.all())
    for cal in get_private_icals(event, positions):
        message.attach("invite.ics", cal.serialize(), "text/calendar")
    outgoing = OutgoingMail(
        order=order, orderposition=position, event=event, should_attach_tickets=True, should_attach_ical=True
    )
    return message, outgoing


@pytest.mark.django_db
def test_email_filter_is_idempotent(configured_event, item):
    order = make_order(configured_event, item, attendees=("Ada", "Bob"))
    with scopes_disabled():
        message, outgoing = _mail_with_calendar(order, configured_event)
        filter_message(message, configured_event, order, outgoing)
        once = (message.body, message.alternatives[0][0], message.attachments[0][1])
        filter_message(message, configured_event, order, outgoing)
        assert (message.body, message.alternatives[0][0], message.attachments[0][1]) == once
        [vevent] = events_of(icalendar.Calendar.from_ical(message.attachments[0][1]))
        assert len(vevent["CONFERENCE"]) == 2
        assert '<body><p>Hello</p><div class="innowerkstatt-join-block">' in message.alternatives[0][0]


@pytest.mark.django_db
def test_calendar_result_does_not_depend_on_the_order_of_filters(configured_event, item):
    """Another capability appends its own lines to DESCRIPTION (the agenda): either order, same file."""
    order = make_order(configured_event, item)

    def agenda(calendar):
        for vevent in events_of(calendar):
            if "18:00 Begrüßung" not in str(vevent.get("DESCRIPTION", "")):
                vevent["DESCRIPTION"] = str(vevent.get("DESCRIPTION", "")) + "\n\n18:00 Begrüßung"

    with scopes_disabled():
        join = calendar_transform(configured_event, for_order(configured_event, order))
        results = []
        for first, second in ((agenda, join), (join, agenda)):
            message, _outgoing = _mail_with_calendar(order, configured_event)
            rewrite_calendar_attachments(message, first)
            rewrite_calendar_attachments(message, second)
            vevent = events_of(icalendar.Calendar.from_ical(message.attachments[0][1]))[0]
            results.append((str(vevent["DESCRIPTION"]), str(vevent["LOCATION"]), str(vevent["CONFERENCE"])))
        assert results[0] == results[1]
        assert "18:00 Begrüßung" in results[0][0] and "/innowerkstatt/join/" in results[0][0]


@pytest.mark.django_db
def test_series_each_date_gets_its_own_time_and_calendar_entry(configured_event, item, series_dates):
    q2, q3 = series_dates
    order = make_order(configured_event, item, attendees=("Ada",), subevent=q2)
    with scopes_disabled():
        from pretix.base.models import OrderPosition

        OrderPosition.objects.create(
            order=order, item=item, subevent=q3, price=0, positionid=2, attendee_name_parts={"_legacy": "Ada Q3"}
        )
        ada_q2, ada_q3 = order.positions.order_by("positionid")
        ctx = get_email_context(event=configured_event, order=order, position=ada_q3, event_or_subevent=q3)
        details = ctx["join_details"].plain
        with translation.override("en"):  # the mail's language, in its own date format
            q3_day = date_format(q3.date_from.astimezone(configured_event.timezone), "DATE_FORMAT")
        assert q3_day in details and join_secret(ada_q3) in details and join_secret(ada_q2) not in details
        message, outgoing = _mail_with_calendar(order, configured_event)
        filter_message(message, configured_event, order, outgoing)
        by_uid = {}
        for _name, content, _mimetype in message.attachments:
            for vevent in events_of(icalendar.Calendar.from_ical(content)):
                by_uid[str(vevent["UID"]).split("@")[0]] = str(vevent["LOCATION"])
        assert by_uid[f"pretix-innovationsbuero-innowerkstatt-{q2.pk}"] == join_url(ada_q2)
        assert by_uid[f"pretix-innovationsbuero-innowerkstatt-{q3.pk}"] == join_url(ada_q3)
