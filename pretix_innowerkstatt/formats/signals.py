"""Switchboard: pretix signals -> handlers in receivers.py. No logic here."""

from pretix.control.signals import nav_organizer
from pretix.presale.signals import front_page_bottom

from . import (
    logtypes,  # NOQA: F401  (registers the log lines)
    receivers,
    tasks,  # NOQA: F401  (registers the Celery task with workers)
)

nav_organizer.connect(receivers.nav_organizer, dispatch_uid="innowerkstatt_formats_nav_organizer")
front_page_bottom.connect(receivers.front_page_bottom, dispatch_uid="innowerkstatt_formats_front_page_bottom")
