"""Switchboard: pretix signals -> handlers in receivers.py. No logic here."""

from pretix.base.signals import email_filter, event_copy_data, layout_text_variables, register_text_placeholders
from pretix.control.signals import nav_event, nav_organizer
from pretix.presale.signals import front_page_bottom, front_page_top, html_head, process_response

from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    receivers,
    receivers_interop,
    settings,  # NOQA: F401  (declares the settings' defaults)
)

nav_event.connect(receivers.nav_event, dispatch_uid="innowerkstatt_agenda_nav_event")
nav_organizer.connect(receivers.nav_organizer, dispatch_uid="innowerkstatt_agenda_nav_organizer")
html_head.connect(receivers.html_head, dispatch_uid="innowerkstatt_agenda_html_head")
front_page_top.connect(receivers.front_page_top, dispatch_uid="innowerkstatt_agenda_front_page_top")
front_page_bottom.connect(receivers.front_page_bottom, dispatch_uid="innowerkstatt_agenda_front_page_bottom")
register_text_placeholders.connect(receivers.text_placeholders, dispatch_uid="innowerkstatt_agenda_placeholders")
layout_text_variables.connect(receivers.layout_text_variables, dispatch_uid="innowerkstatt_agenda_pdf_variables")
email_filter.connect(receivers.email_filter, dispatch_uid="innowerkstatt_agenda_mail_calendar")
process_response.connect(receivers.process_response, dispatch_uid="innowerkstatt_agenda_public_calendar")
event_copy_data.connect(receivers.event_copy_data, dispatch_uid="innowerkstatt_agenda_event_copy")
nav_event.connect(receivers_interop.nav_event, dispatch_uid="innowerkstatt_agenda_nav_event_import")
