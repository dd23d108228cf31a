"""pretix's signals for video links: each receiver checks what it needs and calls the domain or interface.

Receivers that read the plugin's models activate the event's organiser scope themselves: pretix
may render a response (and send a signal) outside the request's scope.
"""

from django.core.signals import request_started
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_scopes import scope
from pretix.base.signals import (
    email_filter,
    event_copy_data,
    event_live_issues,
    layout_text_variables,
    periodic_task,
    register_text_placeholders,
)
from pretix.control.signals import event_dashboard_top, nav_event, subevent_forms
from pretix.presale.signals import order_info_top, position_info_top, process_response

from ..compat import route_before_other_plugins
from ..core.navigation import event_nav_entry
from . import (
    host_views,
    logtypes,  # NOQA: F401  (registers the log lines)
    notices,
    permissions,
    settings,  # NOQA: F401  (declares the hierarkey defaults)
)
from .interfaces import mail, pages, pdf
from .interfaces import placeholders as join_placeholders
from .join_route import JOIN_ROUTE_FIRST
from .providers import bigbluebutton, jitsi  # NOQA: F401  (the signed providers register on import)

JOIN_ROUTE_FIRST_UID = "innowerkstatt_join_route_first"


@receiver(request_started, dispatch_uid=JOIN_ROUTE_FIRST_UID)
def place_join_route_first(sender, **kwargs):
    """Once per process, before its first request is resolved: the join POST's route right after pretix's own.

    See ``join_route.py``. Once the route is there this receiver leaves; where pretix's
    URL configuration has another shape (or a test overrides it) it looks again at the next request.
    """
    if route_before_other_plugins(JOIN_ROUTE_FIRST):
        request_started.disconnect(dispatch_uid=JOIN_ROUTE_FIRST_UID)


@receiver(nav_event, dispatch_uid="innowerkstatt_videolinks_nav")
def nav_event_entry(sender, request=None, **kwargs):
    user, organizer = request.user, request.organizer
    may_change = user.has_event_permission(organizer, sender, permissions.CHANGE_SETTINGS, request=request)
    if not may_change and not user.has_event_permission(organizer, sender, permissions.VIEW_ORDERS, request=request):
        return []
    children = host_views.nav_children(request) if may_change else ()
    return [
        event_nav_entry(
            request, _("Video conference"), "videolinks.settings", "video-camera", "videolinks.", children=children
        )
    ]


@receiver(event_live_issues, dispatch_uid="innowerkstatt_videolinks_live_issues")
def live_issue(sender, **kwargs):
    with scope(organizer=sender.organizer):
        return notices.live_issue(sender)


@receiver(event_dashboard_top, dispatch_uid="innowerkstatt_videolinks_dashboard_notices")
def dashboard_notices(sender, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return notices.render(sender, request)


@receiver(order_info_top, dispatch_uid="innowerkstatt_videolinks_order_info_top")
def order_join_panels(sender, order=None, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return pages.join_panels(request, sender, order)


@receiver(position_info_top, dispatch_uid="innowerkstatt_videolinks_position_info_top")
def position_join_panel(sender, order=None, position=None, request=None, **kwargs):
    with scope(organizer=sender.organizer):
        return pages.join_panels(request, sender, order, position)


@receiver(process_response, dispatch_uid="innowerkstatt_videolinks_process_response")
def no_caching_of_join_links(sender, request=None, response=None, **kwargs):
    return pages.forbid_caching(request, response)


@receiver(register_text_placeholders, dispatch_uid="innowerkstatt_videolinks_placeholders")
def text_placeholders(sender, **kwargs):
    return join_placeholders.placeholders(sender)


@receiver(email_filter, dispatch_uid="innowerkstatt_videolinks_email_filter")
def join_blocks_in_mails(sender, message=None, order=None, outgoing_mail=None, **kwargs):
    with scope(organizer=sender.organizer):
        return mail.filter_message(message, sender, order, outgoing_mail)


@receiver(layout_text_variables, dispatch_uid="innowerkstatt_videolinks_pdf")
def pdf_text_variables(sender, **kwargs):
    return pdf.text_variables(sender)


@receiver(subevent_forms, dispatch_uid="innowerkstatt_videolinks_subevent_forms")
def date_meeting_form(sender, request=None, subevent=None, copy_from=None, **kwargs):
    from .forms import SubEventVideoForm

    with scope(organizer=sender.organizer):
        return SubEventVideoForm(
            data=request.POST if request.method == "POST" else None,
            prefix="innowerkstatt-video",
            event=sender,
            subevent=subevent,
            copy_from=copy_from,
            user=request.user,
            request=request,
        )


@receiver(event_copy_data, dispatch_uid="innowerkstatt_videolinks_copy")
def copy_meeting_details(sender, other=None, item_map=None, checkin_list_map=None, **kwargs):
    from .domain.editing import copy_event_details

    with scope(organizer=sender.organizer):
        copy_event_details(sender, other, item_map or {}, checkin_list_map or {})


@receiver(periodic_task, dispatch_uid="innowerkstatt_videolinks_flush_joins")
def flush_waiting_joins(sender, **kwargs):
    from .tasks import schedule_waiting_flushes

    schedule_waiting_flushes()
