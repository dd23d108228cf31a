"""Data exporters: member lists per group, and Zoom's breakout-room pre-assignment CSV.

Both are pretix exporters (``register_data_exporters``), so they also run through pretix's
exporter API (``POST …/exporters/<identifier>/run/``). They list tickets that hold a place
(not cancelled, order pending or paid), in the groups' order.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pretix.base.exporter import ListExporter

from ..domain.selection import active_member_filter
from ..models import WorkGroupMember
from ..permissions import VIEW_MEMBERS

CATEGORY = pgettext_lazy("export_category", "Work-phase groups")


def members(event):
    return (
        WorkGroupMember.objects.filter(active_member_filter(), group__event=event)
        .select_related("group", "group__item", "group__item__subevent", "position", "position__order")
        .order_by("group__item__start", "group__item_id", "group__position", "group_id", "position__order__code")
    )


def attendee_email(position) -> str:
    return position.attendee_email or position.order.email or ""


class MemberListExporter(ListExporter):
    identifier = "innowerkstatt_groups"
    verbose_name = _("Work-phase groups: members")
    category = CATEGORY
    description = _("Every ticket's work-phase group, with the attendee's name and email, group by group.")

    @classmethod
    def get_required_event_permission(cls):
        return VIEW_MEMBERS

    def iterate_list(self, form_data):
        yield [
            _("Date"),
            _("Work phase"),
            _("Group"),
            _("Capacity"),
            _("Order code"),
            _("Ticket"),
            _("Attendee name"),
            _("Email"),
            _("Chosen by"),
        ]
        for member in members(self.event):
            group, position = member.group, member.position
            subevent = group.item.subevent
            yield [
                subevent.get_date_range_display() if subevent else "",
                str(group.item.title),
                str(group.name),
                group.capacity,
                position.order.code,
                position.positionid,
                position.attendee_name or "",
                attendee_email(position),
                member.get_chosen_by_display(),
            ]

    def get_filename(self):
        return f"{self.event.organizer.slug}_{self.event.slug}_work_groups"


class ZoomBreakoutExporter(ListExporter):
    """Zoom's CSV for pre-assigning breakout rooms: one row per attendee email."""

    identifier = "innowerkstatt_zoom_breakouts"
    verbose_name = _("Work-phase groups: Zoom breakout rooms")
    category = CATEGORY
    description = _("The CSV file Zoom imports to pre-assign participants to breakout rooms, one room per group.")

    @classmethod
    def get_required_event_permission(cls):
        return VIEW_MEMBERS

    def iterate_list(self, form_data):
        # Zoom expects exactly these English headers.
        yield ["Pre-assign Room Name", "Email Address"]
        seen = set()
        for member in members(self.event):
            email = attendee_email(member.position).strip().lower()
            if not email or email in seen:  # Zoom allows one room per email address
                continue
            seen.add(email)
            yield [str(member.group.name)[:50], email]

    def get_filename(self):
        return f"{self.event.organizer.slug}_{self.event.slug}_zoom_breakout_rooms"
