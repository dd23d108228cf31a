"""The followers capability's signal receivers (imported by the root ``signals.py`` from ``apps.ready()``)."""

from django import forms
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled
from pretix.base.models import LogEntry
from pretix.base.signals import (
    order_placed,
    periodic_task,
    register_data_shredders,
    register_multievent_data_exporters,
)
from pretix.helpers.periodic import minimum_interval
from pretix.presale.signals import contact_form_fields, front_page_bottom, order_meta_from_request, process_request

from ..core.permissions import plugin_active_for_event
from ..formats.models import Edition
from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    overview,  # NOQA: F401  (registers the card on the plugin's overview page)
)
from .domain import attribution, availability, following, texts
from .domain.announcing import REF_PARAMETER
from .interfaces.data import FollowerExporter, FollowerShredder
from .interfaces.pages import public_page_url

CHECKOUT_FIELD = "innowerkstatt_follow"


def format_of_event(event, subevent=None):
    """The public format whose edition ``event`` (or its date ``subevent``) is, or None.

    A series holding a format's dates stands for the format on its pages without a date and in
    its checkout (the cart may hold any of its dates).
    """
    editions = Edition.objects.filter(event=event, format__public=True).select_related("format", "format__organizer")
    if subevent is not None:
        editions = editions.filter(subevent=subevent)
    else:
        editions = editions.filter(subevent__isnull=not event.has_subevents)
    edition = editions.first()
    return edition.format if edition else None


@receiver(post_save, sender=LogEntry, dispatch_uid="innowerkstatt_followers_event_live")
def announce_when_available(sender, instance, created=False, **kwargs):
    """Every way an edition becomes available logs a line: an event going live (backend switch, REST API, its
    format creating it live), a date activated (date form, REST API, its format creating it active)."""
    if not created or instance.action_type not in availability.ACTION_TYPES or not instance.event_id:
        return
    event = instance.event
    if not plugin_active_for_event(event):
        return
    with scope(organizer=event.organizer):
        availability.log_line_saved(instance)


@receiver(periodic_task, dispatch_uid="innowerkstatt_followers_bulk_dates")
@minimum_interval(minutes_after_success=1)
def announce_dates_enabled_in_bulk(sender, **kwargs):
    """pretix's bulk actions on dates store their log lines without ``post_save``: read them here."""
    with scopes_disabled():
        availability.announce_bulk_changes()


@receiver(periodic_task, dispatch_uid="innowerkstatt_followers_expire_pending")
@minimum_interval(minutes_after_success=60)
def expire_pending_followers(sender, **kwargs):
    with scopes_disabled():
        following.expire_pending()


@receiver(front_page_bottom, dispatch_uid="innowerkstatt_followers_front_page")
def follow_link_on_edition_page(sender, request=None, subevent=None, **kwargs):
    with scope(organizer=sender.organizer):
        fmt = format_of_event(sender, subevent)
        if fmt is None:
            return ""
        return get_template("pretix_innowerkstatt/followers/edition_link.html").render(
            {
                "format": fmt,
                "url": public_page_url(fmt),
            },
            request,
        )


@receiver(process_request, dispatch_uid="innowerkstatt_followers_shop_ref")
def remember_announcement_ref(sender, request=None, **kwargs):
    token = request.GET.get(REF_PARAMETER)
    if token:
        attribution.remember(request.session, sender, token)


@receiver(order_meta_from_request, dispatch_uid="innowerkstatt_followers_order_meta")
def announcement_ref_on_order(sender, request=None, **kwargs):
    return attribution.meta_of(request.session, sender)


@receiver(contact_form_fields, dispatch_uid="innowerkstatt_followers_checkout_consent")
def checkout_consent_field(sender, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        fmt = format_of_event(sender)
        if fmt is None:
            return {}
        return {
            CHECKOUT_FIELD: forms.BooleanField(
                required=False,
                label=_(
                    "Tell me by email when the next edition of {format} opens (you will get a mail to confirm)."
                ).format(format=fmt.name),
                help_text=str(texts.consent_text(fmt)),
            )
        }


@receiver(order_placed, dispatch_uid="innowerkstatt_followers_order_placed")
def order_placed_follow_and_attribute(sender, order=None, **kwargs):
    with scope(organizer=sender.organizer):
        attribution.attribute(order)
        if not order.meta_info_data.get("contact_form_data", {}).get(CHECKOUT_FIELD):
            return
        fmt = format_of_event(sender)
        if fmt is not None and order.email:
            following.follow(fmt, order.email, order.locale or sender.settings.locale, source="checkout")


@receiver(register_data_shredders, dispatch_uid="innowerkstatt_followers_shredder")
def followers_shredder(sender, **kwargs):
    return FollowerShredder


@receiver(register_multievent_data_exporters, dispatch_uid="innowerkstatt_followers_exporter")
def followers_exporter(sender, **kwargs):
    return FollowerExporter
