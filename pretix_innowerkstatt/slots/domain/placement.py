"""Placing approved applications in their block, and taking them out again.

The block (an agenda item of kind "presentation") is cut into slots of ``slot_minutes``; slot
``n`` starts ``n × slot_minutes`` after the block's start. A slot is taken when a placed
presentation overlaps it, so presentations the organiser moved in the agenda editor (within the
block) keep their place. Placing reads the taken slots while holding a row lock on the slot
product (``SELECT … FOR UPDATE``): two approvals at the same moment queue there, and the second
sees the first one's presentation.

Every agenda change goes through the agenda's write path (``agenda.domain.editing``): log line,
calendar sequence, cached renderings and PDF tickets follow as for any edit.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_scopes import scope

from ...agenda.domain.editing import delete_item, ripple_items, save_item, save_speaker
from ...agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from .. import logtypes
from ..models import PresentationSlot, SlotProduct
from .answers import application, position_answers

logger = logging.getLogger(__name__)


def slot_times(product) -> list:
    """``[(start, end), …]`` of the slots that fit into the product's block (empty without a block)."""
    block = product.block
    if block is None or block.end is None or not product.slot_minutes:
        return []
    length = datetime.timedelta(minutes=product.slot_minutes)
    count = int((block.end - block.start) / length)
    return [(block.start + n * length, block.start + (n + 1) * length) for n in range(count)]


def placed_items(product) -> list:
    return list(
        AgendaItem.objects.filter(innowerkstatt_presentation__product=product).order_by("start", "position", "pk")
    )


def taken_slots(product, items=None) -> set:
    """Indices of the slots a placed presentation overlaps."""
    items = placed_items(product) if items is None else items
    taken = set()
    for index, (start, end) in enumerate(slot_times(product)):
        if any(item.start < end and start < (item.end or item.start + datetime.timedelta(seconds=1)) for item in items):
            taken.add(index)
    return taken


def free_slots(product) -> list:
    return [i for i in range(len(slot_times(product))) if i not in taken_slots(product)]


def time_range(tz, start, end=None) -> str:
    """“17:22–17:34” in the time zone ``tz`` (the event's: ``event.timezone``)."""
    first = date_format(start.astimezone(tz), "TIME_FORMAT")
    return f"{first}–{date_format(end.astimezone(tz), 'TIME_FORMAT')}" if end else first


def slot_label(event, item) -> str:
    return time_range(event.timezone, item.start, item.end)


def _presenter(event, position):
    """``(speaker, created)``: the directory's speaker with the attendee's email, else a new one."""
    order = position.order
    email = (position.attendee_email or order.email or "").strip()
    name = (position.attendee_name or "").strip() or (order.invoice_address.name if _has_address(order) else "")
    name = name or email.split("@")[0] or _("Presenter")
    if email:
        existing = Speaker.objects.filter(organizer=event.organizer, email__iexact=email).order_by("pk").first()
        if existing is not None:
            return existing, False
    speaker = Speaker(organizer=event.organizer, name=name[:200], email=email)
    save_speaker(speaker, log_data={"order": order.code})
    return speaker, True


def _has_address(order) -> bool:
    try:
        return order.invoice_address is not None
    except Exception:  # no invoice address stored
        return False


def _description(app) -> str:
    parts = [app.description] if app.description else []
    if app.website:
        parts.append(app.website)
    return "\n\n".join(parts)


def _lock(product) -> SlotProduct:
    # of=self: PostgreSQL locks no rows of the (nullable) block joined along.
    return SlotProduct.objects.select_for_update(of=("self",)).select_related("block", "event").get(pk=product.pk)


def _log_unplaced(presentation, reason, user=None):
    presentation.position.order.log_action(
        logtypes.UNPLACED, user=user, data={"title": presentation.title, "reason": reason}
    )


def place_at(presentation, index, *, user=None) -> AgendaItem:
    """Put an unplaced ``presentation`` into slot ``index`` of its block (inside a transaction, product locked)."""
    product = presentation.product
    event = product.event
    times = slot_times(product)
    if not 0 <= index < len(times) or index in taken_slots(product):
        raise ValidationError(_("This slot is not free any more. Please choose another one."))
    start, end = times[index]
    position = presentation.position
    app = application(product, position_answers(position), position.attendee_name or "")
    block = product.block
    item = AgendaItem(
        event=event,
        subevent=block.subevent,
        start=start,
        end=end,
        title=app.agenda_title,
        description=_description(app),
        kind=AgendaItem.KIND_PRESENTATION,
        room=block.room,
        position=block.position,
        per_edition=True,
    )
    speakers = []
    if presentation.speaker is not None:
        speakers = [{"speaker": presentation.speaker, "role": AgendaItemSpeaker.ROLE_PRESENTER}]
    save_item(item, speakers=speakers, user=user, log_data={"order": position.order.code})
    presentation.agenda_item = item
    presentation.save(update_fields=["agenda_item"])
    position.order.log_action(
        logtypes.PLACED,
        user=user,
        data={"title": presentation.title, "start": slot_label(event, item), "item": item.pk},
    )
    _tell_presenters(event, [presentation.speaker], user=user)
    return item


@transaction.atomic
def place_by_hand(presentation, index, *, user=None) -> AgendaItem:
    """The organiser puts a waiting presentation into a free slot (the slots page)."""
    product = _lock(presentation.product)
    presentation = PresentationSlot.objects.select_related("position__order", "speaker").get(pk=presentation.pk)
    presentation.product = product
    if presentation.agenda_item_id is not None:
        raise ValidationError(_("This presentation already has a slot."))
    return place_at(presentation, index, user=user)


def slot_positions(order):
    """The order's positions of slot products, each with its ``SlotProduct`` (not cancelled)."""
    positions = order.positions.filter(item__innowerkstatt_slot_product__isnull=False).select_related(
        "item__innowerkstatt_slot_product"
    )
    return [(p, p.item.innowerkstatt_slot_product) for p in positions]


def order_approved(order, *, user=None) -> list:
    """Create a presentation for each slot position of an approved ``order``; returns them.

    Placed in the next free slot (placement "in order of approval"), else waiting to be placed
    by hand; a full block leaves it waiting too, and the order stays approved.
    """
    created = []
    for position, product in slot_positions(order):
        with transaction.atomic():
            product = _lock(product)
            if PresentationSlot.objects.filter(position=position).exists():
                continue  # approved once already (pretix sends the signal once; an import may repeat)
            event = product.event
            speaker, speaker_created = _presenter(event, position)
            app = application(product, position_answers(position), position.attendee_name or speaker.name)
            presentation = PresentationSlot.objects.create(
                product=product,
                position=position,
                speaker=speaker,
                speaker_from_order=speaker_created,
                title=app.agenda_title[:255],
            )
            if product.placement == SlotProduct.PLACEMENT_MANUAL:
                _log_unplaced(presentation, _("placement by hand"), user)
            elif product.block is None:
                _log_unplaced(presentation, _("no block chosen"), user)
            else:
                free = free_slots(product)
                if free:
                    place_at(presentation, free[0], user=user)
                else:
                    _log_unplaced(presentation, _("the block is full"), user)
            created.append(presentation)
    return created


def order_cancelled(order, *, user=None) -> int:
    """Take the order's presentations (or those of its cancelled positions) out of the agenda."""
    presentations = PresentationSlot.objects.filter(position__order=order, agenda_item__isnull=False)
    if order.status != order.STATUS_CANCELED:
        presentations = presentations.filter(position__canceled=True)
    removed = 0
    for presentation in presentations.select_related("product", "agenda_item", "position__order"):
        remove(presentation, user=user)
        removed += 1
    return removed


@transaction.atomic
def remove(presentation, *, user=None) -> None:
    """Delete the presentation's agenda item; close up the following slots if the product says so."""
    product = _lock(presentation.product)
    item = presentation.agenda_item
    if item is None:
        return
    event = product.event
    moved = []
    if product.on_cancel == SlotProduct.CANCEL_CLOSE_UP and item.end is not None:
        length = item.end - item.start
        following = [other for other in placed_items(product) if other.pk != item.pk and other.start >= item.end]
        if following:
            moves = [(other, -length) for other in following]
            ripple_items(moves, cause=item, user=user)
            moved = list(
                PresentationSlot.objects.filter(agenda_item__in=following)
                .select_related("speaker")
                .exclude(speaker=None)
            )
            event.log_action(logtypes.CLOSED_UP, user=user, data={"title": presentation.title, "count": len(following)})
    delete_item(item, user=user, log_data={"order": presentation.position.order.code})
    presentation.agenda_item = None
    presentation.save(update_fields=["agenda_item"])
    presentation.position.order.log_action(logtypes.REMOVED, user=user, data={"title": presentation.title})
    _tell_presenters(event, [p.speaker for p in moved], user=user)


def _tell_presenters(event, speakers, *, user=None) -> None:
    """Mail each person their host link with their (new) time, once the change is committed.

    The host links' own mailing sends again only when the person's items changed, so a
    presenter whose time did not change gets nothing.
    """
    pks = [s.pk for s in speakers if s is not None and s.email]
    if not pks:
        return

    def send():
        from ...videolinks.domain.hosts import send_host_link

        with scope(organizer=event.organizer):
            people = list(Speaker.objects.filter(pk__in=pks))
        for speaker in people:
            try:
                with scope(organizer=event.organizer):
                    send_host_link(event, speaker, user=user)
            except Exception:  # a broken meeting configuration must not undo the approval
                logger.exception("Could not send the host link to presenter %s.", speaker.pk)

    transaction.on_commit(send)
