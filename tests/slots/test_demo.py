"""The demo: UpdateDeutschland's "Initiatives present" block filled by six approved applications."""

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda import demo as agenda_demo
from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.core import demo as core_demo
from pretix_innowerkstatt.slots import demo as slots_demo
from pretix_innowerkstatt.slots.models import PresentationSlot


@pytest.mark.django_db
def test_demo_fills_the_block_with_six_presentations_and_leaves_one_waiting_for_approval():
    for _ in range(2):  # idempotent
        demo = core_demo.build("http://127.0.0.1:8000/")
        with scopes_disabled():
            agenda_demo.seed(demo)
            slots_demo.seed(demo)
    with scopes_disabled():
        event = demo.update_deutschland
        product = event.items.get(name__icontains="Initiative stellt sich vor").innowerkstatt_slot_product
        assert product.item.require_approval
        items = list(AgendaItem.objects.filter(event=event, per_edition=True).order_by("start"))
        assert [i.title.localize("de") for i in items] == [f"{row[2]}: {row[3]}" for row in slots_demo.INITIATIVES]
        block = product.block
        assert items[0].start == block.start and items[-1].end == block.end
        assert PresentationSlot.objects.filter(product=product).count() == 6
        pending = event.orders.get(email=slots_demo.PENDING[1])
        assert pending.status == "n" and pending.require_approval
        # the one-slot-per-topic placeholders are gone
        assert not AgendaItem.objects.filter(event=event, title__icontains="Alternde Gesellschaft").exists()
    assert any("/innowerkstatt/slots/" in line for line in demo.lines)
