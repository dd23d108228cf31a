"""From a rule and its exclusions to the list an organiser previews before anything is created.

Two steps, both pure:

- ``schedule``: the rule's dates in the event's timezone, each kept, moved or skipped with
  the reason ("Tag der Deutschen Einheit (BE)");
- ``plan``: each date with its name and short form from the patterns, and what creating would
  do with it – create it, leave the existing edition alone, or report why not (past, slug
  taken by another event, a date at that time already in the series).
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pretix.base.validators import EventSlugBanlistValidator

from .errors import FormatError
from .exclusions import BlockedDays, Exclusions, place
from .rules import Period, Rule

MODE_EVENTS = "events"  # (a) one event per edition, copied from the template event
MODE_DATES = "dates"  # (b) one date in an event series per edition
MODES = (MODE_EVENTS, MODE_DATES)

CREATE = "create"
EXISTS = "exists"
SKIPPED = "skipped"
PAST = "past"
CONFLICT = "conflict"

# At most this many editions are created by one run.
MAX_PER_RUN = 100

PLACEHOLDERS = ("name", "slug", "year", "quarter", "q", "month", "label")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SLUG = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$")
SLUG_MAX = 50
NAME_MAX = 200


# --- schedule -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduledDate:
    period: Period
    rule_start: datetime.datetime  # what the rule gives (aware), the RECURRENCE-ID of a move
    rule_end: datetime.datetime
    start: datetime.datetime | None  # after exclusions; None: skipped
    end: datetime.datetime | None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.period.key

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def skipped(self) -> bool:
        return self.start is None

    @property
    def moved(self) -> bool:
        return self.start is not None and self.start != self.rule_start


def _aware(naive: datetime.datetime | None, tz: ZoneInfo) -> datetime.datetime | None:
    # Wall-clock time first, zone second: 18:00 stays 18:00 on both sides of a DST change.
    return naive.replace(tzinfo=tz) if naive is not None else None


def schedule(rule: Rule, exclusions: Exclusions, tz: ZoneInfo, *, language: str | None = None) -> list[ScheduledDate]:
    occurrences = rule.occurrences()
    if not occurrences:
        return []
    years = range(occurrences[0].start.year, occurrences[-1].start.year + 1)
    blocked = BlockedDays(exclusions, years, language)
    dates = []
    for occurrence in occurrences:
        placement = place(occurrence, blocked)
        dates.append(
            ScheduledDate(
                period=occurrence.period,
                rule_start=_aware(occurrence.start, tz),
                rule_end=_aware(occurrence.end, tz),
                start=_aware(placement.start, tz),
                end=_aware(placement.end, tz),
                reasons=placement.reasons,
                warnings=placement.warnings,
            )
        )
    return dates


# --- naming ---------------------------------------------------------------------------------
def pattern_placeholders(pattern: str) -> list[str]:
    return _PLACEHOLDER.findall(pattern or "")


def _render(pattern: str, values: dict) -> str:
    # Plain substitution, not str.format: a pattern can't reach attributes ("{name.__class__}").
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), pattern)


@dataclass(frozen=True)
class Naming:
    name_pattern: dict  # language -> pattern, e.g. {"de": "{name} {quarter}/{year}"}
    slug_pattern: str  # e.g. "innowerkstatt-{year}-q{q}"
    format_name: dict  # language -> the format's name
    format_slug: str
    # The editions' languages (the template event's); a name missing in one of them is the
    # template's name in that language, so no edition gets an empty name.
    languages: tuple = ()
    template_name: dict = field(default_factory=dict)

    def validate(self, *, with_slug: bool) -> None:
        patterns = list(self.name_pattern.values()) + ([self.slug_pattern] if with_slug else [])
        for pattern in patterns:
            unknown = [p for p in pattern_placeholders(pattern) if p not in PLACEHOLDERS]
            if unknown:
                raise FormatError(
                    _("Unknown placeholder {%(name)s}. You can use: %(known)s.")
                    % {"name": unknown[0], "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
                )
        if not any(v.strip() for v in self.name_pattern.values()):
            raise FormatError(_("Give a pattern for the editions' names."))
        if with_slug:
            first = Period(2030, 1, 3)
            if self.slug(first, first.first_day) == self.slug(first.shifted(1), first.shifted(1).first_day):
                raise FormatError(
                    _("The short-form pattern gives every edition the same short form; include {year} and {q}.")
                )

    def _values(self, period: Period, day: datetime.date, language: str | None) -> dict:
        quarter = (day.month - 1) // 3 + 1
        if language and language in self.format_name:
            name = self.format_name[language]
        else:
            name = next(iter(self.format_name.values()), "")
        return {
            "name": name,
            "slug": self.format_slug,
            "year": day.year,
            "quarter": f"Q{quarter}",
            "q": quarter,
            "month": f"{day.month:02d}",
            "label": period.label,
        }

    def names(self, period: Period, day: datetime.date) -> dict:
        names = {
            lang: _render(p, self._values(period, day, lang)) for lang, p in self.name_pattern.items() if p.strip()
        }
        for lang in self.languages:
            if not names.get(lang):
                names[lang] = (self.template_name.get(lang) or "").strip() or next(iter(names.values()), "")
        return names

    def slug(self, period: Period, day: datetime.date) -> str:
        return _render(self.slug_pattern, self._values(period, day, None))


def slug_problem(slug: str) -> str | None:
    if len(slug) > SLUG_MAX:
        return _("The short form “%(slug)s” is longer than %(max)s characters.") % {"slug": slug, "max": SLUG_MAX}
    if not _SLUG.match(slug):
        return _("The short form “%(slug)s” may only contain letters, numbers, dots and dashes.") % {"slug": slug}
    try:
        EventSlugBanlistValidator()(slug)
    except ValidationError:
        return _("The short form “%(slug)s” is reserved by pretix.") % {"slug": slug}
    return None


# --- plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExistingEdition:
    """An edition already created, as the plan needs to know it."""

    key: str
    start: datetime.datetime | None
    name: str
    url: str = ""
    ref: object = None  # the database row, for the caller


@dataclass(frozen=True)
class BusyEvent:
    """Another event (mode a) or another date of the series (mode b) of the organiser."""

    name: str
    start: datetime.datetime
    end: datetime.datetime | None = None


@dataclass
class PlannedEdition:
    key: str
    label: str
    status: str
    date: ScheduledDate | None  # None: an existing edition the rule no longer gives
    names: dict = field(default_factory=dict)
    slug: str = ""
    notes: list = field(default_factory=list)  # why it is not created
    warnings: list = field(default_factory=list)
    existing: ExistingEdition | None = None

    @property
    def start(self):
        return self.date.start if self.date else (self.existing.start if self.existing else None)

    @property
    def end(self):
        return self.date.end if self.date else None


def plan(
    dates: list[ScheduledDate],
    naming: Naming,
    *,
    mode: str,
    now: datetime.datetime,
    existing: dict,
    taken_slugs: dict,
    busy: list[BusyEvent],
) -> list[PlannedEdition]:
    """What creating would do with each date. ``existing``: key -> ExistingEdition;
    ``taken_slugs``: lower-case slug -> name of the event using it (never one of our editions)."""
    naming.validate(with_slug=mode == MODE_EVENTS)
    planned, used_slugs = [], {}
    for date in dates:
        day = (date.start or date.rule_start).date()
        entry = PlannedEdition(
            key=date.key,
            label=date.label,
            status=CREATE,
            date=date,
            names=naming.names(date.period, day),
            slug=naming.slug(date.period, day) if mode == MODE_EVENTS else "",
            warnings=list(date.warnings),
            existing=existing.get(date.key),
        )
        planned.append(entry)
        if entry.existing is not None:
            entry.status = EXISTS  # never touched again, even if the rule or exclusions changed
            continue
        if date.skipped:
            entry.status = SKIPPED
            continue
        if date.start <= now:
            entry.status = PAST
            continue
        notes, warnings = _neighbours(date, mode, busy)
        entry.notes.extend(_conflicts(entry, mode, taken_slugs, used_slugs) + notes)
        entry.warnings.extend(warnings)
        if entry.notes:
            entry.status = CONFLICT
        elif mode == MODE_EVENTS:
            used_slugs[entry.slug.lower()] = entry.label
    known = {d.key for d in dates}
    for key, edition in sorted(existing.items()):
        if key not in known:
            planned.append(
                PlannedEdition(
                    key=key,
                    label=key,
                    status=EXISTS,
                    date=None,
                    existing=edition,
                    warnings=[_("The rule no longer gives this edition; it is kept as it is.")],
                )
            )
    return planned


def _conflicts(entry, mode, taken_slugs, used_slugs):
    notes = []
    for name in entry.names.values():
        if len(name) > NAME_MAX:
            notes.append(_("The name “%(name)s” is longer than %(max)s characters.") % {"name": name, "max": NAME_MAX})
            break
    if mode != MODE_EVENTS:
        return notes
    problem = slug_problem(entry.slug)
    if problem:
        notes.append(problem)
    elif entry.slug.lower() in taken_slugs:
        notes.append(
            _("The short form “%(slug)s” is already used by the event “%(event)s”; it is never overwritten.")
            % {"slug": entry.slug, "event": taken_slugs[entry.slug.lower()]}
        )
    elif entry.slug.lower() in used_slugs:
        notes.append(
            _("The short form “%(slug)s” is already planned for %(other)s.")
            % {"slug": entry.slug, "other": used_slugs[entry.slug.lower()]}
        )
    return notes


def _neighbours(date, mode, busy):
    """Other events that day: warnings; in a series, a date at the very same time: a conflict."""
    notes, warnings = [], []
    for other in busy:
        if other.start.astimezone(date.start.tzinfo).date() != date.start.date():
            continue
        if mode == MODE_DATES and other.start == date.start:
            notes.append(_("The series already has a date at this time: “%(name)s”.") % {"name": other.name})
        else:
            warnings.append(_("Same day as “%(name)s”.") % {"name": other.name})
    return notes, warnings


def to_create(planned: list[PlannedEdition], limit: int = MAX_PER_RUN) -> list[PlannedEdition]:
    """The editions a run would create; more than ``limit`` is an error and creates nothing."""
    todo = [p for p in planned if p.status == CREATE]
    if len(todo) > limit:
        raise FormatError(
            _(
                "This run would create %(count)s editions, but at most %(max)s are created at once. "
                "Choose a smaller number or an earlier end date, create them, then plan further."
            )
            % {"count": len(todo), "max": limit}
        )
    return todo
