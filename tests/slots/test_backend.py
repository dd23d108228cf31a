"""The Presentation slots page: setting up a product, the quota in step, notices, placing by hand."""

import datetime

import pytest
from django_scopes import scope, scopes_disabled
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.agenda.domain.editing import save_item
from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.slots.models import PresentationSlot, SlotProduct

from ..conftest import login
from .conftest import answers_for, apply

URL = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/slots/"
DASHBOARD = "/control/event/innovationsbuero/innowerkstatt/"


def form_data(slot_item, block, questions, **changes):
    data = {
        "item": slot_item.pk,
        "block": block.pk,
        "slot_minutes": 5,
        "placement": "approval",
        "on_cancel": "gap",
        "question_initiative": questions["INITIATIVE"].pk,
        "question_title": questions["PROJECT"].pk,
        "question_description": questions["DESCRIPTION"].pk,
        "question_website": questions["WEBSITE"].pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_making_a_product_a_slot_product_sets_its_quota_and_the_approval_text(
    client, admin_user, event, slot_item, block, questions
):
    login(client, admin_user)
    response = client.post(URL + "add/", form_data(slot_item, block, questions), follow=True)
    page = response.content.decode()
    assert "The quota “Presentation slots: " in page and "now has 6 places" in page
    with scopes_disabled():
        product = SlotProduct.objects.get(item=slot_item)
        assert (product.block, product.slot_minutes, product.question_website) == (block, 5, questions["WEBSITE"])
        [quota] = slot_item.quotas.all()
        assert quota.size == 6
        assert "{presentation_slot}" in event.settings.mail_text_order_approved.localize("en")
        assert "{presentation_slot}" in event.settings.mail_text_order_approved_free.localize("de")
        assert event.logentry_set.filter(action_type="pretix_innowerkstatt.slots.product.saved").exists()
    assert "6 slots of 5 minutes fit into" in page
    assert "kept at 6 places, one per slot" in page


@pytest.mark.django_db
def test_the_settings_form_shows_what_is_stored_and_changes_only_what_was_changed(client, admin_user, product):
    login(client, admin_user)
    page = client.get(URL + f"{product.pk}/").content.decode()
    assert f'<option value="{product.block.pk}" selected>' in page
    assert 'name="slot_minutes" value="5"' in page
    data = form_data(
        product.item,
        product.block,
        {
            "INITIATIVE": product.question_initiative,
            "PROJECT": product.question_title,
            "DESCRIPTION": product.question_description,
            "WEBSITE": product.question_website,
        },
        slot_minutes=10,
    )
    client.post(URL + f"{product.pk}/", data)
    with scopes_disabled():
        stored = SlotProduct.objects.get(pk=product.pk)
        assert stored.slot_minutes == 10
        assert (stored.block, stored.placement, stored.question_title) == (
            product.block,
            "approval",
            product.question_title,
        )
        assert product.item.quotas.get().size == 3


@pytest.mark.django_db
def test_the_same_question_twice_is_refused_and_nothing_is_stored(client, admin_user, slot_item, block, questions):
    login(client, admin_user)
    data = form_data(slot_item, block, questions, question_title=questions["INITIATIVE"].pk)
    response = client.post(URL + "add/", data)
    assert response.status_code == 200
    assert "Please choose a different question for each part of the application." in response.content.decode()
    with scopes_disabled():
        assert not SlotProduct.objects.exists()


@pytest.mark.django_db
def test_a_longer_block_means_more_slots_and_a_bigger_quota(event, product):
    with scope(organizer=event.organizer):
        block = AgendaItem.objects.get(pk=product.block_id)
        block.end += datetime.timedelta(minutes=10)
        save_item(block)
        assert product.item.quotas.get().size == 8


@pytest.mark.django_db
def test_a_product_without_approval_gets_a_notice_on_the_slots_page_and_the_dashboard(client, admin_user, product):
    product.item.require_approval = False
    product.item.save()
    login(client, admin_user)
    assert "This product does not require approval" in client.get(URL).content.decode()
    assert "does not require approval: every order would get a slot" in client.get(DASHBOARD).content.decode()
    product.item.require_approval = True
    product.item.save()
    assert "does not require approval" not in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_placing_by_hand_puts_a_waiting_presentation_in_the_chosen_slot(client, admin_user, event, product):
    product.placement = SlotProduct.PLACEMENT_MANUAL
    product.save()
    order = apply(event, product.item, answers_for("Dorfladen 2.0", "Genossenschaftlicher Dorfladen"))
    with scope(organizer=event.organizer):
        approve_order(order, send_mail=False)
        presentation = PresentationSlot.objects.get(position__order=order)
    assert presentation.agenda_item is None
    login(client, admin_user)
    page = client.get(URL).content.decode()
    assert "Waiting for a slot" in page and "Dorfladen 2.0: Genossenschaftlicher Dorfladen" in page
    assert "1 approved presentation waits for a slot." in client.get(DASHBOARD).content.decode()

    response = client.post(URL + "place/", {"presentation": presentation.pk, "slot": 2}, follow=True)
    assert "has been placed at 18:20–18:25" in response.content.decode()
    with scopes_disabled():
        presentation.refresh_from_db()
        item = presentation.agenda_item
        assert item.start == event.date_from + datetime.timedelta(minutes=20)
    # the slot is taken now: a second placement there is refused, nothing changes
    response = client.post(URL + "place/", {"presentation": presentation.pk, "slot": 2}, follow=True)
    assert "Please choose one of the free slots." in response.content.decode()


@pytest.mark.django_db
def test_read_only_user_cannot_open_the_slots_page(client, readonly_user, product):
    assert login(client, readonly_user).get(URL).status_code == 403


@pytest.mark.django_db
def test_a_question_not_asked_for_the_product_is_refused(client, admin_user, event, slot_item, block, questions):
    with scopes_disabled():
        elsewhere = event.questions.create(question="Lieblingsfarbe", identifier="COLOUR", type="S")
    login(client, admin_user)
    response = client.post(URL + "add/", form_data(slot_item, block, questions, question_website=elsewhere.pk))
    assert "This question is not asked for the chosen product." in response.content.decode()
    with scopes_disabled():
        assert not SlotProduct.objects.exists()
