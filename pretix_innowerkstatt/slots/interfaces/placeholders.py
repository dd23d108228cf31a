"""``{presentation_slot}`` in pretix's order mails: “Your slot: 17:22–17:34, Initiatives present”.

Empty for orders without a presentation, so the placeholder can stay in the event's approval
text even though only slot products use it.
"""

from django.utils.translation import gettext as _
from django_scopes import scope
from pretix.base.services.placeholders import SimpleFunctionalTextPlaceholder

from ..domain.placement import time_range
from ..models import PresentationSlot


def slot_text(event, order) -> str:
    with scope(organizer=event.organizer):
        presentations = list(
            PresentationSlot.objects.filter(position__order=order, position__canceled=False)
            .select_related("agenda_item", "product__block")
            .order_by("position__positionid")
        )
    lines = []
    tz = event.timezone if presentations else None
    for presentation in presentations:
        item, block = presentation.agenda_item, presentation.product.block
        if item is None:
            lines.append(_("Your slot will be given to you soon; we will write to you with its time."))
        elif block is not None:
            lines.append(
                _("Your slot: {time}, {block}").format(time=time_range(tz, item.start, item.end), block=block.title)
            )
        else:
            lines.append(_("Your slot: {time}").format(time=time_range(tz, item.start, item.end)))
    return "\n".join(lines)


def placeholders(event):
    return [
        SimpleFunctionalTextPlaceholder(
            "presentation_slot",
            ["event", "order"],
            lambda event, order: slot_text(event, order),
            lambda event: _("Your slot: {time}, {block}").format(time="17:22–17:34", block=_("Initiatives present")),
        )
    ]
