"""Presenters get the host-link mail with their time, again when a close-up moved them.

Presenters are among the roles that get host links (``videolinks.domain.hosts.host_roles``).
"""

import pytest
from django.core import mail as djmail
from django_scopes import scope
from pretix.base.services.orders import approve_order, cancel_order

from .conftest import answers_for, apply


def host_mails(address):
    return [m for m in djmail.outbox if m.to == [address] and "18:" in m.body and "/host/" in m.body]


@pytest.mark.django_db
def test_presenters_get_their_host_link_and_again_after_closing_up(event, product, django_capture_on_commit_callbacks):
    event.settings.innowerkstatt_video_join_url = "https://meet.example.org/update"
    product.on_cancel = product.CANCEL_CLOSE_UP
    product.save()
    orders = [apply(event, product.item, answers_for(f"I{n}"), email=f"p{n}@example.org") for n in range(2)]
    djmail.outbox = []
    with scope(organizer=event.organizer):
        for order in orders:
            with django_capture_on_commit_callbacks(execute=True):
                approve_order(order, send_mail=False)
    [first] = host_mails("p1@example.org")
    assert "18:15" in first.body
    djmail.outbox = []
    with scope(organizer=event.organizer), django_capture_on_commit_callbacks(execute=True):
        cancel_order(orders[0].pk)
    [moved] = host_mails("p1@example.org")
    assert "18:10" in moved.body
    assert host_mails("p0@example.org") == []
