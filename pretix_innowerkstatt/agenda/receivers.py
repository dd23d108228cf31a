"""Thin handlers between pretix's signals and the agenda (see signals.py for which is which)."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..core.navigation import event_nav_entry
from ..core.permissions import plugin_active_for_organizer
from . import logtypes, presentation
from .domain.copying import copy_agenda
from .interfaces import calendar_description, mail_placeholders, ticket_variables
from .settings import POSITION, POSITION_BOTTOM, POSITION_TOP


# --- backend navigation -------------------------------------------------------------------------
def nav_event(sender, request=None, **kwargs):
    return [event_nav_entry(request, _("Agenda"), "agenda", "list-ol", "agenda")]


def nav_organizer(sender, request=None, organizer=None, **kwargs):
    organizer = organizer or request.organizer
    if not plugin_active_for_organizer(organizer):
        return []
    url = reverse("plugins:pretix_innowerkstatt:speakers", kwargs={"organizer": organizer.slug})
    match = request.resolver_match
    return [
        {
            "label": _("Speakers"),
            "url": url,
            "icon": "id-card-o",
            "active": bool(
                match and match.namespace == "plugins:pretix_innowerkstatt" and match.url_name.startswith("speaker")
            ),
        }
    ]


# --- public event page --------------------------------------------------------------------------
def _front_page(position, sender, request, subevent):
    if sender.settings.get(POSITION) != position:
        return ""
    match = getattr(request, "resolver_match", None)
    if match and match.kwargs.get("cart_namespace"):
        return ""  # the page inside the widget's iframe stays as pretix has it
    if sender.has_subevents and subevent is None:
        return ""  # the series' calendar: each date's page shows its agenda
    return presentation.render_section(sender, request, subevent)


def html_head(sender, request=None, **kwargs):
    # A static file: no query, and the browser caches it across all event pages.
    return format_html('<link rel="stylesheet" href="{}">', static("pretix_innowerkstatt/agenda/agenda.css"))


def front_page_top(sender, request=None, subevent=None, **kwargs):
    return _front_page(POSITION_TOP, sender, request, subevent)


def front_page_bottom(sender, request=None, subevent=None, **kwargs):
    return _front_page(POSITION_BOTTOM, sender, request, subevent)


# --- mails and tickets --------------------------------------------------------------------------
def text_placeholders(sender, **kwargs):
    return mail_placeholders.placeholders(sender)


def layout_text_variables(sender, **kwargs):
    return ticket_variables.text_variables(sender)


# --- calendar files -----------------------------------------------------------------------------
def email_filter(sender, message=None, order=None, **kwargs):
    return calendar_description.mail_filter(sender, message, order)


def process_response(sender, request=None, response=None, **kwargs):
    return calendar_description.public_download(sender, request, response)


# --- copying events -----------------------------------------------------------------------------
def event_copy_data(sender, other=None, **kwargs):
    """pretix copies an event ("copy from" on creation, the clone API): the agenda comes along.

    Series dates are not copied by pretix, so neither are their own agendas.
    """
    count = copy_agenda(other, sender)
    if count:
        sender.log_action(logtypes.COPIED, data={"source": str(other.name), "source_event": other.pk, "count": count})
