"""A real Chromium in the shop: the buyer chooses a work-phase group at checkout; the order page names it."""

import pytest
from django.core import mail as djmail
from django_scopes import scopes_disabled
from pretix.base.models import Order

from pretix_innowerkstatt.workgroups.domain.selection import group_of
from tests.workgroups.conftest import make_groups, place_order, work_phase

from .workgroups_shop import finish_checkout, start_checkout_at_the_group_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_chooses_a_group_at_checkout_and_the_order_page_shows_it(page, live_server, event, item):
    with scopes_disabled():
        event.presale_start = None
        event.save()
    first, second, third = make_groups(work_phase(event), capacity=2)
    place_order(event, item, 2, choices={1: third, 2: third}, email="early@example.org")  # group 3 is full
    djmail.outbox.clear()

    start_checkout_at_the_group_step(page, live_server)
    # the group step: every group with its places, the full one marked and not selectable
    step = page.locator("form.innowerkstatt-workgroups-choice")
    assert "Challenge 1: Ehrenamt digital organisieren" in step.inner_text()
    assert "2 Plätze frei" in step.inner_text()
    assert page.locator(f"input[type=radio][value='{third.pk}']").is_disabled()
    page.locator(f"input[type=radio][value='{second.pk}']").check()
    page.click(".checkout-button-row button[type=submit].btn-primary")

    finish_checkout(page, "ada@example.org", "Ada Lovelace")

    panel = page.locator(".innowerkstatt-workgroups")
    assert "Ihre Gruppe: Challenge 2: Verwaltungsdaten offen nutzen" in " ".join(panel.inner_text().split())
    with scopes_disabled():
        order = Order.objects.get(email="ada@example.org")
        assert group_of(order.positions.get()) == second
    assert page.dialogs == []
