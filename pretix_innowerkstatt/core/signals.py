"""Switchboard: pretix signals -> handlers. No logic here."""

from pretix.control.signals import nav_event_settings

from . import navigation

nav_event_settings.connect(navigation.overview_nav, dispatch_uid="innowerkstatt_core_nav_settings")
