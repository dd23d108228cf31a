"""The chosen group in confirmation and reminder mails, in the two placeholders and on the ticket."""

import pytest
from django.core import mail as djmail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope, scopes_disabled
from pretix.base.email import get_email_context
from pretix.base.pdf import get_variables
from pretix.base.services.placeholders import get_available_placeholders

from tests.videolinks.conftest import make_order, mark_paid, place_order

from .work_phase import GROUP_URLS, add_groups, add_member, add_work_phase, ticket_in

DESCRIPTION = "Wir sammeln **Ideen** für Vereine.<script>alert('x')</script>"


@pytest.fixture
def video_event(video_event):
    """The video event that mails each attendee their own ticket."""
    with scopes_disabled():
        video_event.settings.mail_send_order_paid_attendee = True
        video_event.settings.attendee_emails_asked = True
    return video_event


@pytest.fixture
def groups(video_event):
    groups = add_groups(add_work_phase(video_event))
    with scopes_disabled():
        groups[0].description = {"en": DESCRIPTION, "de": DESCRIPTION}
        groups[0].save()
    return groups


@pytest.fixture
def paid_item(video_event, item):
    from decimal import Decimal

    with scopes_disabled():
        video_event.organizer.enable_plugin("pretix.plugins.banktransfer")
        video_event.organizer.save()
        item = video_event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        video_event.quotas.first().items.add(item)
        return item


def html_of(message):
    return message.alternatives[0][0].get_payload()[0].get_payload(decode=True).decode()


@pytest.mark.django_db
def test_the_payment_confirmations_name_each_tickets_group_in_its_join_block(video_event, paid_item, groups):
    order = place_order(video_event, paid_item, [("Ada Lovelace", "ada@example.org"), ("Bob", "bob@example.org")])
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
    add_member(groups[0], ada)
    add_member(groups[1], bob)
    djmail.outbox.clear()
    mark_paid(order)
    [buyer] = [m for m in djmail.outbox if "buyer@example.org" in m.to]
    [ada_mail] = [m for m in djmail.outbox if "ada@example.org" in m.to]
    [bob_mail] = [m for m in djmail.outbox if "bob@example.org" in m.to]
    assert "Your group in the work phase: Challenge 1" in buyer.body
    assert "Your group in the work phase: Challenge 2" in buyer.body
    assert "Your group in the work phase: Challenge 1" in html_of(buyer)
    assert "Challenge 1" in ada_mail.body and "Challenge 2" not in ada_mail.body
    assert "Challenge 2" in bob_mail.body and "Challenge 1" not in bob_mail.body
    for message in (buyer, ada_mail, bob_mail):
        assert all(url not in message.body and url not in html_of(message) for url in GROUP_URLS)


@pytest.mark.django_db
def test_a_ticket_without_a_group_gets_no_group_line(video_event, paid_item, groups):
    order = place_order(video_event, paid_item, [("Ada Lovelace", "ada@example.org")])
    djmail.outbox.clear()
    mark_paid(order)
    assert djmail.outbox and all("work phase" not in m.body for m in djmail.outbox)


def context(event, order, position=None):
    """The mail placeholders as rendered in English, whatever language an earlier test left active."""
    with scope(organizer=event.organizer), translation.override("en"):
        if position is not None:
            return get_email_context(event=event, order=order, position=position)
        return get_email_context(event=event, order=order)


@pytest.mark.django_db
def test_placeholders_stand_for_the_tickets_group_and_its_sanitised_description(video_event, item, groups):
    order = make_order(video_event, item, attendees=("Ada Lovelace", "Bob", "Cy"))
    with scopes_disabled():
        ada, bob, cy = order.positions.order_by("positionid")
    add_member(groups[0], ada)
    add_member(groups[1], bob)
    for_ada = context(video_event, order, ada)
    assert for_ada["work_group"].plain == "Challenge 1" == for_ada["work_group"].html
    description = for_ada["work_group_description"]
    assert "<strong>Ideen</strong>" in description.html
    assert "<script" not in description.html
    assert "**Ideen**" in description.plain
    for_cy = context(video_event, order, cy)
    assert for_cy["work_group"].plain == for_cy["work_group_description"].html == ""
    # The order mail: one line per ticket with a group, each description headed by its group.
    for_order = context(video_event, order)
    assert for_order["work_group"].plain == "Ada Lovelace: Challenge 1\nBob: Challenge 2"
    assert for_order["work_group_description"].plain.startswith("Challenge 1\n")


@pytest.mark.django_db
def test_an_order_whose_tickets_share_a_group_names_it_once(video_event, item, groups):
    order = make_order(video_event, item, attendees=("Ada Lovelace", "Bob"))
    with scopes_disabled():
        for position in order.positions.all():
            add_member(groups[2], position)
    assert context(video_event, order)["work_group"].plain == "Challenge 3"


@pytest.mark.django_db
def test_reminders_join_details_name_the_group(video_event, item, groups):
    """pretix's scheduled reminders use {join_details}: the group comes with the join block."""
    ada = ticket_in(groups[0], item)
    details = context(video_event, ada.order, ada)["join_details"]
    assert "Your group in the work phase: Challenge 1" in details.plain
    assert "Your group in the work phase: Challenge 1" in details.html


@pytest.mark.django_db
def test_the_placeholders_are_offered_in_pretixs_mail_settings(video_event):
    with scope(organizer=video_event.organizer):
        available = get_available_placeholders(video_event, ["event", "order", "position"], rich=True)
    assert {"work_group", "work_group_description"} <= set(available)


@pytest.mark.django_db
def test_an_event_without_groups_pays_no_query_for_them(video_event, item):
    order = make_order(video_event, item, attendees=("Ada Lovelace",))
    with scopes_disabled():
        ada = order.positions.get()
    context(video_event, order, ada)  # the event's work-phase times are read once per process and minute
    with CaptureQueriesContext(connection) as queries:
        values = context(video_event, order, ada)
    assert values["work_group"].plain == ""
    assert not [q for q in queries.captured_queries if "workgroup" in q["sql"]]


@pytest.mark.django_db
def test_the_ticket_layout_variable_is_the_group_name(video_event, item, groups):
    order = make_order(video_event, item, attendees=("Ada Lovelace", "Bob"))
    with scopes_disabled():
        ada, bob = order.positions.order_by("positionid")
        add_member(groups[1], ada)
        variable = get_variables(video_event)["innowerkstatt_work_group"]
        assert variable["label"] and variable["editor_sample"]
        assert variable["evaluate"](ada, order, video_event) == "Challenge 2"
        assert variable["evaluate"](bob, order, video_event) == ""
        assert variable["evaluate_bulk"]([ada, bob]) == ["Challenge 2", ""]
