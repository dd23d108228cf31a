"""Switchboard: pretix signals -> handlers in receivers.py. No logic here."""

from . import settings  # NOQA: F401  (declares the hierarkey defaults)
