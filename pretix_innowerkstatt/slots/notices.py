"""What the slots page and the event dashboard tell the organiser: missing approval, waiting presentations."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse

from .models import SlotProduct


def products(event):
    return list(
        SlotProduct.objects.filter(event=event)
        .select_related("item", "block")
        .annotate(
            waiting=Count(
                "presentations",
                filter=Q(presentations__agenda_item__isnull=True)
                & Q(presentations__position__canceled=False)
                & ~Q(presentations__position__order__status="c"),
            )
        )
    )


def notice_data(event) -> dict:
    found = products(event)
    return {
        "without_approval": [p for p in found if not p.item.require_approval],
        "waiting": sum(p.waiting for p in found),
        "without_block": [p for p in found if p.block_id is None],
    }


def dashboard_notice(event, request) -> str:
    data = notice_data(event)
    if not (data["without_approval"] or data["waiting"] or data["without_block"]):
        return ""
    url = reverse("plugins:pretix_innowerkstatt:slots", kwargs={"organizer": event.organizer.slug, "event": event.slug})
    return render_to_string("pretix_innowerkstatt/slots/dashboard_notice.html", {**data, "url": url}, request=request)
