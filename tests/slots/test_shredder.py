"""pretix's data shredder removes presenters that came from orders, never those already in the directory."""

import pytest
from django.db import transaction
from django_scopes import scope
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.agenda.models import AgendaItem, Speaker
from pretix_innowerkstatt.slots.interfaces.shredder import PresenterShredder

from .conftest import answers_for, apply


@pytest.mark.django_db
def test_shredding_removes_presenters_from_orders_and_keeps_known_speakers(event, product):
    with scope(organizer=event.organizer):
        known = Speaker.objects.create(organizer=event.organizer, name="Bekannt", email="known@example.org")
    for email in ("new@example.org", "known@example.org"):
        order = apply(event, product.item, answers_for(email), email=email)
        with scope(organizer=event.organizer):
            approve_order(order, send_mail=False)
    shredder = PresenterShredder(event)
    [(name, mimetype, content)] = list(shredder.generate_files())
    assert "new@example.org" in content and "known@example.org" not in content
    shredder.shred_data()
    with scope(organizer=event.organizer):
        assert list(Speaker.objects.filter(organizer=event.organizer)) == [known]
        # the presentations stay on the agenda, without the shredded person
        assert AgendaItem.objects.filter(event=event, per_edition=True).count() == 2


@pytest.mark.django_db
def test_deleting_a_test_mode_order_removes_its_presentation_and_presenter(event, product):
    order = apply(event, product.item, answers_for("Testinitiative"), email="test@example.org")
    with scope(organizer=event.organizer):
        approve_order(order, send_mail=False)
        assert AgendaItem.objects.filter(event=event, per_edition=True).exists()
        order.testmode = True
        order.save(update_fields=["testmode"])
        with transaction.atomic():
            order.gracefully_delete()
        assert not AgendaItem.objects.filter(event=event, per_edition=True).exists()
        assert not Speaker.objects.filter(email="test@example.org").exists()
