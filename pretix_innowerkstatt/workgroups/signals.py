"""Work-phase groups' receivers of pretix's signals (and of the agenda's copy signal).

Each receiver checks what it needs, activates the organiser's scope and calls ``domain/`` or
``interfaces/``.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled
from pretix.base import signals as base_signals
from pretix.base.models import Event, SubEvent
from pretix.base.services.orders import OrderError
from pretix.control import signals as control_signals
from pretix.helpers.periodic import minimum_interval
from pretix.presale import signals as presale_signals

from ..agenda.domain.copying import items_copied
from ..agenda.models import AgendaItem
from ..core.navigation import event_nav_entry
from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    settings,  # NOQA: F401  (declares the settings' defaults)
)
from .domain.copying import copy_groups
from .domain.membership import GroupError, delete_expired_holds, place_choices, release_cancelled
from .domain.scheduling import assign_rest_when_due
from .interfaces import checkout, exporters, order_page, pdf, placeholders, rooms
from .models import WorkGroup


@receiver(presale_signals.checkout_flow_steps, dispatch_uid="innowerkstatt_workgroups_checkout_step")
def checkout_step(sender, **kwargs):
    return checkout.WorkGroupStep


@receiver(presale_signals.order_meta_from_request, dispatch_uid="innowerkstatt_workgroups_order_meta")
def order_meta(sender, request=None, **kwargs):
    return checkout.order_meta(request)


@receiver(base_signals.order_placed, dispatch_uid="innowerkstatt_workgroups_order_placed")
def order_placed(sender, order=None, **kwargs):
    choices = checkout.choices_of(order)
    if not choices:
        return
    with scope(organizer=sender.organizer):
        try:
            place_choices(order, choices, checkout.holds_of(order))
        except GroupError as error:
            # Inside pretix's order transaction: the order is not placed, the buyer sees why.
            raise OrderError(str(error)) from error


@receiver(base_signals.order_canceled, dispatch_uid="innowerkstatt_workgroups_order_canceled")
@receiver(base_signals.order_changed, dispatch_uid="innowerkstatt_workgroups_order_changed")
def tickets_cancelled(sender, order=None, **kwargs):
    with scope(organizer=sender.organizer):
        release_cancelled(order)


@receiver(presale_signals.order_info, dispatch_uid="innowerkstatt_workgroups_order_info")
def order_info(sender, order=None, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return order_page.order_fragment(request, order)


@receiver(presale_signals.position_info, dispatch_uid="innowerkstatt_workgroups_position_info")
def position_info(sender, order=None, position=None, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return order_page.order_fragment(request, order, only=position)


@receiver(items_copied, dispatch_uid="innowerkstatt_workgroups_items_copied")
def agenda_items_copied(sender, pairs=(), **kwargs):
    """Groups hang off work-phase items only: an agenda without work phases costs no query here."""
    work_phases = [(original, copy) for original, copy in pairs if original.kind == AgendaItem.KIND_WORK]
    if not work_phases:
        return
    with scope(organizer=sender.organizer):
        copied = copy_groups(sender, work_phases)
    if copied:
        # The copies are bulk-created, without post_save: the target now has groups.
        rooms.refresh_has_groups(sender, added=True)


@receiver(base_signals.periodic_task, dispatch_uid="innowerkstatt_workgroups_assign_rest")
@minimum_interval(minutes_after_success=2)
def assign_rest_periodically(sender, **kwargs):
    with scopes_disabled():
        assign_rest_when_due()


@receiver(base_signals.periodic_task, dispatch_uid="innowerkstatt_workgroups_expired_holds")
@minimum_interval(minutes_after_success=60)
def delete_expired_holds_periodically(sender, **kwargs):
    with scopes_disabled():
        delete_expired_holds()


@receiver(control_signals.nav_event, dispatch_uid="innowerkstatt_workgroups_nav")
def nav_event(sender, request=None, **kwargs):
    """ "Groups" below the Agenda entry (pretix's ``parent``), with the agenda page itself as the first child."""
    agenda = event_nav_entry(request, _("Agenda"), "agenda", "list-ol", "agenda")
    groups = event_nav_entry(request, _("Work-phase groups"), "agenda_groups", "users", "agenda_groups")
    agenda["active"] = agenda["active"] and not groups["active"]
    return [{**entry, "parent": agenda["url"]} for entry in (agenda, groups)]


@receiver(base_signals.register_data_exporters, dispatch_uid="innowerkstatt_workgroups_exporter_members")
def member_list_exporter(sender, **kwargs):
    return exporters.MemberListExporter


@receiver(base_signals.register_data_exporters, dispatch_uid="innowerkstatt_workgroups_exporter_zoom")
def zoom_exporter(sender, **kwargs):
    return exporters.ZoomBreakoutExporter


# --- At the work phase: the group's room, and the group in mails and on tickets ---------------------


@receiver(base_signals.register_text_placeholders, dispatch_uid="innowerkstatt_workgroups_placeholders")
def text_placeholders(sender, **kwargs):
    return placeholders.placeholders(sender)


@receiver(base_signals.layout_text_variables, dispatch_uid="innowerkstatt_workgroups_pdf")
def pdf_text_variables(sender, **kwargs):
    return pdf.text_variables(sender)


@receiver(post_save, sender=WorkGroup, dispatch_uid="innowerkstatt_workgroups_times_group_saved")
def group_saved(sender, instance=None, created=False, **kwargs):
    rooms.refresh_has_groups(instance.event, added=True)


@receiver(post_delete, sender=WorkGroup, dispatch_uid="innowerkstatt_workgroups_times_group_deleted")
def group_deleted(sender, instance=None, **kwargs):
    event = Event.objects.filter(pk=instance.event_id).select_related("organizer").first()
    if event is not None:  # not when the whole event is deleted
        rooms.refresh_has_groups(event)


@receiver(post_save, sender=AgendaItem, dispatch_uid="innowerkstatt_workgroups_times_item_saved")
@receiver(post_delete, sender=AgendaItem, dispatch_uid="innowerkstatt_workgroups_times_item_deleted")
@receiver(post_save, sender=SubEvent, dispatch_uid="innowerkstatt_workgroups_times_date_saved")
def work_phase_times_changed(sender, instance=None, **kwargs):
    """This process reads the event's work-phase times again on the next join (others within a minute)."""
    rooms.forget(instance.event_id)


@receiver(post_save, sender=Event, dispatch_uid="innowerkstatt_workgroups_times_event_saved")
def event_saved(sender, instance=None, **kwargs):
    rooms.forget(instance.pk)
