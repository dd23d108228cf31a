"""The video configuration that applies to a position: event settings plus overrides.

Precedence per field, most specific first: date + product, product, date, event.
Access rules (pending, products) and the time window are the event's.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.timezone import now
from i18nfield.strings import LazyI18nString

from .. import settings as names
from ..logtypes import SETTINGS_CHANGED
from . import rooms
from .checkin import ensure_checkin_list
from .providers import get_provider, secret_setting_names
from .rules import AccessRules, access_rules  # noqa: F401  (where readers of the configuration find them)

MEETING_FIELDS = ("join_url", "meeting_id", "passcode", "dial_in", "instructions")
_UNSET = object()


@dataclass(frozen=True)
class MeetingConfig:
    join_url: str = ""
    meeting_id: str = ""
    passcode: str = ""
    dial_in: str = ""
    instructions: LazyI18nString = field(default_factory=lambda: LazyI18nString(""))
    provider: str = "generic"
    provider_settings: dict = field(default_factory=dict)  # the provider's own settings by name

    @property
    def configured(self) -> bool:
        return bool(self.join_url.strip())

    def redirect_url(self, position, at=None) -> str:
        """Where the join POST of ``position`` leads at ``at`` (now): this meeting, or a room (domain/rooms.py)."""
        event = position.order.event
        meeting = rooms.meeting_at(event, position, at or now(), self)
        return get_provider(meeting.provider).join_url(meeting, position)

    def room(self, position, at):
        """The room (``rooms.Room``) ``position`` joins at ``at`` instead of this meeting, or None."""
        return rooms.room_for(position.order.event, position, at, self)

    @property
    def dial_in_lines(self):
        return [line.strip() for line in self.dial_in.splitlines() if line.strip()]

    @property
    def has_phone_details(self) -> bool:
        """Dial-in numbers, meeting ID or passcode: shown only while the conference is open."""
        return bool(self.dial_in_lines or self.meeting_id.strip() or self.passcode.strip())


def event_meeting(event) -> MeetingConfig:
    s = event.settings
    provider = get_provider(s.get(names.PROVIDER) or "generic")
    return MeetingConfig(
        join_url=s.get(names.JOIN_URL) or "",
        meeting_id=s.get(names.MEETING_ID) or "",
        passcode=s.get(names.PASSCODE) or "",
        dial_in=s.get(names.DIAL_IN) or "",
        instructions=s.get(names.INSTRUCTIONS, as_type=LazyI18nString) or LazyI18nString(""),
        provider=provider.identifier,
        provider_settings=provider.read_settings(s),
    )


def _specificity(row):
    return (row.subevent_id is not None and row.item_id is not None, row.item_id is not None)


def _is_set(value):
    if isinstance(value, LazyI18nString):
        data = value.data
        return bool(data if isinstance(data, str) else any((v or "").strip() for v in (data or {}).values()))
    return bool((value or "").strip()) if isinstance(value, str) else value is not None


def merge(base: MeetingConfig, overrides) -> MeetingConfig:
    """``overrides``: rows applying to one position, in any order."""
    values = {f: getattr(base, f) for f in MEETING_FIELDS}
    for row in sorted(overrides, key=_specificity):  # least specific first, most specific wins
        for f in MEETING_FIELDS:
            value = getattr(row, f)
            if _is_set(value):
                values[f] = value
    return MeetingConfig(provider=base.provider, provider_settings=base.provider_settings, **values)


def overrides_query(event, subevent_id, item_id):
    from ..models import VideoConferenceConfig

    # No ordering: merge() sorts by specificity, and the model's ordering would join two tables.
    return VideoConferenceConfig.objects.filter(
        Q(subevent_id__isnull=True) | Q(subevent_id=subevent_id),
        Q(item_id__isnull=True) | Q(item_id=item_id),
        event=event,
    ).order_by()


def meeting_for(event, subevent_id, item_id, base: MeetingConfig = None) -> MeetingConfig:
    """The meeting details for a product on a date: one query, none if the event has no overrides."""
    base = base or event_meeting(event)
    if not event.settings.get(names.HAS_OVERRIDES, as_type=bool):
        return base
    return merge(base, list(overrides_query(event, subevent_id, item_id)))


def meetings_for_positions(event, positions, base: MeetingConfig = None):
    """``{position.pk: MeetingConfig}`` with one query for all positions (mails, lists)."""
    from ..models import VideoConferenceConfig

    base = base or event_meeting(event)
    has_rows = event.settings.get(names.HAS_OVERRIDES, as_type=bool)
    rows = list(VideoConferenceConfig.objects.filter(event=event).order_by()) if has_rows else []
    result = {}
    for p in positions:
        applicable = [r for r in rows if r.subevent_id in (None, p.subevent_id) and r.item_id in (None, p.item_id)]
        result[p.pk] = merge(base, applicable)
    return result


def fingerprint(meeting: MeetingConfig, opens_at, closes_at) -> str:
    """Identifies the access details an attendee was told about (for "updated access" mails)."""
    data = {f: str(getattr(meeting, f)) if f != "instructions" else meeting.instructions.data for f in MEETING_FIELDS}
    data["opens_at"] = opens_at.isoformat() if opens_at else None
    data["closes_at"] = closes_at.isoformat() if closes_at else None
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def configure_event(
    event,
    *,
    url=_UNSET,
    opens_minutes_before=_UNSET,
    closes_minutes_after=_UNSET,
    allow_pending=_UNSET,
    products=_UNSET,
    meeting_id=_UNSET,
    passcode=_UNSET,
    dial_in=_UNSET,
    instructions=_UNSET,
    provider=_UNSET,
    provider_settings=_UNSET,
    user=None,
    log=True,
):
    """Store the event's video settings (validates the URL): the storage step of the write path.

    Pages and the demo change settings with ``editing.save_event_settings``, which calls this,
    logs one line and has pretix render tickets again. Only the given arguments change.
    ``closes_minutes_after=None`` goes back to the default closing time (60 minutes after the end).
    ``provider_settings``: ``{setting name: text}`` of providers' own settings (``Provider.setting_name``).
    Creates the check-in list "Online (Videokonferenz)" if missing. Returns the changed names.
    """
    values = {
        names.JOIN_URL: url,
        names.OPENS_MINUTES_BEFORE: opens_minutes_before,
        names.CLOSES_MINUTES_AFTER: closes_minutes_after,
        names.ALLOW_PENDING: allow_pending,
        names.PRODUCTS: sorted(int(getattr(p, "pk", p)) for p in products) if products is not _UNSET else _UNSET,
        names.MEETING_ID: meeting_id,
        names.PASSCODE: passcode,
        names.DIAL_IN: dial_in,
        names.INSTRUCTIONS: LazyI18nString(instructions) if instructions is not _UNSET else _UNSET,
        names.PROVIDER: provider,
    }
    values = {k: v for k, v in values.items() if v is not _UNSET}
    if provider_settings is not _UNSET:
        values.update(provider_settings)  # {setting name: text}, see providers.Provider.settings_fields
    if values.get(names.JOIN_URL):
        get_provider(values.get(names.PROVIDER) or event.settings.get(names.PROVIDER)).validate(values[names.JOIN_URL])
    changed = apply_settings(event, values)
    ensure_checkin_list(event)
    if changed and log:
        event.log_action(SETTINGS_CHANGED, user=user, data=loggable(changed))
    return changed


def apply_settings(event, values: dict):
    """Store ``values`` (setting name -> value; None deletes) and return the names that changed."""
    changed = {}
    for key, value in values.items():
        if value is None:
            if event.settings.get(key) not in (None, ""):
                changed[key] = None
            event.settings.delete(key)
        elif event.settings.get(key, as_type=type(value)) != value:
            event.settings.set(key, value)
            changed[key] = value
    return changed


SECRET_SETTINGS = (names.JOIN_URL, names.PASSCODE, names.MEETING_ID)


def masked(value) -> str:
    """How a meeting URL, ID or passcode appears in logs: whether it is set, never the value."""
    return "•••" if value else ""


def loggable(changed: dict) -> dict:
    """Log data that names what changed but never stores the meeting URL or passcode in clear."""
    data = {}
    for key, value in changed.items():
        short = key[len(names.PREFIX) :]
        if key in SECRET_SETTINGS or key in secret_setting_names():
            data[short] = masked(value)
        elif isinstance(value, LazyI18nString):
            data[short] = value.data
        else:
            data[short] = value
    return data
