"""The attendee's group on the order page and the ticket page, with the form to change it."""

from django.template.loader import render_to_string
from pretix.multidomain.urlreverse import eventreverse

from ..domain.membership import attendee_may_change, counted_positions
from ..domain.selection import groups_of_dates
from ..models import WorkGroupMember


def order_fragment(request, order, only=None) -> str:
    """HTML for the tickets of ``order`` (or the one ticket ``only``) whose date has groups; "" otherwise.

    Three queries: the tickets with their group, the groups of their dates with places taken.
    """
    positions = counted_positions(order.positions.filter(item__admission=True))
    if only is not None:
        positions = positions.filter(pk=only.pk)
    positions = list(
        positions.select_related("item", "subevent", "innowerkstatt_work_group_member__group").order_by("positionid")
    )
    if not positions:
        return ""
    by_date = {}
    for group in groups_of_dates(order.event, {p.subevent_id for p in positions}):
        by_date.setdefault(group.item.subevent_id, []).append(group)
    rows = []
    for position in positions:
        groups = by_date.get(position.subevent_id)
        if not groups:
            continue
        try:
            current = position.innowerkstatt_work_group_member.group
        except WorkGroupMember.DoesNotExist:
            current = None
        position.order = order
        rows.append(
            {
                "position": position,
                "current": current,
                "groups": [
                    {"group": g, "full": g.member_count >= g.capacity and g != current, "selected": g == current}
                    for g in groups
                ],
                "may_change": attendee_may_change(position),
                "action": eventreverse(
                    order.event,
                    "plugins:pretix_innowerkstatt:workgroups.choose",
                    kwargs={"order": order.code, "position": position.positionid, "secret": position.web_secret},
                ),
            }
        )
    if not rows:
        return ""
    return render_to_string(
        "pretix_innowerkstatt/workgroups/order_fragment.html", {"rows": rows, "event": order.event}, request=request
    )
