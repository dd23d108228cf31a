"""The shop refuses applications the agenda could not take: field messages and a last check.

``field_overrides`` adds validators to the slot questions of the question step, so a wrong
answer gets its message right at the field; ``check_positions`` runs again when the order is
placed (``validate_order``: also answers given some other way), and refuses an empty name, which a
field validator never sees when the question is optional.
"""

from django.core.exceptions import ValidationError
from pretix.base.services.orders import OrderError

from ..domain.answers import application_errors, field_errors, position_answers, question_ids
from ..models import SlotProduct


def _validator(name):
    def validate(value):
        errors = field_errors(name, value)
        if errors:
            raise ValidationError(errors)

    return validate


def field_overrides(event, position) -> dict:
    product = SlotProduct.objects.filter(item_id=position.item_id, event=event).select_related(
        "question_initiative", "question_title", "question_description", "question_website"
    )
    product = product.first()
    if product is None:
        return {}
    overrides = {}
    for name in question_ids(product):
        question = getattr(product, f"question_{name}")
        overrides[question.identifier] = {"validators": [_validator(name)]}
    return overrides


def check_positions(event, positions) -> None:
    """Raise ``OrderError`` with every message when a slot position's answers would be refused."""
    products = {p.item_id: p for p in SlotProduct.objects.filter(event=event)}
    if not products:
        return
    for position in positions:
        product = products.get(position.item_id)
        if product is None:
            continue
        errors = application_errors(product, position_answers(position))
        if errors:
            raise OrderError(" ".join(str(e) for e in errors))
