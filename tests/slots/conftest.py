"""Slot fixtures: an event with an "Initiatives present" block and a slot product requiring approval."""

import datetime

import pytest
from django.utils.timezone import now
from django_scopes import scope, scopes_disabled
from pretix.base.models import CartPosition, Order, Question, QuestionAnswer

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.compat import perform_order
from pretix_innowerkstatt.slots.domain.setup import save_product
from pretix_innowerkstatt.slots.models import SlotProduct


@pytest.fixture
def block(event):
    """18:10–18:40: six slots of five minutes."""
    with scopes_disabled():
        return AgendaItem.objects.create(
            event=event,
            start=event.date_from + datetime.timedelta(minutes=10),
            end=event.date_from + datetime.timedelta(minutes=40),
            title={"de": "Initiativen stellen sich vor", "en": "Initiatives present"},
            kind=AgendaItem.KIND_PRESENTATION,
            position=1,
        )


@pytest.fixture
def slot_item(event):
    with scopes_disabled():
        return event.items.create(
            name={"de": "Initiative stellt sich vor (5 Minuten)", "en": "Initiative presents (5 minutes)"},
            default_price=0,
            admission=True,
            require_approval=True,
        )


@pytest.fixture
def questions(event, slot_item):
    with scopes_disabled():
        made = {}
        for identifier, text, kind in [
            ("INITIATIVE", "Name der Initiative", Question.TYPE_STRING),
            ("PROJECT", "Projekttitel", Question.TYPE_STRING),
            ("DESCRIPTION", "Kurzbeschreibung", Question.TYPE_TEXT),
            ("WEBSITE", "Website", Question.TYPE_STRING),
        ]:
            question = event.questions.create(question=text, identifier=identifier, type=kind, required=False)
            question.items.add(slot_item)
            made[identifier] = question
        return made


@pytest.fixture
def product(event, slot_item, block, questions):
    with scope(organizer=event.organizer):
        return save_product(
            SlotProduct(
                event=event,
                item=slot_item,
                block=block,
                slot_minutes=5,
                question_initiative=questions["INITIATIVE"],
                question_title=questions["PROJECT"],
                question_description=questions["DESCRIPTION"],
                question_website=questions["WEBSITE"],
            )
        ) and SlotProduct.objects.get(item=slot_item)


def apply(event, item, answers, *, name="Jana Beispiel", email="jana@kiezretter.example", locale="en"):
    """An application placed through pretix's order service; returns the order (pending approval).

    ``answers``: ``{question identifier: text}``.
    """
    cart_id = f"cart-{now().timestamp()}"
    with scope(organizer=event.organizer):
        position = CartPosition.objects.create(
            event=event,
            item=item,
            price=item.default_price,
            expires=now() + datetime.timedelta(minutes=10),
            cart_id=cart_id,
            attendee_name_parts={"_scheme": "full", "full_name": name},
            attendee_email=email,
        )
        for identifier, text in answers.items():
            QuestionAnswer.objects.create(
                cartposition=position, question=event.questions.get(identifier=identifier), answer=text
            )
        payment = {"id": "p1", "provider": "free", "max_value": None, "min_value": None, "info_data": {}}
        perform_order(event, [payment], [position.id], email, locale, cart_id=cart_id)
        return Order.objects.filter(event=event).order_by("-pk").first()


KIEZRETTER = {
    "INITIATIVE": "Kiezretter",
    "PROJECT": "Nachbarschaftshilfe-App",
    "DESCRIPTION": "Wir verbinden <b>ältere</b> Menschen mit Helfenden aus der Nachbarschaft.",
    "WEBSITE": "https://kiezretter.example/",
}


def answers_for(initiative, project="Projekt"):
    return {"INITIATIVE": initiative, "PROJECT": project, "DESCRIPTION": "Kurz erklärt.", "WEBSITE": ""}
