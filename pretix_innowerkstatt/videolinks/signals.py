"""Switchboard: pretix signals -> handlers in receivers.py. No logic here."""

from pretix.base.signals import (
    email_filter,
    event_copy_data,
    event_live_issues,
    layout_text_variables,
    periodic_task,
    register_text_placeholders,
)
from pretix.control.signals import nav_event, subevent_forms
from pretix.presale.signals import order_info_top, position_info_top, process_response

from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    receivers,
    settings,  # NOQA: F401  (declares the hierarkey defaults)
)

nav_event.connect(receivers.nav_event, dispatch_uid="innowerkstatt_videolinks_nav")
event_live_issues.connect(receivers.live_issues, dispatch_uid="innowerkstatt_videolinks_live_issues")
order_info_top.connect(receivers.order_info_top, dispatch_uid="innowerkstatt_videolinks_order_info_top")
position_info_top.connect(receivers.position_info_top, dispatch_uid="innowerkstatt_videolinks_position_info_top")
process_response.connect(receivers.process_response, dispatch_uid="innowerkstatt_videolinks_process_response")
register_text_placeholders.connect(receivers.text_placeholders, dispatch_uid="innowerkstatt_videolinks_placeholders")
email_filter.connect(receivers.email_filter, dispatch_uid="innowerkstatt_videolinks_email_filter")
layout_text_variables.connect(receivers.layout_text_variables, dispatch_uid="innowerkstatt_videolinks_pdf")
subevent_forms.connect(receivers.subevent_forms, dispatch_uid="innowerkstatt_videolinks_subevent_forms")
event_copy_data.connect(receivers.event_copy_data, dispatch_uid="innowerkstatt_videolinks_copy")
periodic_task.connect(receivers.periodic_task, dispatch_uid="innowerkstatt_videolinks_flush_joins")
