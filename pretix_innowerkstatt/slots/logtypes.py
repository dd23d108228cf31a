"""Readable log lines for presentation slots: settings, placing, removing."""

from django.utils.translation import gettext_lazy as _
from pretix.base.logentrytypes import EventLogEntryType, OrderLogEntryType, log_entry_types

PRODUCT_SAVED = "pretix_innowerkstatt.slots.product.saved"
PRODUCT_REMOVED = "pretix_innowerkstatt.slots.product.removed"
QUOTA_SYNCED = "pretix_innowerkstatt.slots.quota.synced"
MAIL_TEXT_EXTENDED = "pretix_innowerkstatt.slots.mail_text.extended"
PLACED = "pretix_innowerkstatt.slots.presentation.placed"
UNPLACED = "pretix_innowerkstatt.slots.presentation.unplaced"
REMOVED = "pretix_innowerkstatt.slots.presentation.removed"
CLOSED_UP = "pretix_innowerkstatt.slots.presentation.closed_up"


@log_entry_types.new_from_dict(
    {
        PRODUCT_SAVED: _("The presentation slot settings of “{product}” have been saved."),
        PRODUCT_REMOVED: _("“{product}” is no longer a presentation slot product."),
        QUOTA_SYNCED: _("The quota “{quota}” has been set to {size}, the number of slots in the block."),
        MAIL_TEXT_EXTENDED: _("The approval mail texts now contain {{presentation_slot}}."),
        CLOSED_UP: _("{count} following presentations have moved forward to close the gap of “{title}”."),
    }
)
class SlotEventLogEntryType(EventLogEntryType):
    pass


@log_entry_types.new_from_dict(
    {
        PLACED: _("The presentation “{title}” has been placed in the agenda at {start}."),
        UNPLACED: _("The presentation “{title}” is waiting to be placed in the agenda ({reason})."),
        REMOVED: _("The presentation “{title}” has been removed from the agenda."),
    }
)
class SlotOrderLogEntryType(OrderLogEntryType):
    pass
