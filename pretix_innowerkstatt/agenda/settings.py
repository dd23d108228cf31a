"""The agenda's event settings, declared once with their defaults (hierarkey)."""

from django.utils.translation import gettext_lazy as _
from pretix.base.settings import settings_hierarkey

POSITION = "innowerkstatt_agenda_position"
POSITION_TOP = "top"
POSITION_BOTTOM = "bottom"
POSITION_OFF = "off"
POSITION_CHOICES = (
    (POSITION_TOP, _("Above the products")),
    (POSITION_BOTTOM, _("Below the products")),
    (POSITION_OFF, _("Not shown")),
)

settings_hierarkey.add_default(POSITION, POSITION_BOTTOM, str)

# The agenda follows the event: moving the start of the event or of a date moves its items along.
FOLLOW_EVENT = "innowerkstatt_agenda_follow_event"
settings_hierarkey.add_default(FOLLOW_EVENT, True, bool)

# The agenda as a short block in the mails that carry tickets (interfaces/mail_block.py).
MAIL_BLOCK = "innowerkstatt_agenda_mail_block"
settings_hierarkey.add_default(MAIL_BLOCK, True, bool)
