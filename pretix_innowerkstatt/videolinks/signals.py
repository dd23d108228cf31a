"""Switchboard: pretix signals -> handlers in receivers.py. No logic here."""
