"""Bad answers are refused at checkout with clear messages: at the field, and again when ordering."""

import pytest
from django_scopes import scope, scopes_disabled
from pretix.base.models import CartPosition, Order
from pretix.base.services.orders import OrderError

from .conftest import KIEZRETTER, apply

SHOP = "/innovationsbuero/innowerkstatt/"


def questions_step(client, slot_item, answers, questions):
    """Put the slot product into the cart and answer the questions as a visitor would."""
    client.get(SHOP)
    client.post(SHOP + "cart/add", {f"item_{slot_item.pk}": "1"}, follow=True)
    with scopes_disabled():
        position = CartPosition.objects.get(item=slot_item)
    data = {
        "email": "jana@kiezretter.example",
        "email_repeat": "jana@kiezretter.example",
        f"{position.pk}-attendee_name_parts_0": "Jana Beispiel",
    }
    for identifier, text in answers.items():
        data[f"{position.pk}-question_{questions[identifier].pk}"] = text
    return client.post(SHOP + "checkout/questions/", data, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("WEBSITE", "javascript:alert(1)", "Please enter a web address that starts with https:// or http://."),
        ("DESCRIPTION", "x" * 50_000, "Please shorten this answer to at most 1000 characters (it has 50000)."),
        ("INITIATIVE", "y" * 500, "Please shorten this answer to at most 100 characters (it has 500)."),
    ],
)
def test_the_questions_step_refuses_a_bad_answer_at_its_field(client, event, product, questions, field, value, message):
    event.settings.locale = "en"
    event.settings.locales = ["en"]
    response = questions_step(client, product.item, {**KIEZRETTER, field: value}, questions)
    page = response.content.decode()
    assert message in page
    assert response.redirect_chain == [] or "questions" in response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_good_answers_pass_the_questions_step(client, event, product, questions):
    event.settings.locale = "en"
    event.settings.locales = ["en"]
    response = questions_step(client, product.item, KIEZRETTER, questions)
    assert "checkout/confirm" in response.redirect_chain[-1][0] or "checkout/payment" in response.redirect_chain[-1][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answers,message",
    [
        ({**KIEZRETTER, "INITIATIVE": "   "}, "Please enter the name of your initiative."),
        ({**KIEZRETTER, "INITIATIVE": "<b></b>"}, "Please enter the name of your initiative."),
        ({**KIEZRETTER, "WEBSITE": "javascript:alert(1)"}, "starts with https:// or http://"),
        ({**KIEZRETTER, "DESCRIPTION": "z" * 50_000}, "at most 1000 characters"),
    ],
)
def test_placing_the_order_refuses_bad_answers_and_creates_nothing(event, product, answers, message):
    with pytest.raises(OrderError) as refused:
        apply(event, product.item, answers)
    assert message in str(refused.value)
    with scope(organizer=event.organizer):
        assert not Order.objects.filter(event=event).exists()
