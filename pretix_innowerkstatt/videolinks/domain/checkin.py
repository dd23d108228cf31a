"""Joins are check-ins on a check-in list of the plugin's own, so pretix's statistics show them."""

from django.db import transaction
from pretix.base.models import Checkin, CheckinList, Order
from pretix.base.services.checkin import CheckInError, perform_checkin

from .. import settings as names
from .config import access_rules

LIST_NAME = "Online (Videokonferenz)"


def checkin_list(event):
    list_id = event.settings.get(names.CHECKIN_LIST, as_type=int)
    if list_id:
        return event.checkin_lists.filter(pk=list_id).first()
    return None


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


def record_join(event, position, at):
    """Log this join and check the position in on the plugin's list, once. Returns True for a first join."""
    clist = checkin_list(event) or ensure_checkin_list(event)
    position.order.log_action(
        "pretix_innowerkstatt.videolinks.joined",
        data={"position": position.pk, "positionid": position.positionid, "datetime": at.isoformat()},
    )
    if Checkin.objects.filter(position=position, list=clist, type=Checkin.TYPE_ENTRY, successful=True).exists():
        return False
    try:
        perform_checkin(
            op=position,
            clist=clist,
            given_answers={},
            datetime=at,
            questions_supported=False,
            canceled_supported=True,
            ignore_unpaid=position.order.status == Order.STATUS_PENDING,
            type=Checkin.TYPE_ENTRY,
            raw_source_type="innowerkstatt-join",
        )
    except CheckInError:
        # Already checked in concurrently, or the ticket lost its eligibility in the meantime:
        # the redirect already happened, the list simply does not count this join.
        return False
    return True
