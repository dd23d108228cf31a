"""Days a format must not meet on, and what happens when the rule hits one.

Public holidays and school holidays come from the ``holidays`` package (its German data has
public holidays per federal state and, since 0.96, school holidays per state in the ``school``
category – with a limited horizon: the KMK publishes them only a few years ahead). Custom
blocked dates come from the organiser.

On a hit, the organiser's policy decides: skip that period, or move to the previous or next
same weekday within the same period (a quarterly format never slides into another quarter).
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import FormatError
from .rules import Occurrence

SKIP = "skip"
PREVIOUS = "previous"
NEXT = "next"
POLICIES = (SKIP, PREVIOUS, NEXT)

# The sixteen federal states, as the ``holidays`` package names them.
STATES = {
    "BW": gettext_lazy("Baden-Württemberg"),
    "BY": gettext_lazy("Bavaria"),
    "BE": gettext_lazy("Berlin"),
    "BB": gettext_lazy("Brandenburg"),
    "HB": gettext_lazy("Bremen"),
    "HH": gettext_lazy("Hamburg"),
    "HE": gettext_lazy("Hesse"),
    "MV": gettext_lazy("Mecklenburg-Western Pomerania"),
    "NI": gettext_lazy("Lower Saxony"),
    "NW": gettext_lazy("North Rhine-Westphalia"),
    "RP": gettext_lazy("Rhineland-Palatinate"),
    "SL": gettext_lazy("Saarland"),
    "SN": gettext_lazy("Saxony"),
    "ST": gettext_lazy("Saxony-Anhalt"),
    "SH": gettext_lazy("Schleswig-Holstein"),
    "TH": gettext_lazy("Thuringia"),
}


def holiday_language(language: str | None) -> str:
    """The ``holidays`` package speaks German (``de``) and English (``en_US``)."""
    return "de" if (language or "").lower().startswith("de") else "en_US"


def school_holidays_available() -> bool:
    """Whether the installed ``holidays`` offers German school holidays at all."""
    return "school" in getattr(holidays.country_holidays("DE"), "supported_categories", ())


@dataclass(frozen=True)
class Exclusions:
    state: str = ""  # federal state whose public holidays are excluded; "" = none
    school_holidays: bool = False  # also exclude that state's school holidays
    blocked: tuple[tuple[datetime.date, str], ...] = ()  # the organiser's own dates, with a reason
    policy: str = SKIP

    def validate(self) -> None:
        if self.state and self.state not in STATES:
            raise FormatError(
                _("Unknown federal state “%(code)s”. Choose one of %(codes)s.")
                % {"code": self.state, "codes": ", ".join(sorted(STATES))}
            )
        if self.school_holidays and not self.state:
            raise FormatError(_("School holidays need a federal state."))
        if self.school_holidays and not school_holidays_available():
            raise FormatError(_("The installed holiday data has no German school holidays."))
        if self.policy not in POLICIES:
            raise FormatError(_("Choose whether to skip or move a date that hits an excluded day."))


@dataclass
class BlockedDays:
    """The excluded days of some years, each with its reasons, e.g. "Tag der Deutschen Einheit (BE)"."""

    exclusions: Exclusions
    years: range
    language: str | None = None
    reasons: dict = field(init=False)

    def __post_init__(self):
        self.exclusions.validate()
        lang = holiday_language(self.language)
        self.reasons = {}
        state = self.exclusions.state
        if state:
            public = holidays.country_holidays("DE", subdiv=state, years=self.years, language=lang)
            for day, name in public.items():
                for part in name.split("; "):  # the package joins two holidays on one day with "; "
                    self._add(day, f"{part} ({state})")
            if self.exclusions.school_holidays:
                for day, name in self._school_calendar.items():
                    for part in name.split("; "):
                        self._add(day, f"{part} ({state})")
        for day, reason in self.exclusions.blocked:
            self._add(day, reason or _("Blocked date"))

    def _add(self, day, reason):
        bucket = self.reasons.setdefault(day, [])
        if reason not in bucket:
            bucket.append(reason)

    @cached_property
    def _school_calendar(self):
        return holidays.country_holidays(
            "DE",
            subdiv=self.exclusions.state,
            # A few years beyond the plan, so that "known until" is the data's end, not the plan's.
            years=range(self.years.start - 1, max(self.years.stop, self.years.start + 8) + 1),
            categories=("school",),
            language=holiday_language(self.language),
        )

    @cached_property
    def school_data_range(self) -> tuple[datetime.date, datetime.date] | None:
        """First and last day the school-holiday data covers around these years (None: no data)."""
        if not (self.exclusions.state and self.exclusions.school_holidays):
            return None
        days = list(self._school_calendar.keys())
        return (min(days), max(days)) if days else None

    def reasons_for(self, day: datetime.date) -> list[str]:
        return self.reasons.get(day, [])

    def warnings_for(self, day: datetime.date) -> list[str]:
        if not (self.exclusions.state and self.exclusions.school_holidays):
            return []
        known = self.school_data_range
        if known is None:
            return [
                _("No school holidays of %(state)s are known around this year; this date could not be checked.")
                % {"state": self.exclusions.state}
            ]
        if not known[0] <= day <= known[1]:
            return [
                _("School holidays of %(state)s are only known until %(date)s; this date could not be checked.")
                % {"state": self.exclusions.state, "date": known[1].isoformat()}
            ]
        return []


@dataclass(frozen=True)
class Placement:
    """Where an occurrence ends up after the exclusions: kept, moved or skipped (``start`` None)."""

    occurrence: Occurrence
    start: datetime.datetime | None
    end: datetime.datetime | None
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def skipped(self) -> bool:
        return self.start is None

    @property
    def moved(self) -> bool:
        return self.start is not None and self.start != self.occurrence.start


def place(occurrence: Occurrence, blocked: BlockedDays) -> Placement:
    """Apply the exclusions and the policy to one occurrence (local wall-clock time)."""
    day = occurrence.start.date()
    reasons = blocked.reasons_for(day)
    if not reasons:
        return Placement(occurrence, occurrence.start, occurrence.end, warnings=tuple(blocked.warnings_for(day)))
    policy = blocked.exclusions.policy
    if policy != SKIP:
        step = datetime.timedelta(days=-7 if policy == PREVIOUS else 7)
        candidate = day + step
        while occurrence.period.contains(candidate):
            if not blocked.reasons_for(candidate):
                shift = candidate - day
                return Placement(
                    occurrence,
                    occurrence.start + shift,
                    occurrence.end + shift,
                    reasons=tuple(reasons),
                    warnings=tuple(blocked.warnings_for(candidate)),
                )
            candidate += step
        reasons = [
            *reasons,
            _("no free day in %(period)s to move to") % {"period": occurrence.period.label},
        ]
    return Placement(occurrence, None, None, reasons=tuple(reasons))
