"""Joins are check-ins on a check-in list of the plugin's own, so pretix's statistics show them."""

from django.db import transaction
from django.db.models import prefetch_related_objects
from pretix.base.models import Checkin, CheckinList, Order, OrderPosition
from pretix.base.services.checkin import CheckInError, perform_checkin

from .. import settings as names
from .rules import access_rules

LIST_NAME = "Online (Videokonferenz)"


def checkin_list(event):
    list_id = event.settings.get(names.CHECKIN_LIST, as_type=int)
    if list_id:
        return event.checkin_lists.filter(pk=list_id).first()
    return None


def checked_in(event, position_pk: int) -> bool:
    """Whether a join of the position is recorded already (one indexed query; none before the list exists)."""
    list_id = event.settings.get(names.CHECKIN_LIST, as_type=int)
    return bool(list_id) and (
        Checkin.all.filter(list_id=list_id, position_id=position_pk, type=Checkin.TYPE_ENTRY, successful=True).exists()
    )


def ensure_checkin_list(event):
    """The plugin's check-in list, created on first use and kept in line with the access rules."""
    rules = access_rules(event)
    with transaction.atomic():
        clist = checkin_list(event)
        if clist is None:
            name = LIST_NAME  # the name the organisers asked for, in every language
            clist = CheckinList.objects.create(
                event=event,
                name=name,
                all_products=not rules.product_ids,
                include_pending=rules.allow_pending,
                # A join is not "using up" a ticket: the attendee may still change or cancel it.
                consider_tickets_used=False,
                allow_multiple_entries=False,
                allow_entry_after_exit=False,
            )
            event.settings.set(names.CHECKIN_LIST, clist.pk)
            clist.log_action("pretix.event.checkinlist.added", data={"name": name, "source": "pretix_innowerkstatt"})
        sync_checkin_list(event, clist, rules)
    return clist


def sync_checkin_list(event, clist, rules):
    """Which positions the list counts follows the access rules (products, pending)."""
    if rules.product_ids:
        wanted = set(event.items.filter(pk__in=rules.product_ids).values_list("pk", flat=True))
    else:
        wanted = set(event.items.filter(admission=True).values_list("pk", flat=True))
    all_products = not rules.product_ids and wanted == set(event.items.values_list("pk", flat=True))
    changed = clist.all_products != all_products or clist.include_pending != rules.allow_pending
    clist.all_products = all_products
    clist.include_pending = rules.allow_pending
    if changed:
        clist.save(update_fields=["all_products", "include_pending"])
    if not all_products and set(clist.limit_products.values_list("pk", flat=True)) != wanted:
        clist.limit_products.set(wanted)


def record_joins(event, joins: dict) -> int:
    """Check the joined positions in on the plugin's list, each once; returns how many were new.

    ``joins``: ``{position id: time of the join}``. pretix's ``perform_checkin`` re-checks the
    ticket, records the check-in and logs it ("Position #1 has been checked in … for list
    “Online (Videokonferenz)”"), which is the join's line in the order log. The list, its products
    and the positions already checked in are looked up once for all joins; one transaction for
    all, so a failure leaves every one of them to be recorded again.
    """
    if not joins:
        return 0
    clist = checkin_list(event) or ensure_checkin_list(event)
    prefetch_related_objects([clist], "limit_products")  # perform_checkin reads them per position
    done = set(
        Checkin.objects.filter(
            list=clist, position_id__in=list(joins), type=Checkin.TYPE_ENTRY, successful=True
        ).values_list("position_id", flat=True)
    )
    positions = OrderPosition.all.select_related("order", "item").filter(
        order__event=event, pk__in=[pk for pk in joins if pk not in done]
    )
    recorded = 0
    with transaction.atomic():
        for position in positions:
            position.order.event = event
            try:
                perform_checkin(
                    op=position,
                    clist=clist,
                    given_answers={},
                    datetime=joins[position.pk],
                    questions_supported=False,
                    canceled_supported=True,
                    ignore_unpaid=position.order.status == Order.STATUS_PENDING,
                    type=Checkin.TYPE_ENTRY,
                    raw_source_type="innowerkstatt-join",
                )
            except CheckInError:
                # Already checked in concurrently, or the ticket lost its eligibility in the meantime:
                # the redirect already happened, the list simply does not count this join.
                continue
            recorded += 1
    return recorded
