from django.urls import reverse

from ..core.overview import register_card
from .domain.selection import active_member_filter
from .models import WorkGroup, WorkGroupMember


@register_card(order=25)
def card(event, request):
    """The capability's card on the plugin overview page: groups, places taken, capacity."""
    groups = WorkGroup.objects.filter(event=event)
    return {
        "template": "pretix_innowerkstatt/workgroups/overview_card.html",
        "groups": groups.count(),
        "members": WorkGroupMember.objects.filter(active_member_filter(), group__event=event).count(),
        "capacity": sum(groups.values_list("capacity", flat=True)),
        "groups_url": reverse(
            "plugins:pretix_innowerkstatt:agenda_groups",
            kwargs={"organizer": event.organizer.slug, "event": event.slug},
        ),
    }
