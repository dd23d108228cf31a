"""The approval mail in the order's language, the placeholder in pretix's mail settings, the overview card."""

import pytest
from django.core import mail as djmail
from django_scopes import scope
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.compat import text_placeholder_names

from ..conftest import login
from .conftest import KIEZRETTER, apply

OVERVIEW = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/"


@pytest.mark.django_db
def test_a_german_applicant_reads_the_slot_in_german(event, product):
    order = apply(event, product.item, KIEZRETTER, locale="de")
    djmail.outbox = []
    with scope(organizer=event.organizer):
        approve_order(order)
    [message] = [m for m in djmail.outbox if m.to == ["jana@kiezretter.example"]]
    assert "Ihr Slot: 18:10–18:15, Initiativen stellen sich vor" in message.body


@pytest.mark.django_db
def test_the_placeholder_is_offered_for_the_approval_mails(event, product):
    assert "presentation_slot" in text_placeholder_names(event, ["event", "order"])


@pytest.mark.django_db
def test_the_approval_text_the_organiser_changed_is_left_alone(event, slot_item, block, questions):
    from pretix_innowerkstatt.slots.domain.setup import save_product
    from pretix_innowerkstatt.slots.models import SlotProduct

    event.settings.mail_text_order_approved_free = "Hallo, Sie sind dabei. {event}"
    with scope(organizer=event.organizer):
        save_product(SlotProduct(event=event, item=slot_item, block=block))
    assert str(event.settings.mail_text_order_approved_free) == "Hallo, Sie sind dabei. {event}"
    assert "{presentation_slot}" in event.settings.mail_text_order_approved.localize("de")


@pytest.mark.django_db
def test_the_overview_card_counts_presentations_and_links_the_slots_page(client, admin_user, event, product):
    with scope(organizer=event.organizer):
        approve_order(apply(event, product.item, KIEZRETTER), send_mail=False)
    page = login(client, admin_user).get(OVERVIEW).content.decode()
    assert 'id="innowerkstatt-card-slots"' in page
    assert "1 presentation on the agenda" in page or "1 Vorstellung im Ablaufplan" in page
    assert "/innowerkstatt/slots/" in page
