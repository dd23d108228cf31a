"""What the organiser sees: follower counts, and per edition the announcements and the orders from them."""

from django.db.models import Count, Q

from ...formats.models import Edition
from ..models import Follower
from . import announcing, texts


def follower_counts(fmt) -> dict:
    counts = Follower.objects.filter(format=fmt).aggregate(
        confirmed=Count("pk", filter=Q(state=Follower.CONFIRMED)),
        pending=Count("pk", filter=Q(state=Follower.PENDING)),
    )
    counts["unsubscribed"] = texts.settings_of(fmt).unsubscribed
    return counts


def edition_rows(fmt) -> list[dict]:
    editions = (
        Edition.objects.filter(format=fmt, event__isnull=False)
        .select_related("event", "subevent", "event__organizer")
        .annotate(
            announced=Count("follower_announcements", distinct=True),
            attributed=Count("follower_attributions", distinct=True),
        )
        .order_by("rule_start")
    )
    return [
        {
            "edition": e,
            "name": e.target.name,
            "start": e.target.date_from,
            "announced": e.announced,
            "orders": e.attributed,
            "can_announce": announcing.may_announce(e),
        }
        for e in editions
    ]
