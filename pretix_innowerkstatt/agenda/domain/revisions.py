"""Calendar revisions of agenda items.

Calendars recognise an updated entry by its unchanged UID and a higher SEQUENCE (RFC 5545), so
every saved change of an existing item counts up ``sequence``. One place for it, used by the
API, the import and (for whole agendas) ``shifting.shift_agenda``'s ``F("sequence") + 1``.
"""


def bump_sequence(item) -> None:
    """Mark ``item`` as changed for calendars; call before saving a change to an existing item."""
    if item.pk is not None:
        item.sequence = (item.sequence or 0) + 1
