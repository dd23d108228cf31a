"""An approved application becomes an agenda item with its presenter; cancelling removes it."""

import jsonschema
import pytest
from django.core import mail as djmail
from django_scopes import scope
from pretix.base.services.orders import approve_order, cancel_order

from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.slots.models import PresentationSlot

from ..agenda.interop_helpers import SCHEMA
from .conftest import KIEZRETTER, answers_for, apply

PAGE = "/innovationsbuero/innowerkstatt/"
SCHEDULE = "/innovationsbuero/innowerkstatt/innowerkstatt/schedule.json"
ICS = "/innovationsbuero/innowerkstatt/innowerkstatt/agenda.ics"


def approve(order):
    djmail.outbox = []
    with scope(organizer=order.event.organizer):
        approve_order(order)
        order.refresh_from_db()


def slot_items(event):
    with scope(organizer=event.organizer):
        return list(AgendaItem.objects.filter(event=event, per_edition=True).order_by("start"))


def talk_titles(document):
    return [
        talk["title"]
        for day in document["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for talk in talks
    ]


@pytest.mark.django_db
def test_approved_application_is_on_the_agenda_page_schedule_and_in_the_approval_mail(client, event, product):
    order = apply(event, product.item, KIEZRETTER)
    assert order.require_approval and not slot_items(event)

    approve(order)

    [item] = slot_items(event)
    assert str(item.title) == "Kiezretter: Nachbarschaftshilfe-App"
    assert item.start == product.block.start  # the first slot, 18:10–18:15
    assert (item.end - item.start).total_seconds() == 300
    assert "<b>" not in str(item.description) and "ältere Menschen" in str(item.description)
    assert "https://kiezretter.example/" in str(item.description)
    assert "Kiezretter: Nachbarschaftshilfe-App" in client.get(PAGE).content.decode()
    document = client.get(SCHEDULE).json()
    errors = list(jsonschema.Draft6Validator(SCHEMA).iter_errors(document))
    assert not errors, errors[:3]
    assert "Kiezretter: Nachbarschaftshilfe-App" in talk_titles(document)
    assert "Kiezretter: Nachbarschaftshilfe-App" in client.get(ICS).content.decode()
    [message] = [m for m in djmail.outbox if m.to == ["jana@kiezretter.example"]]
    assert "Your slot: 18:10–18:15, Initiatives present" in message.body

    with scope(organizer=event.organizer):
        cancel_order(order.pk)
    assert slot_items(event) == []
    assert "Kiezretter: Nachbarschaftshilfe-App" not in talk_titles(client.get(SCHEDULE).json())
    assert "Kiezretter" not in client.get(PAGE).content.decode()
    assert "Kiezretter" not in client.get(ICS).content.decode()


@pytest.mark.django_db
def test_the_presenter_is_a_new_speaker_marked_as_coming_from_the_order(event, product):
    order = apply(event, product.item, KIEZRETTER)
    approve(order)
    with scope(organizer=event.organizer):
        presentation = PresentationSlot.objects.get(position__order=order)
        speaker = presentation.speaker
        assert (speaker.name, speaker.email) == ("Jana Beispiel", "jana@kiezretter.example")
        assert presentation.speaker_from_order
        link = AgendaItemSpeaker.objects.get(item=presentation.agenda_item)
        assert (link.speaker, link.role) == (speaker, AgendaItemSpeaker.ROLE_PRESENTER)


@pytest.mark.django_db
def test_an_existing_speaker_with_the_same_email_is_linked_not_duplicated(event, product):
    with scope(organizer=event.organizer):
        known = Speaker.objects.create(organizer=event.organizer, name="Jana B.", email="JANA@kiezretter.example")
    order = apply(event, product.item, KIEZRETTER)
    approve(order)
    with scope(organizer=event.organizer):
        assert Speaker.objects.filter(organizer=event.organizer).count() == 1
        presentation = PresentationSlot.objects.get(position__order=order)
        assert presentation.speaker == known and not presentation.speaker_from_order
        cancel_order(order.pk)
        assert Speaker.objects.filter(pk=known.pk).exists()


@pytest.mark.django_db
def test_applications_fill_the_slots_in_order_of_approval(event, product):
    orders = [apply(event, product.item, answers_for(f"Initiative {n}"), email=f"p{n}@example.org") for n in range(3)]
    for order in reversed(orders):
        approve(order)
    starts = [(str(i.title), i.start) for i in slot_items(event)]
    block = product.block.start
    expected = ["Initiative 2: Projekt", "Initiative 1: Projekt", "Initiative 0: Projekt"]
    assert [title for title, _start in starts] == expected
    assert [(start - block).total_seconds() / 60 for _title, start in starts] == [0, 5, 10]


@pytest.mark.django_db
def test_a_full_block_leaves_the_order_approved_and_the_presentation_waiting(event, product):
    for n in range(6):
        approve(apply(event, product.item, answers_for(f"Initiative {n}"), email=f"p{n}@example.org"))
    with scope(organizer=event.organizer):
        product.item.quotas.update(size=10)  # more places than slots, as an organiser might set
    late = apply(event, product.item, answers_for("Zu spät"), email="late@example.org")
    approve(late)
    assert late.status == late.STATUS_PAID  # free: approved means confirmed
    assert len(slot_items(event)) == 6
    with scope(organizer=event.organizer):
        presentation = PresentationSlot.objects.get(position__order=late)
        assert presentation.agenda_item is None
        assert late.all_logentries().filter(action_type="pretix_innowerkstatt.slots.presentation.unplaced").exists()


@pytest.mark.django_db
def test_cancelling_leaves_a_gap_by_default(event, product):
    orders = [apply(event, product.item, answers_for(f"I{n}"), email=f"p{n}@example.org") for n in range(3)]
    for order in orders:
        approve(order)
    with scope(organizer=event.organizer):
        cancel_order(orders[0].pk)
    block = product.block.start
    assert [(i.start - block).total_seconds() / 60 for i in slot_items(event)] == [5, 10]


@pytest.mark.django_db
def test_cancelling_closes_up_when_the_organiser_chose_so_and_tells_the_moved_presenters(
    event, product, django_capture_on_commit_callbacks
):
    product.on_cancel = product.CANCEL_CLOSE_UP
    product.save()
    orders = [apply(event, product.item, answers_for(f"I{n}"), email=f"p{n}@example.org") for n in range(3)]
    for order in orders:
        approve(order)
    with scope(organizer=event.organizer):
        before = {i.pk: i.sequence for i in slot_items(event)}
        cancel_order(orders[0].pk)
    block = product.block.start
    remaining = slot_items(event)
    assert [(i.start - block).total_seconds() / 60 for i in remaining] == [0, 5]
    assert all(i.sequence > before[i.pk] for i in remaining)  # calendars update the entries
    assert event.logentry_set.filter(action_type="pretix_innowerkstatt.slots.presentation.closed_up").exists()


@pytest.mark.django_db
def test_cancelling_one_position_of_an_order_removes_only_its_presentation(event, product):
    from pretix.base.services.orders import OrderChangeManager

    first = apply(event, product.item, answers_for("Erste"), email="a@example.org")
    second = apply(event, product.item, answers_for("Zweite"), email="b@example.org")
    with scope(organizer=event.organizer):
        # an organiser merges the two applications into one order before approving it
        moved = second.positions.get()
        moved.order = first
        moved.positionid = 2
        moved.save()
        first.total = 0
        first.save()
    approve(first)
    assert len(slot_items(event)) == 2
    with scope(organizer=event.organizer):
        change = OrderChangeManager(first)
        change.cancel(first.positions.get(positionid=2))
        change.commit()
    assert [str(i.title) for i in slot_items(event)] == ["Erste: Projekt"]
