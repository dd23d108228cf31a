"""The ticket's group as a text variable of pretix's ticket layouts (empty without a group)."""

from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from ..models import WorkGroupMember
from .placeholders import SAMPLE_NAME, group_of_position


def _group_name(position, order, event_or_subevent) -> str:
    group = group_of_position(order.event, position)
    return str(group.name) if group else ""


def _group_names(positions) -> list[str]:
    """Many tickets at once (pretix's bulk rendering): one query."""
    positions = list(positions)
    if not positions:
        return []
    event = positions[0].order.event
    with scope(organizer=event.organizer):
        members = WorkGroupMember.objects.filter(
            position_id__in=[p.pk for p in positions], position__canceled=False
        ).select_related("group")
        names = {m.position_id: str(m.group.name) for m in members}
    return [names.get(p.pk, "") for p in positions]


def text_variables(event):
    return {
        "innowerkstatt_work_group": {
            "label": _("Work-phase group"),
            "editor_sample": SAMPLE_NAME,
            "evaluate": _group_name,
            "evaluate_bulk": _group_names,
        },
    }
