"""Thin handlers between pretix's signals and the video-link domain."""

from django.utils.translation import gettext_lazy as _

from ..core.navigation import event_nav_entry
from . import settings as names
from .domain.config import event_meeting
from .interfaces import mail, pages, pdf
from .interfaces import placeholders as join_placeholders
from .models import VideoConferenceConfig


def periodic_task(sender, **kwargs):
    from .tasks import schedule_waiting_flushes

    schedule_waiting_flushes()


def nav_event(sender, request=None, **kwargs):
    user = request.user
    if not (
        user.has_event_permission(request.organizer, request.event, "event.settings.general:write", request=request)
        or user.has_event_permission(request.organizer, request.event, "event.orders:read", request=request)
    ):
        return []
    return [event_nav_entry(request, _("Video conference"), "videolinks.settings", "video-camera", "videolinks.")]


def live_issues(sender, **kwargs):
    if not event_meeting(sender).configured and not sender.innowerkstatt_video_configs.exclude(join_url="").exists():
        return _(
            "The Innowerkstatt plugin is active, but no video-conference URL is set: attendees cannot join. "
            "Set it under “Video conference”, or switch the plugin off for this event."
        )
    return None


def order_info_top(sender, order=None, request=None, **kwargs):
    return pages.join_panels(request, sender, order)


def position_info_top(sender, order=None, position=None, request=None, **kwargs):
    return pages.join_panels(request, sender, order, position)


def process_response(sender, request=None, response=None, **kwargs):
    return pages.forbid_caching(request, response)


def text_placeholders(sender, **kwargs):
    return join_placeholders.placeholders(sender)


def email_filter(sender, message=None, order=None, outgoing_mail=None, **kwargs):
    return mail.filter_message(message, sender, order, outgoing_mail)


def layout_text_variables(sender, **kwargs):
    return pdf.text_variables(sender)


def subevent_forms(sender, request=None, subevent=None, copy_from=None, **kwargs):
    from .forms import SubEventVideoForm

    return SubEventVideoForm(
        data=request.POST if request.method == "POST" else None,
        prefix="innowerkstatt-video",
        event=sender,
        subevent=subevent,
        copy_from=copy_from,
        user=request.user,
    )


def event_copy_data(sender, other=None, item_map=None, checkin_list_map=None, **kwargs):
    """Copy the product overrides and remap item and check-in list IDs in the copied settings.

    Dates are not copied by pretix, so their overrides stay with the old event.
    """
    item_map = item_map or {}
    for row in VideoConferenceConfig.objects.filter(event=other, subevent__isnull=True, item__isnull=False):
        new_item = item_map.get(row.item_id)
        if new_item is None:
            continue
        VideoConferenceConfig.objects.create(
            event=sender,
            item=new_item,
            join_url=row.join_url,
            meeting_id=row.meeting_id,
            passcode=row.passcode,
            dial_in=row.dial_in,
            instructions=row.instructions,
        )
    products = other.settings.get(names.PRODUCTS, as_type=list) or []
    if products:
        sender.settings.set(names.PRODUCTS, sorted(item_map[i].pk for i in map(int, products) if i in item_map))
    old_list = other.settings.get(names.CHECKIN_LIST, as_type=int)
    new_list = (checkin_list_map or {}).get(old_list) if old_list else None
    if new_list is not None:
        sender.settings.set(names.CHECKIN_LIST, new_list.pk)
    else:
        sender.settings.delete(names.CHECKIN_LIST)
