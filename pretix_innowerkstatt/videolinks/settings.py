"""The video-link settings of an event, declared once with their defaults (hierarkey).

Event-level values live in pretix's settings store (``event.settings.<name>``), so pretix's
event copy carries them over and its settings cache keeps the join POST fast. A date of an
event series and a product can override the meeting details (URL, meeting ID, passcode,
dial-in, instructions) with a ``VideoConferenceConfig`` row; access rules and the time window
are always the event's.

Names (all prefixed ``innowerkstatt_video_``):

``join_url``                 The meeting's join URL (http/https only). May contain ``{attendee_name}``,
                             ``{attendee_email}`` and ``{order_code}``, each URL-encoded on use.
``provider``                 Provider that turns the configuration into the redirect target ("generic").
``meeting_id``               Optional meeting ID, shown with the passcode only to eligible attendees on
                             the join page while it is open.
``passcode``                 Optional passcode (same visibility as the meeting ID).
``dial_in``                  Optional phone dial-in numbers, one per line (shown in mails and pages).
``instructions``             Instructions for attendees, multilingual Markdown (LazyI18nString).
``allow_pending``            Pending (unpaid) orders get a link too (default off).
``products``                 IDs of the products that get a link; empty: all admission products.
``opens_minutes_before``     The join button works from this many minutes before the start (default 30).
``closes_minutes_after``     The join button stops working this many minutes after the end (or the
                             start, when the date has no end); default 60. Events that never saved it
                             get this default (it used to be "never").
``require_url``              The organiser has said attendees join online: going live is blocked while
                             no meeting URL is set (default off: an agenda-only event goes live).
``checkin_list``             ID of the check-in list "Online (Videokonferenz)" the plugin created.
``has_overrides``            Set when per-date/per-product details exist, so that the join POST of an
                             event without any skips their query (maintained by the model).
``<provider>_<name>``        A provider's own settings (e.g. a shared secret), declared by the provider
                             in ``Provider.settings_fields`` (see domain/providers.py), default "".

Change them with ``pretix_innowerkstatt.videolinks.domain.editing.save_event_settings`` (validates,
logs, re-renders tickets); ``domain.config.configure_event`` is its storage step.
"""

from i18nfield.strings import LazyI18nString
from pretix.base.settings import settings_hierarkey

PREFIX = "innowerkstatt_video_"

JOIN_URL = PREFIX + "join_url"
PROVIDER = PREFIX + "provider"
MEETING_ID = PREFIX + "meeting_id"
PASSCODE = PREFIX + "passcode"
DIAL_IN = PREFIX + "dial_in"
INSTRUCTIONS = PREFIX + "instructions"
ALLOW_PENDING = PREFIX + "allow_pending"
PRODUCTS = PREFIX + "products"
OPENS_MINUTES_BEFORE = PREFIX + "opens_minutes_before"
CLOSES_MINUTES_AFTER = PREFIX + "closes_minutes_after"
CHECKIN_LIST = PREFIX + "checkin_list"
HAS_OVERRIDES = PREFIX + "has_overrides"
REQUIRE_URL = PREFIX + "require_url"

DEFAULT_OPENS_MINUTES_BEFORE = 30
DEFAULT_CLOSES_MINUTES_AFTER = 60

DEFAULTS = {
    JOIN_URL: ("", str),
    PROVIDER: ("generic", str),
    MEETING_ID: ("", str),
    PASSCODE: ("", str),
    DIAL_IN: ("", str),
    INSTRUCTIONS: ("", LazyI18nString),
    ALLOW_PENDING: ("False", bool),
    PRODUCTS: ("[]", list),
    OPENS_MINUTES_BEFORE: (str(DEFAULT_OPENS_MINUTES_BEFORE), int),
    CLOSES_MINUTES_AFTER: (str(DEFAULT_CLOSES_MINUTES_AFTER), int),
    CHECKIN_LIST: (None, int),
    HAS_OVERRIDES: ("False", bool),
    REQUIRE_URL: ("False", bool),
}

for _name, (_default, _type) in DEFAULTS.items():
    settings_hierarkey.add_default(_name, _default, _type)
