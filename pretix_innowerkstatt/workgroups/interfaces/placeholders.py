"""The chosen group in mails: ``{work_group}``, ``{work_group_description}`` and a line in the join block.

* In an attendee mail (context with ``position``) both placeholders stand for that ticket's
  group; in an order mail for the order's tickets: the group's name if they share one, else one
  line per ticket ("Ada Lovelace: Challenge 1"). Empty for tickets without a group ("assign me",
  not assigned yet) and for cancelled tickets. The description is the organiser's Markdown,
  compiled and sanitised with pretix's ``markdown_compile_email`` for the HTML part.
* The join block videolinks adds to ticket mails and reminders (``{join_details}``) gets the line
  "Your group in the work phase: Challenge 1" (``videolinks.domain.rooms.register_room_note``),
  so confirmation and reminder mails name the group without any change to their texts.

pretix renders every registered placeholder for each mail, so the order's groups are read with
one query and remembered on the order object while it is unchanged (``order.last_modified``);
events without groups cost no query at all (``rooms.work_phase_times`` is cached per process).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from pretix.base.services.placeholders import BaseRichTextPlaceholder
from pretix.base.templatetags.rich_text import markdown_compile_email

from ...videolinks.domain.rooms import register_room_note
from ..models import WorkGroupMember
from . import rooms

SAMPLE_NAME = gettext_lazy("Challenge 1: Ehrenamt digital organisieren")
SAMPLE_DESCRIPTION = gettext_lazy("How can associations organise their volunteers online?")
_REMEMBERED = "_innowerkstatt_work_groups"


def groups_of_order(event, order) -> dict:
    """``{position pk: WorkGroup}`` of the order's tickets that are in a group (one query, remembered)."""
    if not rooms.work_phase_times(event):  # no groups in this event
        return {}
    remembered = order.__dict__.get(_REMEMBERED)
    if remembered is not None and remembered[0] == order.last_modified:
        return remembered[1]
    with scope(organizer=event.organizer):
        members = WorkGroupMember.objects.filter(position__order_id=order.pk, position__canceled=False).select_related(
            "group"
        )
        groups = {m.position_id: m.group for m in members}
    order.__dict__[_REMEMBERED] = (order.last_modified, groups)
    return groups


def group_of_position(event, position):
    if position is None or position.pk is None or getattr(position, "canceled", False):
        return None
    return groups_of_order(event, position.order).get(position.pk)


def _label(position) -> str:
    return position.attendee_name or _("Ticket {number}").format(number=position.positionid)


def _per_ticket(event, order, position):
    """``[(label, group)]`` of the tickets meant (one ticket, or the whole order) that have a group."""
    groups = groups_of_order(event, order)
    if not groups:
        return []
    if position is not None:
        group = group_of_position(event, position)
        return [(_label(position), group)] if group else []
    positions = {p.pk: p for p in order.positions.all()}
    return [(_label(positions[pk]), groups[pk]) for pk in sorted(groups, key=lambda pk: positions[pk].positionid)]


def _one_group(tickets):
    distinct = {group.pk for _label, group in tickets}
    return tickets[0][1] if len(distinct) == 1 else None


class WorkGroupName(BaseRichTextPlaceholder):
    def __init__(self, args):
        super().__init__("work_group", args)

    def _lines(self, event, order, position=None):
        tickets = _per_ticket(event, order, position)
        if not tickets:
            return []
        group = _one_group(tickets)
        if group is not None:
            return [str(group.name)]
        return [f"{label}: {group.name}" for label, group in tickets]

    def render_plain(self, event, order, position=None):
        return "\n".join(self._lines(event, order, position))

    def render_html(self, event, order, position=None):
        return mark_safe("<br>".join(escape(line) for line in self._lines(event, order, position)))

    def render_sample_plain(self, event):
        return str(SAMPLE_NAME)

    def render_sample_html(self, event):
        return escape(str(SAMPLE_NAME))


class WorkGroupDescription(BaseRichTextPlaceholder):
    def __init__(self, args):
        super().__init__("work_group_description", args)

    @property
    def is_block(self):
        return True

    def _parts(self, event, order, position=None):
        """``[(heading or None, Markdown)]``: one part per distinct group, headed by its name if several."""
        tickets = _per_ticket(event, order, position)
        groups = list({group.pk: group for _label, group in tickets}.values())
        parts = [(group, str(group.description or "").strip()) for group in groups]
        parts = [(group, text) for group, text in parts if text]
        several = len(groups) > 1
        return [(str(group.name) if several else None, text) for group, text in parts]

    def render_plain(self, event, order, position=None):
        return "\n\n".join(
            f"{heading}\n{text}" if heading else text for heading, text in self._parts(event, order, position)
        )

    def render_html(self, event, order, position=None):
        return mark_safe(
            "".join(
                (f"<p><strong>{escape(heading)}</strong></p>" if heading else "") + markdown_compile_email(text)
                for heading, text in self._parts(event, order, position)
            )
        )

    def render_sample_plain(self, event):
        return str(SAMPLE_DESCRIPTION)

    def render_sample_html(self, event):
        return markdown_compile_email(str(SAMPLE_DESCRIPTION))


def placeholders(event):
    # Order mails first; where a position is in the context, the attendee variants win.
    return [
        WorkGroupName(["event", "order"]),
        WorkGroupDescription(["event", "order"]),
        WorkGroupName(["event", "order", "position"]),
        WorkGroupDescription(["event", "order", "position"]),
    ]


@register_room_note
def group_line(event, position) -> list[str]:
    """The join block's line naming the ticket's group (nothing without a group)."""
    group = group_of_position(event, position)
    return [_("Your group in the work phase: {name}").format(name=group.name)] if group else []
