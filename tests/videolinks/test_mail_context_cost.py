"""pretix renders every placeholder of every mail: ours must stay cheap and still be right."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope
from pretix.base.email import get_email_context
from pretix.base.models import Order

from pretix_innowerkstatt.videolinks.domain.links import join_url

from .conftest import make_order


def _context_queries(event, order):
    with scope(organizer=event.organizer), CaptureQueriesContext(connection) as queries:
        context = get_email_context(event=event, order=order)
    # The join placeholders' one query: all positions of the order in ticket order (pretix's own
    # placeholders only ever look up a single position, with LIMIT 1).
    ours = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "pretixbase_orderposition"')
        and q["sql"].endswith('ORDER BY "pretixbase_orderposition"."positionid" ASC')
    ]
    return context, ours


@pytest.mark.django_db
def test_order_mail_context_loads_the_positions_once_for_all_join_placeholders(configured_event, item):
    order = make_order(configured_event, item, attendees=("Ada Lovelace", "Grace Hopper", "Alan Turing"))
    context, position_queries = _context_queries(configured_event, order)
    assert len(position_queries) == 1
    with scope(organizer=configured_event.organizer):
        links = [join_url(p, configured_event) for p in order.positions.all()]
    for link in links:
        assert link in context["join_link"]
        assert link in context["join_details"].plain and link in context["join_details"].html


@pytest.mark.django_db
def test_without_meeting_url_the_placeholders_cost_no_query(event, item):
    order = make_order(event, item, attendees=("Ada Lovelace",))
    context, position_queries = _context_queries(event, order)
    assert position_queries == []
    assert context["join_link"] == ""


@pytest.mark.django_db
def test_same_order_object_paid_after_pending_gets_its_link_in_the_next_mail(configured_event, item):
    order = make_order(configured_event, item, status=Order.STATUS_PENDING)
    context, _ = _context_queries(configured_event, order)
    assert context["join_link"] == ""
    order.status = Order.STATUS_PAID
    order.save()
    context, _ = _context_queries(configured_event, order)
    assert "/innowerkstatt/join/" in context["join_link"]
