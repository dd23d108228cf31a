"""Every change of the video-link settings and meeting details, in one place.

The settings page, the page of meeting details per date or product, pretix's date form (also
copy and bulk creation), event copy and the demo write through these functions. Each validates,
stores, logs (never the meeting URL, meeting ID or passcode in clear), has pretix render PDF
tickets again (they carry the join link) and says whether what attendees were told changed, so
that the page can offer "Send updated access information".
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from i18nfield.strings import LazyI18nString
from pretix.base.services import tickets

from .. import settings as names
from ..logtypes import OVERRIDE_ADDED, OVERRIDE_CHANGED, OVERRIDE_DELETED, SETTINGS_CHANGED
from .config import MEETING_FIELDS, SECRET_SETTINGS, apply_settings, configure_event, loggable, masked
from .providers import get_provider

UNSET = object()

# Changing one of these changes what attendees were told.
ACCESS_SETTINGS = frozenset(
    {
        names.JOIN_URL,
        names.MEETING_ID,
        names.PASSCODE,
        names.DIAL_IN,
        names.INSTRUCTIONS,
        names.OPENS_MINUTES_BEFORE,
        names.CLOSES_MINUTES_AFTER,
    }
)
SECRET_FIELDS = frozenset(name[len(names.PREFIX) :] for name in SECRET_SETTINGS)


@dataclass(frozen=True)
class Saved:
    """What a change did: the names that changed, and whether attendees should hear about it."""

    changed: frozenset = frozenset()
    access_changed: bool = False
    row: object = None

    def __bool__(self):
        return bool(self.changed)


def refresh_tickets(event):
    """Rendered PDF tickets show the join link (or not): pretix renders them again on demand."""
    tickets.invalidate_cache.apply_async(kwargs={"event": event.pk})


def save_event_settings(event, *, user=None, require_url=UNSET, **values) -> Saved:
    """Change the event's video settings; ``values`` as ``configure_event`` takes them.

    ``require_url``: attendees join online, so going live needs a meeting URL (see live_issue).
    Only the given values change; an unchanged save stores, logs and refreshes nothing.
    """
    changed = configure_event(event, log=False, **values)
    if require_url is not UNSET:
        changed.update(apply_settings(event, {names.REQUIRE_URL: bool(require_url)}))
    if not changed:
        return Saved()
    event.log_action(SETTINGS_CHANGED, user=user, data=loggable(changed))
    refresh_tickets(event)
    return Saved(changed=frozenset(changed), access_changed=bool(set(changed) & ACCESS_SETTINGS))


def check_details_target(event, subevent, item, row=None):
    """Details belong to a date, a product or both, and only one row per combination."""
    from ..models import VideoConferenceConfig

    if subevent is None and item is None:
        raise ValidationError(_("Choose a date, a product or both."))
    clash = VideoConferenceConfig.objects.filter(event=event, subevent=subevent, item=item)
    if row is not None and row.pk:
        clash = clash.exclude(pk=row.pk)
    if clash.exists():
        raise ValidationError(_("There already are meeting details for this date and product."))


def _comparable(value):
    if isinstance(value, LazyI18nString):
        value = value.data
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if (v or "").strip()}
    if isinstance(value, str):
        return {"": value} if value.strip() else {}
    return value or {}


def save_meeting_details(event, *, row=None, subevent=UNSET, item=UNSET, user=None, **values) -> Saved:
    """Create or change the meeting details of one date and/or product of ``event``.

    ``row``: the existing row (freshly loaded) or None for a new one; ``values``: any of
    ``MEETING_FIELDS``, only those given change. A new row with nothing set is not stored.
    """
    from ..models import VideoConferenceConfig

    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting details: {', '.join(sorted(unknown))}")
    is_new = row is None
    if is_new:
        row = VideoConferenceConfig(event=event)
    target = {}
    if subevent is not UNSET and row.subevent_id != getattr(subevent, "pk", None):
        target["subevent"] = subevent
    if item is not UNSET and row.item_id != getattr(item, "pk", None):
        target["item"] = item
    for name, value in target.items():
        setattr(row, name, value)
    url = (values.get("join_url") or "").strip()
    if url:
        get_provider(event.settings.get(names.PROVIDER)).validate(url)
    check_details_target(event, row.subevent, row.item, row)
    changed = [f for f, v in values.items() if _comparable(getattr(row, f)) != _comparable(v)]
    if is_new and not any(_comparable(v) for v in values.values()):
        return Saved()
    if not is_new and not changed and not target:
        return Saved()
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    changed = sorted(changed if is_new else changed + list(target))  # a new row's date/product is its scope
    data = {"id": row.pk, "scope": str(row), "fields": changed}
    data.update({f: masked(getattr(row, f)) for f in changed if f in SECRET_FIELDS})
    event.log_action(OVERRIDE_ADDED if is_new else OVERRIDE_CHANGED, user=user, data=data)
    refresh_tickets(event)
    return Saved(changed=frozenset(changed), access_changed=True, row=row)


def delete_meeting_details(row, *, user=None) -> Saved:
    event = row.event
    scope = str(row)
    row.delete()
    event.log_action(OVERRIDE_DELETED, user=user, data={"scope": scope})
    refresh_tickets(event)
    return Saved(changed=frozenset(MEETING_FIELDS), access_changed=True)


def date_details(subevent):
    """The meeting details of a date for all its products (set on pretix's date form), or None."""
    from ..models import VideoConferenceConfig

    if subevent is None or not subevent.pk:
        return None
    return VideoConferenceConfig.objects.filter(
        event_id=subevent.event_id, subevent=subevent, item__isnull=True
    ).first()


def set_date_url(subevent, url, *, user=None) -> Saved:
    """The meeting URL of one date of a series (pretix's date form, also for copies and bulk creation)."""
    return save_meeting_details(
        subevent.event, row=date_details(subevent), subevent=subevent, item=None, user=user, join_url=url
    )


def copy_event_details(event, other, item_map, checkin_list_map):
    """pretix's event copy: the product details, and product and check-in list IDs in the copied settings.

    pretix copies the settings but not the dates, so the dates' details stay with the old event.
    """
    from ..models import VideoConferenceConfig

    for row in VideoConferenceConfig.objects.filter(event=other, subevent__isnull=True, item__isnull=False):
        new_item = item_map.get(row.item_id)
        if new_item is not None:
            save_meeting_details(event, item=new_item, **{f: getattr(row, f) for f in MEETING_FIELDS})
    products = other.settings.get(names.PRODUCTS, as_type=list) or []
    if products:
        event.settings.set(names.PRODUCTS, sorted(item_map[i].pk for i in map(int, products) if i in item_map))
    old_list = other.settings.get(names.CHECKIN_LIST, as_type=int)
    new_list = checkin_list_map.get(old_list) if old_list else None
    if new_list is not None:
        event.settings.set(names.CHECKIN_LIST, new_list.pk)
    else:
        event.settings.delete(names.CHECKIN_LIST)
