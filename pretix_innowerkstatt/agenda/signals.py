"""The agenda's receivers of pretix's signals.

pretix calls a plugin's receivers only for events that have the plugin enabled. Receivers that
read the plugin's models activate the event's organiser scope themselves: pretix may render a
response after the request's scope has ended (a lazily rendered ``TemplateResponse``,
``response.rendered_content``), and a query without a scope raises ``ScopeError`` there.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled
from pretix.base import signals as base_signals
from pretix.base.models import Event, SubEvent
from pretix.control import signals as control_signals
from pretix.helpers.periodic import minimum_interval
from pretix.presale import signals as presale_signals

from ..core.navigation import event_nav_entry
from ..core.permissions import plugin_active_for_event, plugin_active_for_organizer
from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    presentation,
    receivers_interop,  # NOQA: F401  (the import page's menu entry)
    settings,  # NOQA: F401  (declares the settings' defaults)
)
from .domain.copying import copy_agenda
from .domain.shifting import follow_bulk_edited_dates, follow_moved_date
from .interfaces import calendar_description, mail_block, mail_placeholders, ticket_variables
from .settings import POSITION, POSITION_BOTTOM, POSITION_TOP

# --- backend navigation -------------------------------------------------------------------------


@receiver(control_signals.nav_event, dispatch_uid="innowerkstatt_agenda_nav_event")
def nav_event(sender, request=None, **kwargs):
    return [event_nav_entry(request, _("Agenda"), "agenda", "list-ol", "agenda")]


@receiver(control_signals.nav_organizer, dispatch_uid="innowerkstatt_agenda_nav_organizer")
def nav_organizer(sender, request=None, organizer=None, **kwargs):
    organizer = organizer or request.organizer
    if not plugin_active_for_organizer(organizer):
        return []
    match = request.resolver_match
    return [
        {
            "label": _("Speakers"),
            "url": reverse("plugins:pretix_innowerkstatt:speakers", kwargs={"organizer": organizer.slug}),
            "icon": "id-card-o",
            "active": bool(
                match and match.namespace == "plugins:pretix_innowerkstatt" and match.url_name.startswith("speaker")
            ),
        }
    ]


@receiver(control_signals.event_dashboard_top, dispatch_uid="innowerkstatt_agenda_dashboard_outside")
def dashboard_outside(sender, request=None, **kwargs):
    """A notice (not a go-live blocker) when agenda items lie outside the event's or a date's time."""
    with scope(organizer=sender.organizer):
        return presentation.outside_notice(sender)


# --- public event page --------------------------------------------------------------------------


def _agenda_section(position, event, request, subevent):
    if event.settings.get(POSITION) != position:
        return ""
    match = getattr(request, "resolver_match", None)
    if match and match.kwargs.get("cart_namespace"):
        return ""  # the page inside the widget's iframe stays as pretix has it
    if event.has_subevents and subevent is None:
        return ""  # the series' calendar: each date's page shows its agenda
    with scope(organizer=event.organizer):
        return presentation.render_section(event, request, subevent)


@receiver(presale_signals.front_page_top, dispatch_uid="innowerkstatt_agenda_front_page_top")
def front_page_top(sender, request=None, subevent=None, **kwargs):
    return _agenda_section(POSITION_TOP, sender, request, subevent)


@receiver(presale_signals.front_page_bottom, dispatch_uid="innowerkstatt_agenda_front_page_bottom")
def front_page_bottom(sender, request=None, subevent=None, **kwargs):
    return _agenda_section(POSITION_BOTTOM, sender, request, subevent)


@receiver(presale_signals.html_head, dispatch_uid="innowerkstatt_agenda_html_head")
def html_head(sender, request=None, **kwargs):
    # A static file: no query, and the browser caches it across all event pages.
    return format_html('<link rel="stylesheet" href="{}">', static("pretix_innowerkstatt/agenda/agenda.css"))


# --- mails and tickets --------------------------------------------------------------------------


@receiver(base_signals.register_text_placeholders, dispatch_uid="innowerkstatt_agenda_placeholders")
def text_placeholders(sender, **kwargs):
    return mail_placeholders.placeholders(sender)


@receiver(base_signals.email_filter, dispatch_uid="innowerkstatt_agenda_mail_block")
def agenda_block_in_mails(sender, message=None, order=None, outgoing_mail=None, **kwargs):
    with scope(organizer=sender.organizer):
        return mail_block.filter_message(message, sender, order, outgoing_mail)


@receiver(base_signals.layout_text_variables, dispatch_uid="innowerkstatt_agenda_pdf_variables")
def layout_text_variables(sender, **kwargs):
    return ticket_variables.text_variables(sender)


# --- calendar files -----------------------------------------------------------------------------


@receiver(base_signals.email_filter, dispatch_uid="innowerkstatt_agenda_mail_calendar")
def email_filter(sender, message=None, order=None, **kwargs):
    with scope(organizer=sender.organizer):
        return calendar_description.mail_filter(sender, message, order)


@receiver(presale_signals.process_response, dispatch_uid="innowerkstatt_agenda_public_calendar")
def process_response(sender, request=None, response=None, **kwargs):
    with scope(organizer=sender.organizer):
        return calendar_description.public_download(sender, request, response)


# --- copying events -----------------------------------------------------------------------------


@receiver(base_signals.event_copy_data, dispatch_uid="innowerkstatt_agenda_event_copy")
def event_copy_data(sender, other=None, **kwargs):
    """pretix copies an event ("copy from" on creation, the clone API): the agenda comes along.

    Series dates are not copied by pretix, so neither are their own agendas. The source may
    belong to another organiser (speakers are not copied then).
    """
    with scope(organizer=[other.organizer, sender.organizer]):
        copy_agenda(other, sender)


# --- the agenda follows the event ---------------------------------------------------------------
#
# A pre_save/post_save pair on Event and SubEvent: pretix's event settings form, its date form and
# the REST API (events and dates) all end in ``save()``, and nothing else tells a plugin the start
# *before* the change (pretix's "changed" log lines only carry the new values). pretix's bulk edit
# of dates writes with ``bulk_update`` and so sends no save signals: the periodic run compares each
# date that has items of its own with the range its agenda was last aligned with and moves them
# then (``AgendaAlignment``). Items outside their date for any other reason are caught by the
# dashboard notice and the agenda page's offer to move them.


def _remember_old_range(instance, event):
    # Django's save signals fire for every event of the installation: only events with the
    # plugin pay the one query, and it runs in the organiser's scope, as pretix may save an
    # event outside a request's scope (API, tasks, its own tests).
    if instance.pk is None or not plugin_active_for_event(event):
        return
    with scope(organizer=event.organizer):
        old = type(instance).objects.filter(pk=instance.pk).values_list("date_from", "date_to").first()
    instance.innowerkstatt_old_range = old


@receiver(pre_save, sender=Event, dispatch_uid="innowerkstatt_agenda_event_pre_save")
def event_pre_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or "date_from" in update_fields:
        _remember_old_range(instance, instance)


@receiver(pre_save, sender=SubEvent, dispatch_uid="innowerkstatt_agenda_subevent_pre_save")
def subevent_pre_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or "date_from" in update_fields:
        _remember_old_range(instance, instance.event)


def _follow(event, subevent, instance):
    old = getattr(instance, "innowerkstatt_old_range", None)
    instance.innowerkstatt_old_range = None
    if not old or old == (instance.date_from, instance.date_to) or not plugin_active_for_event(event):
        return
    with scope(organizer=event.organizer):
        follow_moved_date(event, subevent, old[0], old[1])


@receiver(post_save, sender=Event, dispatch_uid="innowerkstatt_agenda_event_post_save")
def event_post_save(sender, instance, created=False, **kwargs):
    if not created:
        _follow(instance, None, instance)


@receiver(post_save, sender=SubEvent, dispatch_uid="innowerkstatt_agenda_subevent_post_save")
def subevent_post_save(sender, instance, created=False, **kwargs):
    if not created:
        _follow(instance.event, instance, instance)


@receiver(base_signals.periodic_task, dispatch_uid="innowerkstatt_agenda_follow_bulk_edit")
@minimum_interval(minutes_after_success=1)
def follow_dates_moved_in_bulk(sender, **kwargs):
    """pretix's bulk edit of dates moves dates without save signals: their own agendas follow here."""
    with scopes_disabled():
        follow_bulk_edited_dates()
