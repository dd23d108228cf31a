"""Recurrence rules of a format: expanded with python-dateutil, written as RFC 5545 RRULEs.

A rule picks one day in each *period* (a quarter for the Innowerkstatt; a month, half-year or
year come from the same code): "the last Wednesday of the 2nd month of each quarter", "day 15 of
the 1st month of each quarter" or "the same day as the template event". Both forms are written
as ``FREQ=MONTHLY;BYMONTH=…`` plus ``BYDAY=-1WE`` or ``BYMONTHDAY=15`` – never as
``FREQ=YEARLY;…;BYSETPOS=-1``, which keeps only one date per *year* (see DESIGN-NOTES).

Dates are expanded in local wall-clock time and only then placed in the event's timezone, so
18:00 Europe/Berlin stays 18:00 in winter and in summer.
"""

import calendar
import datetime
import itertools
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import FormatError

KIND_WEEKDAY = "weekday"
KIND_MONTHDAY = "monthday"
KIND_TEMPLATE_DAY = "template_day"
KINDS = (KIND_WEEKDAY, KIND_MONTHDAY, KIND_TEMPLATE_DAY)

INTERVALS = (1, 3, 6, 12)
LAST = -1
ORDINALS = (1, 2, 3, 4, LAST)
ORDINAL_WORDS = {
    1: gettext_lazy("first"),
    2: gettext_lazy("second"),
    3: gettext_lazy("third"),
    4: gettext_lazy("fourth"),
    LAST: gettext_lazy("last"),
}
# The most dates one rule may give; a quarterly format over 100 years.
MAX_PERIODS = 400

_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DATEUTIL_DAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)


@dataclass(frozen=True, order=True)
class Period:
    """One quarter (``interval`` 3), month (1), half-year (6) or year (12) of a calendar year."""

    year: int
    index: int  # 1-based within the year: Q3 is index 3
    interval: int = 3

    @classmethod
    def of(cls, day: datetime.date, interval: int = 3) -> "Period":
        return cls(day.year, (day.month - 1) // interval + 1, interval)

    @property
    def per_year(self) -> int:
        return 12 // self.interval

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.interval + 1

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def last_day(self) -> datetime.date:
        month = self.first_month + self.interval - 1
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day

    def shifted(self, periods: int) -> "Period":
        ordinal = self.year * self.per_year + self.index - 1 + periods
        return Period(ordinal // self.per_year, ordinal % self.per_year + 1, self.interval)

    def periods_until(self, other: "Period") -> int:
        """How many periods ``other`` lies after this one (negative: before)."""
        return (other.year - self.year) * self.per_year + other.index - self.index

    @property
    def key(self) -> str:
        """Stable identity of an edition within its format, e.g. ``2026-Q3``."""
        return {
            1: f"{self.year}-{self.index:02d}",
            3: f"{self.year}-Q{self.index}",
            6: f"{self.year}-H{self.index}",
            12: f"{self.year}",
        }[self.interval]

    @property
    def label(self) -> str:
        """What organisers read, e.g. ``Q3/2026``."""
        return {
            1: f"{self.index:02d}/{self.year}",
            3: f"Q{self.index}/{self.year}",
            6: f"H{self.index}/{self.year}",
            12: f"{self.year}",
        }[self.interval]


@dataclass(frozen=True)
class Occurrence:
    """A date the rule gives, in local wall-clock time (naive)."""

    period: Period
    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Rule:
    kind: str
    start_time: datetime.time
    end_time: datetime.time
    first: Period
    count: int | None = None
    until: datetime.date | None = None
    month: int = 1  # month within the period, 1 … interval
    ordinal: int = LAST  # KIND_WEEKDAY: 1st … 4th or last
    weekday: int = 2  # KIND_WEEKDAY: 0 = Monday
    day: int = 1  # KIND_MONTHDAY: day of the month, or LAST

    @property
    def interval(self) -> int:
        return self.first.interval

    @property
    def months(self) -> tuple[int, ...]:
        """The calendar months the rule's dates fall in, e.g. (2, 5, 8, 11)."""
        return tuple(range(self.month, 13, self.interval))

    def for_template(self, template_day: datetime.date | None) -> "Rule":
        """Resolve "same day as the template" into the day-of-month rule it stands for."""
        if self.kind != KIND_TEMPLATE_DAY:
            return self
        if template_day is None:
            raise FormatError(_("This rule uses the template event's day, but the format has no template event."))
        return replace(
            self, kind=KIND_MONTHDAY, day=template_day.day, month=(template_day.month - 1) % self.interval + 1
        )

    # --- validation -----------------------------------------------------------------------
    def validate(self) -> None:
        """Raise FormatError with a sentence the organiser understands for any rule that can't work."""
        if self.interval not in INTERVALS:
            raise FormatError(_("Choose how many months lie between two editions: 1, 3, 6 or 12."))
        if not 1 <= self.first.index <= self.first.per_year:
            raise FormatError(_("The first period must be between 1 and %(n)s.") % {"n": self.first.per_year})
        if not 1900 <= self.first.year <= 2200:
            raise FormatError(_("The first year must be between 1900 and 2200."))
        if not 1 <= self.month <= self.interval:
            raise FormatError(_("The month within the period must be between 1 and %(n)s.") % {"n": self.interval})
        if self.kind == KIND_WEEKDAY:
            if self.ordinal not in ORDINALS:
                raise FormatError(_("Choose the first, second, third, fourth or last weekday."))
            if not 0 <= self.weekday <= 6:
                raise FormatError(_("Choose a weekday."))
        elif self.kind == KIND_MONTHDAY:
            self._validate_day()
        elif self.kind != KIND_TEMPLATE_DAY:
            raise FormatError(_("Unknown kind of rule."))
        if self.end_time <= self.start_time:
            raise FormatError(_("The end time must be after the start time."))
        if (self.count is None) == (self.until is None):
            raise FormatError(_("Give either a number of editions or an end date."))
        if self.count is not None and not 1 <= self.count <= MAX_PERIODS:
            raise FormatError(_("The number of editions must be between 1 and %(max)s.") % {"max": MAX_PERIODS})
        if self.until is not None and self.until < self.first.first_day:
            raise FormatError(
                _("The end date %(until)s lies before the first period %(first)s.")
                % {"until": self.until.isoformat(), "first": self.first.label}
            )

    def _validate_day(self) -> None:
        # An impossible day is an error, never a silent skip or clamp: a quarterly format
        # that quietly loses a quarter every year is worse than being asked to choose again.
        if self.day == LAST:
            return
        if not 1 <= self.day <= 31:
            raise FormatError(_("The day of the month must be between 1 and 31, or the last day."))
        # February counts with 28 days: day 29 would exist only in leap years.
        lengths = {m: calendar.monthrange(2001, m)[1] for m in self.months}
        short = [m for m, length in lengths.items() if length < self.day]
        if short:
            raise FormatError(
                _(
                    "Day %(day)s does not exist in every month of this rule (not in %(months)s). "
                    "Choose a day up to %(max)s, or the last day of the month."
                )
                % {
                    "day": self.day,
                    "months": ", ".join(str(MONTHS[m]) for m in short),
                    "max": min(lengths.values()),
                }
            )

    # --- expansion ------------------------------------------------------------------------
    def _dateutil_rule(self) -> du.rrule:
        kwargs = {"bymonth": self.months}
        if self.kind == KIND_WEEKDAY:
            kwargs["byweekday"] = _DATEUTIL_DAYS[self.weekday](self.ordinal)
        elif self.kind == KIND_MONTHDAY:
            kwargs["bymonthday"] = self.day
        else:
            raise FormatError(_("Resolve the template's day before expanding the rule."))
        if self.count is not None:
            kwargs["count"] = self.count
        else:
            kwargs["until"] = datetime.datetime.combine(self.until, datetime.time.max)
        dtstart = datetime.datetime.combine(self.first.first_day, self.start_time)
        return du.rrule(du.MONTHLY, dtstart=dtstart, **kwargs)

    def occurrences(self) -> list[Occurrence]:
        """Every date of the rule, in order, one per period (local wall-clock time)."""
        self.validate()
        starts = list(itertools.islice(self._dateutil_rule(), MAX_PERIODS + 1))
        if len(starts) > MAX_PERIODS:
            raise FormatError(
                _("The rule gives more than %(max)s dates. Choose an earlier end date.") % {"max": MAX_PERIODS}
            )
        return [
            Occurrence(
                period=Period.of(start.date(), self.interval),
                start=start,
                end=datetime.datetime.combine(start.date(), self.end_time),
            )
            for start in starts
        ]

    # --- RFC 5545 -------------------------------------------------------------------------
    def rrule_parts(self, tz: ZoneInfo) -> dict:
        """The RRULE as a dict for icalendar's ``vRecur``; UNTIL in UTC, as RFC 5545 wants with a TZID."""
        parts = {"FREQ": "MONTHLY"}
        if self.interval != 1:
            parts["BYMONTH"] = list(self.months)
        if self.kind == KIND_WEEKDAY:
            parts["BYDAY"] = f"{self.ordinal}{_RRULE_DAYS[self.weekday]}"
        else:
            parts["BYMONTHDAY"] = self.day
        if self.count is not None:
            parts["COUNT"] = self.count
        else:
            local_end = datetime.datetime.combine(self.until, datetime.time(23, 59, 59), tzinfo=tz)
            parts["UNTIL"] = local_end.astimezone(datetime.UTC)
        return parts

    def rrule_string(self, tz: ZoneInfo) -> str:
        from icalendar import vRecur

        return vRecur(self.rrule_parts(tz)).to_ical().decode()

    # --- words ----------------------------------------------------------------------------
    def describe(self) -> str:
        """e.g. "The last Wednesday of month 2 of each quarter, 18:00–20:00"."""
        if self.kind == KIND_WEEKDAY:
            what = _("the %(ordinal)s %(weekday)s") % {
                "ordinal": ORDINAL_WORDS[self.ordinal],
                "weekday": WEEKDAYS[self.weekday],
            }
        elif self.kind == KIND_MONTHDAY:
            what = _("the last day") if self.day == LAST else _("day %(day)s") % {"day": self.day}
        else:
            what = _("the template event's day")
        where = {
            1: _("%(what)s of each month"),
            3: _("%(what)s of month %(month)s of each quarter"),
            6: _("%(what)s of month %(month)s of each half-year"),
            12: _("%(what)s of %(month_name)s each year"),
        }[self.interval] % {"what": what, "month": self.month, "month_name": MONTHS[self.month]}
        text = f"{where}, {self.start_time:%H:%M}–{self.end_time:%H:%M}"
        return text[:1].upper() + text[1:]
