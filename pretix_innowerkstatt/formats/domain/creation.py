"""Plan and create the editions of a format in the database.

Decisions:

- **One transaction per edition.** The ``Edition`` row (unique per format and period) is
  inserted first, then the event or date is built, all in one transaction. A failure rolls back
  exactly that edition; the ones before it are complete, and the next run creates the rest.
  A second run at the same time blocks on the unique row and then counts it as existing.
- **pretix copies, we don't.** Separate events are built like pretix's own "copy event"
  (``Event.copy_data_from``), which fires ``event_copy_data`` for other plugins (the agenda
  and video links follow through their own receivers). Series dates are copied like pretix's
  "copy date": its products, quotas, check-in lists and meta data, plus the agenda
  (``copy_agenda``).
- **Existing slugs are reported, never overwritten**; past dates are never created.
"""

import datetime
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Lower
from django.utils.html import strip_tags
from django.utils.timezone import now as current_time
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from i18nfield.strings import LazyI18nString
from pretix.base.models import CheckinList, Event, Quota, SubEvent, Team
from pretix.base.models.event import SubEventMetaValue
from pretix.base.models.items import SubEventItem, SubEventItemVariation

from ...agenda.domain.copying import copy_agenda
from .. import logtypes, permissions
from ..models import Edition, Format
from . import editing, planning
from .errors import FormatError
from .exclusions import Exclusions
from .planning import MODE_DATES, MODE_EVENTS, BusyEvent, ExistingEdition, Naming
from .rules import KIND_TEMPLATE_DAY, MAX_PERIODS, Period, Rule

logger = logging.getLogger(__name__)

MAX_EXTEND = planning.MAX_PER_RUN


# --- from the model to the pure domain ----------------------------------------------------------
def rule_of(fmt: Format) -> Rule:
    rule = Rule(
        kind=fmt.rule_kind,
        start_time=fmt.start_time,
        end_time=fmt.end_time,
        first=Period(fmt.first_year, fmt.first_period, fmt.interval),
        count=fmt.count,
        until=fmt.until,
        month=fmt.month,
        ordinal=fmt.ordinal,
        weekday=fmt.weekday,
        day=fmt.day,
    )
    if rule.kind != KIND_TEMPLATE_DAY:
        return rule
    template = fmt.template_subevent if fmt.mode == MODE_DATES else fmt.template_event
    return rule.for_template(template.date_from.astimezone(timezone_of(fmt)).date() if template else None)


def exclusions_of(fmt: Format) -> Exclusions:
    return Exclusions(
        state=fmt.holiday_state,
        school_holidays=fmt.school_holidays,
        blocked=fmt.blocked,
        policy=fmt.on_hit,
    )


def naming_of(fmt: Format) -> Naming:
    def as_dict(value):
        data = value.data if isinstance(value, LazyI18nString) else value
        return dict(data) if isinstance(data, dict) else {"en": data or ""}

    template = fmt.template_event
    named = (fmt.template_subevent if fmt.mode == MODE_DATES else None) or template
    return Naming(
        name_pattern=as_dict(fmt.name_pattern),
        slug_pattern=fmt.slug_pattern or "",
        format_name=as_dict(fmt.name),
        format_slug=fmt.slug,
        languages=tuple(template.settings.get("locales") or ()) if template else (),
        template_name={k: v for k, v in as_dict(named.name).items() if v} if named else {},
    )


def timezone_of(fmt: Format) -> ZoneInfo:
    """The template event's timezone; every edition's wall-clock time is meant there."""
    if fmt.template_event is None:
        raise FormatError(_("The format has no template event."))
    return ZoneInfo(fmt.template_event.settings.timezone)


def dates_of(fmt: Format, *, language: str | None = None) -> list[planning.ScheduledDate]:
    return planning.schedule(rule_of(fmt), exclusions_of(fmt), timezone_of(fmt), language=language or get_language())


def validate_format(fmt: Format) -> None:
    """Everything that can be checked before planning: template, rule, exclusions and patterns."""
    _check_template(fmt)
    rule_of(fmt).validate()
    exclusions_of(fmt).validate()
    naming_of(fmt).validate(with_slug=fmt.mode == MODE_EVENTS)


# --- extending --------------------------------------------------------------------------------
def extend_horizon(fmt: Format, periods: int, *, today: datetime.date | None = None) -> None:
    """ "Plan the next N quarters": move the horizon N periods past what is planned (or past today).

    Changes ``fmt`` in memory only; the caller saves it once creating is sure to start.
    """
    if not 1 <= periods <= MAX_EXTEND:
        raise FormatError(_("Plan between 1 and %(max)s periods at once.") % {"max": MAX_EXTEND})
    rule = rule_of(fmt)
    last = rule.first.shifted(rule.count - 1) if rule.count is not None else Period.of(rule.until, rule.interval)
    current = Period.of(today or current_time().date(), rule.interval)
    new_last = max(last, current.shifted(-1)).shifted(periods)
    if fmt.count is not None:
        total = rule.first.periods_until(new_last) + 1
        if total > MAX_PERIODS:
            raise FormatError(_("A format can plan at most %(max)s periods.") % {"max": MAX_PERIODS})
        fmt.count = total
    else:
        fmt.until = new_last.last_day


# --- planning against the database --------------------------------------------------------------
def plan_of(
    fmt: Format,
    *,
    now: datetime.datetime | None = None,
    language: str | None = None,
    visible_events=None,
):
    """The preview: every date of the rule with what creating would do, and why.

    ``visible_events`` (a queryset; None: all) are the events whose names and editions the
    caller may see (``permissions.accessible_events``); others are still reported, without name.
    """
    _check_template(fmt)
    dates = dates_of(fmt, language=language)
    naming = naming_of(fmt)
    editions = list(fmt.editions.select_related("event", "subevent"))
    own_events = {e.event_id for e in editions if e.event_id}
    if visible_events is None:
        visible = own_events
    else:
        visible = set(visible_events.filter(pk__in=own_events).values_list("pk", flat=True))
    existing = {
        e.key: ExistingEdition(
            key=e.key,
            start=e.target.date_from if e.target else None,
            name=str(e.target.name) if e.target and e.event_id in visible else "",
            ref=e if e.event_id in visible else None,
        )
        for e in editions
    }
    own_dates = {e.subevent_id for e in editions if e.subevent_id}
    taken, busy = {}, []
    if dates:
        starts = [d.start or d.rule_start for d in dates]
        window = (min(starts) - datetime.timedelta(days=1), max(starts) + datetime.timedelta(days=1))
        if fmt.mode == MODE_EVENTS:
            slugs = {naming.slug(d.period, (d.start or d.rule_start).date()).lower() for d in dates}
            for event in _with_visibility(
                fmt.organizer.events.annotate(slug_lower=Lower("slug"))
                .filter(slug_lower__in=slugs)
                .exclude(pk__in=own_events),
                visible_events,
            ).values("slug", "name", "visible"):
                taken[event["slug"].lower()] = _name_if_visible(event)
            others = _with_visibility(
                fmt.organizer.events.filter(date_from__range=window).exclude(pk__in=own_events), visible_events
            )
        else:
            # dates of the template series, which the caller may see (permissions.visible_formats)
            others = _with_visibility(
                fmt.template_event.subevents.filter(date_from__range=window).exclude(pk__in=own_dates), None
            )
        # values(), not model instances: one query however many other events there are
        busy = [
            BusyEvent(name=_name_if_visible(o), start=o["date_from"], end=o["date_to"])
            for o in others.values("name", "date_from", "date_to", "visible")
        ]
    return planning.plan(
        dates,
        naming,
        mode=fmt.mode,
        now=now or current_time(),
        existing=existing,
        taken_slugs=taken,
        busy=busy,
    )


def _with_visibility(queryset, visible_events):
    """Annotate ``visible``: whether the row (an event) is among ``visible_events`` (None: all are)."""
    if visible_events is None:
        return queryset.annotate(visible=Value(True))
    return queryset.annotate(visible=Exists(visible_events.filter(pk=OuterRef("pk"))))


def _name_if_visible(row: dict) -> str:
    return str(LazyI18nString(row["name"])) if row["visible"] else _("an event you have no access to")


def _check_template(fmt: Format) -> None:
    template = fmt.template_event
    if template is None:
        raise FormatError(_("The format has no template event."))
    if template.organizer_id != fmt.organizer_id:
        raise FormatError(_("The template event belongs to another organiser."))
    if fmt.mode == MODE_EVENTS and template.has_subevents:
        raise FormatError(_("Separate events need a template event that is not an event series."))
    if fmt.mode == MODE_DATES:
        if not template.has_subevents:
            raise FormatError(_("Dates need an event series as the template event."))
        if fmt.template_subevent is None or fmt.template_subevent.event_id != template.pk:
            raise FormatError(_("Dates need a template date of that event series."))
    if (
        fmt.presale_start_days is not None
        and fmt.presale_end_minutes is not None
        and fmt.presale_start_days * 24 * 60 <= fmt.presale_end_minutes
    ):
        raise FormatError(_("The presale would end before it starts."))


# --- what the editions will be like ----------------------------------------------------------
@dataclass
class Outlook:
    """What new editions will be like when created now, for the preview."""

    live: bool  # live (events) or active (dates) right away
    offline_reason: str  # why not, if ``publish`` is on but they cannot be
    testmode: bool  # a date inherits its series' test mode; an event never gets one
    presale_start_days: int | None  # None: sale as soon as the edition is live

    def presale_start(self, start: datetime.datetime | None):
        if start is None or self.presale_start_days is None:
            return None
        return start - datetime.timedelta(days=self.presale_start_days)


def outlook_of(fmt: Format, *, may_go_live: bool) -> Outlook:
    template = fmt.template_event
    reason = ""
    if fmt.publish and not may_go_live:
        reason = _("You may not take events live, so they will stay offline.")
    elif fmt.publish and fmt.mode == MODE_EVENTS:
        # an edition is a copy of the template: pretix would find the same issues on it
        reason = " ".join(strip_tags(str(issue)) for issue in template.live_issues)
    elif fmt.publish and not template.live:
        reason = _("The event series is offline.")
    return Outlook(
        live=fmt.publish and not reason,
        offline_reason=reason,
        testmode=fmt.mode == MODE_DATES and template.testmode,
        presale_start_days=fmt.presale_start_days,
    )


# --- creating ---------------------------------------------------------------------------------
@dataclass
class CreationResult:
    created: list = field(default_factory=list)  # keys
    existing: list = field(default_factory=list)  # keys that already had an edition (also: a parallel run)
    conflicts: list = field(default_factory=list)  # (key, why)
    skipped: list = field(default_factory=list)  # keys excluded by holidays or blocked dates
    past: list = field(default_factory=list)
    offline: list = field(default_factory=list)  # (key, why it could not go live)

    def as_dict(self) -> dict:
        return {
            "created": list(self.created),
            "existing": list(self.existing),
            "conflicts": [list(c) for c in self.conflicts],
            "skipped": list(self.skipped),
            "past": list(self.past),
            "offline": [list(o) for o in self.offline],
        }


def create_editions(
    fmt: Format,
    *,
    user=None,
    auth=None,
    session_key: str | None = None,
    extend_by: int = 0,
    progress=None,
    now: datetime.datetime | None = None,
    limit: int = planning.MAX_PER_RUN,
) -> CreationResult:
    """Create every missing edition of ``fmt`` (after moving the horizon by ``extend_by`` periods).

    Bad input, or a ``user``/``auth`` without the permissions (see ``formats.permissions``),
    raises FormatError before anything is written. ``session_key`` lets a task see a user's
    staff session. ``progress(done, total)`` is called after each edition.
    """
    holder = permissions.holder_of(user, auth)
    if extend_by:
        extend_horizon(fmt, extend_by, today=(now or current_time()).date())
    _check_template(fmt)
    permissions.check_may_create_editions(fmt, holder, session_key=session_key)
    may_go_live = permissions.may_take_live(fmt, holder, session_key=session_key)
    planned = plan_of(fmt, now=now, visible_events=permissions.accessible_events(fmt.organizer, holder))
    todo = planning.to_create(planned, limit)
    result = CreationResult(
        existing=[p.key for p in planned if p.status == planning.EXISTS],
        conflicts=[(p.key, " ".join(p.notes)) for p in planned if p.status == planning.CONFLICT],
        skipped=[p.key for p in planned if p.status == planning.SKIPPED],
        past=[p.key for p in planned if p.status == planning.PAST],
    )
    if extend_by:
        editing.save_horizon(fmt, extend_by, user=user, auth=auth)
    builder = (EventBuilder if fmt.mode == MODE_EVENTS else DateBuilder)(
        fmt, user=user, auth=auth, may_go_live=may_go_live
    )
    try:
        for done, entry in enumerate(todo, start=1):
            _create_one(fmt, entry, builder, result)
            if progress:
                progress(done, len(todo))
    finally:
        if todo:
            editing.editions_created(fmt, result.as_dict(), user=user, auth=auth)
    return result


def _create_one(fmt, entry, builder, result):
    try:
        with transaction.atomic():
            # The claim comes first: a parallel run waits here, then fails on the constraint.
            edition = Edition.objects.create(format=fmt, key=entry.key, rule_start=entry.date.rule_start)
            builder.build(entry, edition)
    except IntegrityError:
        if Edition.objects.filter(format=fmt, key=entry.key).exists():
            result.existing.append(entry.key)
        else:
            result.conflicts.append(
                (entry.key, _("The short form “%(slug)s” was taken in the meantime.") % {"slug": entry.slug})
            )
        return
    result.created.append(entry.key)
    if builder.offline_reason:
        result.offline.append((entry.key, builder.offline_reason))


def _timing(fmt, entry) -> dict:
    """Start, end and presale of an edition; presale relative to its start (empty settings: none)."""
    start, days, minutes = entry.date.start, fmt.presale_start_days, fmt.presale_end_minutes
    return {
        "date_from": _utc(start),
        "date_to": _utc(entry.date.end),
        "presale_start": _utc(start - datetime.timedelta(days=days)) if days is not None else None,
        "presale_end": _utc(start - datetime.timedelta(minutes=minutes)) if minutes is not None else None,
    }


def _utc(value):
    """Stored datetimes in UTC, as the database returns them.

    Code that copies relative to our dates (the agenda's ``copy_agenda``, other plugins'
    ``event_copy_data`` receivers) subtracts two starts; Python subtracts datetimes that share
    a tzinfo by wall-clock time, which is an hour off across a DST change. UTC has no DST.
    """
    return value.astimezone(datetime.UTC) if value is not None else None


class EventBuilder:
    """Mode (a): one event per edition, copied from the template event the way pretix copies."""

    def __init__(self, fmt, *, user=None, auth=None, may_go_live=True):
        self.fmt, self.user, self.auth, self.may_go_live = fmt, user, auth, may_go_live
        self.template = fmt.template_event
        # Teams limited to certain events that may see the template may see its editions, too.
        self.teams = list(Team.objects.filter(organizer=fmt.organizer, all_events=False, limit_events=self.template))
        self.offline_reason = ""

    def build(self, entry, edition):
        fmt, template = self.fmt, self.template
        event = Event.objects.create(
            organizer=fmt.organizer,
            name=LazyI18nString(entry.names),
            slug=entry.slug,
            **_timing(fmt, entry),
            currency=template.currency,
            location=template.location,
            geo_lat=template.geo_lat,
            geo_lon=template.geo_lon,
            is_remote=template.is_remote,
            live=False,
            plugins="",  # copy_data_from takes the template's plugins without running installed()
        )
        event.log_action("pretix.event.added", user=self.user, auth=self.auth, data={"innowerkstatt_format": fmt.slug})
        event.copy_data_from(template)
        if event.testmode:
            # pretix's copy takes the template's test mode; an edition is made to be sold.
            event.testmode = False
            event.save(update_fields=["testmode"])
        for team in self.teams:
            team.limit_events.add(event)
        edition.event = event
        edition.save(update_fields=["event"])
        event.log_action(
            logtypes.EDITION_CREATED,
            user=self.user,
            auth=self.auth,
            data={"format": fmt.slug, "format_id": fmt.pk, "key": entry.key, "template": template.slug},
        )
        self.offline_reason = ""
        if fmt.publish:
            issues = event.live_issues
            if not self.may_go_live:
                self.offline_reason = _(
                    "Not taken live: that needs the permission to change the event's settings, as in pretix."
                )
            elif issues:
                self.offline_reason = " ".join(str(i) for i in issues)
            else:
                event.live = True
                event.save(update_fields=["live"])
                event.log_action("pretix.event.live.activated", user=self.user, auth=self.auth, data={})
        return event


class DateBuilder:
    """Mode (b): one date per edition in the template's event series, copied from the template date."""

    def __init__(self, fmt, *, user=None, auth=None, may_go_live=True):
        # Activating a date needs the series' date permission, which creating dates requires anyway.
        self.fmt, self.user, self.auth = fmt, user, auth
        self.series = fmt.template_event
        self.template = t = fmt.template_subevent
        self.meta_values = list(SubEventMetaValue.objects.filter(subevent=t))
        self.item_settings = list(SubEventItem.objects.filter(subevent=t))
        self.variation_settings = list(SubEventItemVariation.objects.filter(subevent=t))
        self.quotas = [
            (q, list(q.items.all()), list(q.variations.all()))
            for q in Quota.objects.filter(event=self.series, subevent=t).prefetch_related("items", "variations")
        ]
        self.checkin_lists = [
            (cl, list(cl.limit_products.all()))
            for cl in CheckinList.objects.filter(event=self.series, subevent=t).prefetch_related("limit_products")
        ]
        self.offline_reason = ""

    @staticmethod
    def _clone(obj, **changes):
        """A new, unsaved row with ``obj``'s column values but its own key, plus ``changes`` (by field name).

        Built field by field through Django's documented Model ``_meta`` API, so it is a fresh
        instance in every respect (no shared state, no prefetched relations of the original).
        """
        meta = type(obj)._meta
        values = {f.attname: getattr(obj, f.attname) for f in meta.concrete_fields if not f.primary_key}
        for name, value in changes.items():
            values.pop(meta.get_field(name).attname, None)
            values[name] = value
        return type(obj)(**values)

    def build(self, entry, edition):
        fmt, t = self.fmt, self.template
        tz = entry.date.start.tzinfo
        # Wall-clock shift: "the day before at 18:00" stays 18:00 across a DST change.
        shift = entry.date.start.replace(tzinfo=None) - t.date_from.astimezone(tz).replace(tzinfo=None)

        def moved(value):
            return _utc((value.astimezone(tz).replace(tzinfo=None) + shift).replace(tzinfo=tz)) if value else None

        subevent = SubEvent.objects.create(
            event=self.series,
            name=LazyI18nString(entry.names),
            active=fmt.publish,
            is_public=t.is_public,
            **_timing(fmt, entry),
            date_admission=moved(t.date_admission),
            location=t.location,
            geo_lat=t.geo_lat,
            geo_lon=t.geo_lon,
            frontpage_text=t.frontpage_text,
            comment=t.comment,
        )
        SubEventMetaValue.objects.bulk_create(self._clone(v, subevent=subevent) for v in self.meta_values)
        SubEventItem.objects.bulk_create(
            self._clone(
                s, subevent=subevent, available_from=moved(s.available_from), available_until=moved(s.available_until)
            )
            for s in self.item_settings
        )
        SubEventItemVariation.objects.bulk_create(
            self._clone(
                s, subevent=subevent, available_from=moved(s.available_from), available_until=moved(s.available_until)
            )
            for s in self.variation_settings
        )
        for quota, items, variations in self.quotas:
            new = self._clone(quota, subevent=subevent, closed=False)
            new.save(clear_cache=False)
            new.items.set(items)
            new.variations.set(variations)
        for checkin_list, products in self.checkin_lists:
            new = self._clone(checkin_list, subevent=subevent, exit_all_at=moved(checkin_list.exit_all_at))
            new.save()
            new.limit_products.set(products)
        if fmt.copy_agenda:
            # the agenda's write path: logs the copy, counts sequences, renews cached tickets
            copy_agenda(
                self.series, self.series, source_subevent=t, target_subevent=subevent, user=self.user, auth=self.auth
            )
        edition.event = self.series
        edition.subevent = subevent
        edition.save(update_fields=["event", "subevent"])
        subevent.log_action(
            "pretix.subevent.added",
            user=self.user,
            auth=self.auth,
            data={"innowerkstatt_format": fmt.slug, "key": entry.key},
        )
        self.series.log_action(
            logtypes.EDITION_CREATED,
            user=self.user,
            auth=self.auth,
            data={"format": fmt.slug, "format_id": fmt.pk, "key": entry.key, "subevent": subevent.pk},
        )
        return subevent
