"""pretix's signals for presentation slots: approval, cancellation, mails, checkout, shredder, notices.

Each receiver activates the organiser's scope and calls ``domain/`` or ``interfaces/``.
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from pretix.base import signals as base_signals
from pretix.control import signals as control_signals
from pretix.presale import signals as presale_signals

from ..agenda.domain.editing import check_item, delete_item, item_checked  # NOQA: F401
from ..agenda.models import AgendaItem
from ..core.navigation import event_nav_entry
from ..core.permissions import plugin_active_for_event
from . import logtypes, notices, permissions  # NOQA: F401  (logtypes registers the log lines)
from .domain import placement, setup
from .interfaces import checkout, shredder
from .interfaces import placeholders as slot_placeholders
from .models import PresentationSlot, SlotProduct


@receiver(control_signals.nav_event, dispatch_uid="innowerkstatt_slots_nav")
def nav_event(sender, request=None, **kwargs):
    if not request.user.has_event_permission(request.organizer, sender, permissions.VIEW_SLOTS, request=request):
        return []
    return [event_nav_entry(request, _("Presentation slots"), "slots", "microphone", "slots")]


@receiver(control_signals.event_dashboard_top, dispatch_uid="innowerkstatt_slots_dashboard")
def dashboard_top(sender, request=None, **kwargs):
    """A notice (not a go-live blocker): a slot product without approval, or presentations waiting."""
    with scope(organizer=sender.organizer):
        return notices.dashboard_notice(sender, request)


@receiver(base_signals.order_approved, dispatch_uid="innowerkstatt_slots_order_approved")
def order_approved(sender, order=None, **kwargs):
    with scope(organizer=sender.organizer):
        placement.order_approved(order)


@receiver(base_signals.order_canceled, dispatch_uid="innowerkstatt_slots_order_canceled")
def order_canceled(sender, order=None, **kwargs):
    with scope(organizer=sender.organizer):
        placement.order_cancelled(order)


@receiver(base_signals.order_changed, dispatch_uid="innowerkstatt_slots_order_changed")
def order_changed(sender, order=None, **kwargs):
    # A cancelled position of a slot product (a partial cancellation or refund).
    with scope(organizer=sender.organizer):
        placement.order_cancelled(order)


@receiver(base_signals.register_text_placeholders, dispatch_uid="innowerkstatt_slots_placeholders")
def text_placeholders(sender, **kwargs):
    return slot_placeholders.placeholders(sender)


@receiver(base_signals.register_data_shredders, dispatch_uid="innowerkstatt_slots_shredder")
def data_shredders(sender, **kwargs):
    return shredder.PresenterShredder


@receiver(base_signals.validate_order, dispatch_uid="innowerkstatt_slots_validate_order")
def validate_order(sender, positions=None, **kwargs):
    with scope(organizer=sender.organizer):
        checkout.check_positions(sender, positions or [])


@receiver(presale_signals.question_form_fields_overrides, dispatch_uid="innowerkstatt_slots_question_fields")
def question_fields(sender, position=None, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return checkout.field_overrides(sender, position)


@receiver(item_checked, dispatch_uid="innowerkstatt_slots_item_checked")
def slot_stays_in_block(sender, item=None, **kwargs):
    """A presentation may move within its block in the agenda editor, never out of it."""
    if not item.per_edition or item.pk is None:
        return
    with scope(organizer=sender.organizer):
        presentation = PresentationSlot.objects.filter(agenda_item_id=item.pk).select_related("product__block").first()
    block = presentation.product.block if presentation else None
    if block is None or block.end is None:
        return
    if item.start < block.start or (item.end or item.start) > block.end:
        raise ValidationError(
            _("“{title}” is a presentation and can only move within “{block}” ({time}).").format(
                title=item.title, block=block.title, time=placement.slot_label(sender, block)
            )
        )


@receiver(post_save, sender=AgendaItem, dispatch_uid="innowerkstatt_slots_block_saved")
def block_saved(sender, instance=None, created=False, **kwargs):
    """A block that got longer or shorter changes the number of slots: the quota follows."""
    if created or instance.kind != AgendaItem.KIND_PRESENTATION or instance.per_edition:
        return
    with scope(organizer=instance.event.organizer):
        for product in SlotProduct.objects.filter(block=instance).select_related("item", "event", "block"):
            setup.sync_quota(product)


@receiver(post_delete, sender=PresentationSlot, dispatch_uid="innowerkstatt_slots_presentation_deleted")
def presentation_deleted(sender, instance=None, **kwargs):
    """The order (or position) was deleted: its agenda item and a presenter made from it go too."""
    event = instance.product.event
    if not plugin_active_for_event(event):
        return
    with scope(organizer=event.organizer):
        item = AgendaItem.objects.filter(pk=instance.agenda_item_id).first()
        if item is not None:
            delete_item(item)
        if instance.speaker_from_order and instance.speaker_id:
            from ..agenda.domain.editing import delete_speaker
            from ..agenda.models import Speaker

            speaker = Speaker.objects.filter(pk=instance.speaker_id).first()
            others = PresentationSlot.objects.filter(speaker_id=instance.speaker_id).exclude(pk=instance.pk)
            if speaker is not None and not others.exists():
                delete_speaker(speaker, log_data={"order_deleted": True})
