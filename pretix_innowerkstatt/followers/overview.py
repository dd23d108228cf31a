"""The followers' card on the plugin overview page of an event that is an edition of a format."""

from django.db.models import Count
from django.urls import reverse

from ..core.overview import register_card
from ..core.permissions import plugin_active_for_organizer
from ..formats.models import Edition
from . import permissions
from .domain import statistics


@register_card(order=35)
def card(event, request):
    # a separate-event edition, or (for a series holding a format's dates) its first date: the format's counts
    edition = (
        Edition.objects.filter(event=event)
        .order_by("rule_start")
        .select_related("format")
        .annotate(announced=Count("follower_announcements", distinct=True))
        .annotate(attributed=Count("follower_attributions", distinct=True))
        .first()
    )
    organizer = event.organizer
    context = {
        "template": "pretix_innowerkstatt/followers/overview_card.html",
        "edition": edition,
        "series": edition is not None and edition.subevent_id is not None,  # per date: on the followers page
        "url": "",
    }
    if edition is None:
        return context
    context["counts"] = statistics.follower_counts(edition.format)
    if plugin_active_for_organizer(organizer) and request.user.has_organizer_permission(
        organizer, permissions.VIEW_FOLLOWERS, request=request
    ):
        context["url"] = reverse(
            "plugins:pretix_innowerkstatt:followers", kwargs={"organizer": organizer.slug, "slug": edition.format.slug}
        )
    return context
