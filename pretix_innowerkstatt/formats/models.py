"""A recurring format of an organiser, and the editions created from it."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager
from i18nfield.fields import I18nCharField
from i18nfield.strings import LazyI18nString
from pretix.base.models import LoggedModel

from .domain import exclusions, planning, rules

__all__ = ["Format", "Edition"]

# What organisers edit, in the order the form and the API show it.
EDITABLE_FIELDS = (
    "name",
    "slug",
    "mode",
    "template_event",
    "template_subevent",
    "interval",
    "rule_kind",
    "ordinal",
    "weekday",
    "day",
    "month",
    "start_time",
    "end_time",
    "first_year",
    "first_period",
    "count",
    "until",
    "holiday_state",
    "school_holidays",
    "blocked_dates",
    "on_hit",
    "name_pattern",
    "slug_pattern",
    "presale_start_days",
    "presale_end_minutes",
    "publish",
    "copy_agenda",
    "public",
)


def default_name_pattern():
    # A function, not a value: migrations can refer to it, not serialise a LazyI18nString.
    return LazyI18nString({"de": "{name} {quarter}/{year}", "en": "{name} {quarter}/{year}"})


class Format(LoggedModel):
    """A recurring event series, e.g. the quarterly "Innovationswerkstatt".

    The rule, exclusions and patterns are stored as plain columns (not one JSON blob) so that
    forms, the API and the database can validate each of them.
    """

    MODE_CHOICES = (
        (planning.MODE_EVENTS, _("A separate event per edition, copied from the template event")),
        (planning.MODE_DATES, _("A date in an event series per edition")),
    )
    KIND_CHOICES = (
        (rules.KIND_WEEKDAY, _("A weekday of a month, e.g. the last Wednesday")),
        (rules.KIND_MONTHDAY, _("A day of a month, e.g. day 15")),
        (rules.KIND_TEMPLATE_DAY, _("The same day as the template")),
    )
    INTERVAL_CHOICES = (
        (3, _("Quarterly")),
        (1, _("Monthly")),
        (6, _("Half-yearly")),
        (12, _("Yearly")),
    )
    ORDINAL_CHOICES = tuple((k, v) for k, v in rules.ORDINAL_WORDS.items())
    POLICY_CHOICES = (
        (exclusions.SKIP, _("Skip that period")),
        (exclusions.PREVIOUS, _("Move to the previous same weekday within the period")),
        (exclusions.NEXT, _("Move to the next same weekday within the period")),
    )

    organizer = models.ForeignKey(
        "pretixbase.Organizer", on_delete=models.CASCADE, related_name="innowerkstatt_formats"
    )
    name = I18nCharField(max_length=190, verbose_name=_("Name"))
    slug = models.SlugField(
        max_length=50,
        verbose_name=_("Short form"),
        help_text=_("Used in the address of the series calendar, e.g. …/innowerkstatt/formats/<short form>.ics"),
    )
    template_event = models.ForeignKey(
        "pretixbase.Event",
        on_delete=models.SET_NULL,
        null=True,
        related_name="innowerkstatt_template_of",
        verbose_name=_("Template event"),
        help_text=_("Separate events are copied from this event; for dates, this is the event series."),
    )
    template_subevent = models.ForeignKey(
        "pretixbase.SubEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innowerkstatt_template_of",
        verbose_name=pgettext_lazy("subevent", "Template date"),
        help_text=_("Only for dates in an event series: new dates copy its products, quotas and agenda."),
    )
    mode = models.CharField(
        max_length=10, choices=MODE_CHOICES, default=planning.MODE_EVENTS, verbose_name=_("Editions are")
    )

    # --- rule ---
    interval = models.PositiveSmallIntegerField(choices=INTERVAL_CHOICES, default=3, verbose_name=_("Rhythm"))
    rule_kind = models.CharField(
        max_length=20, choices=KIND_CHOICES, default=rules.KIND_WEEKDAY, verbose_name=_("Rule")
    )
    ordinal = models.SmallIntegerField(choices=ORDINAL_CHOICES, default=rules.LAST, verbose_name=_("Which one"))
    weekday = models.PositiveSmallIntegerField(default=2, verbose_name=_("Weekday"))
    day = models.SmallIntegerField(
        default=1, verbose_name=_("Day of the month"), help_text=_("1 to 31, or -1 for the last day of the month.")
    )
    month = models.PositiveSmallIntegerField(
        default=1,
        verbose_name=_("Month within the period"),
        help_text=_("1 to 3 for a quarterly format: 2 is the middle month (February, May, August, November)."),
    )
    start_time = models.TimeField(default=datetime.time(18, 0), verbose_name=_("Start time"))
    end_time = models.TimeField(default=datetime.time(20, 0), verbose_name=_("End time"))
    first_year = models.PositiveSmallIntegerField(verbose_name=_("First year"))
    first_period = models.PositiveSmallIntegerField(
        default=1, verbose_name=_("First period"), help_text=_("For a quarterly format: the first quarter, 1 to 4.")
    )
    count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("Number of editions"),
        help_text=_("Counted from the first period, including skipped ones. Or give an end date."),
    )
    until = models.DateField(null=True, blank=True, verbose_name=_("End date"))

    # --- exclusions ---
    holiday_state = models.CharField(
        max_length=2,
        blank=True,
        choices=tuple(exclusions.STATES.items()),
        verbose_name=_("Exclude the public holidays of"),
    )
    school_holidays = models.BooleanField(default=False, verbose_name=_("Also exclude that state's school holidays"))
    blocked_dates = models.JSONField(default=list, blank=True, verbose_name=_("Blocked dates"))
    on_hit = models.CharField(
        max_length=10,
        choices=POLICY_CHOICES,
        default=exclusions.NEXT,
        verbose_name=_("When a date is excluded"),
    )

    # --- naming and copying ---
    name_pattern = I18nCharField(
        max_length=190,
        default=default_name_pattern,
        verbose_name=_("Name of each edition"),
    )
    slug_pattern = models.CharField(
        max_length=80,
        default="{slug}-{year}-q{q}",
        blank=True,
        verbose_name=_("Short form of each edition"),
    )
    presale_start_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=60,
        verbose_name=_("Presale starts … days before"),
        help_text=_("Empty: no presale start."),
    )
    presale_end_minutes = models.IntegerField(
        null=True,
        blank=True,
        default=0,
        verbose_name=_("Presale ends … minutes before the start"),
        help_text=_("0: at the start; negative: after the start; empty: at the end of the event."),
    )
    publish = models.BooleanField(
        default=False,
        verbose_name=_("Publish new editions right away"),
        help_text=_("Otherwise each new event stays offline (and each new date inactive) until you have checked it."),
    )
    copy_agenda = models.BooleanField(
        default=True,
        verbose_name=_("Copy the agenda of the template date"),
        help_text=_("Only for dates in an event series. Separate events always get the template event's agenda."),
    )
    public = models.BooleanField(
        default=False,
        verbose_name=_("Public series calendar"),
        help_text=_(
            "Anyone with the address can subscribe to the format's calendar. It shows the published editions, "
            "and the location only if the template event (or date) is public itself."
        ),
    )

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Counted up by every change through domain/editing.py; keys the cached series calendar.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(fields=["organizer", "slug"], name="innowerkstatt_format_slug_once"),
        ]

    def __str__(self):
        return str(self.name)

    @property
    def blocked(self) -> tuple:
        return tuple(
            (datetime.date.fromisoformat(entry["date"]), entry.get("reason", "")) for entry in self.blocked_dates or ()
        )


class Edition(models.Model):
    """One edition of a format: the event (mode a) or series date (mode b) created for a period.

    The unique constraint on (format, key) is what makes creating idempotent and safe against
    two runs at once: the row is inserted first, in the same transaction as the event or date.
    Deleting the event or date deletes the edition, so a later run would create it again; to
    drop a period for good, block its date in the format.
    """

    format = models.ForeignKey(Format, on_delete=models.CASCADE, related_name="editions")
    key = models.CharField(max_length=16)  # e.g. "2026-Q3"
    event = models.ForeignKey(
        "pretixbase.Event", on_delete=models.CASCADE, null=True, related_name="innowerkstatt_editions"
    )
    subevent = models.ForeignKey(
        "pretixbase.SubEvent", on_delete=models.CASCADE, null=True, related_name="innowerkstatt_editions"
    )
    rule_start = models.DateTimeField()  # the date the rule gave (before a move): RECURRENCE-ID
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="format__organizer")

    class Meta:
        ordering = ("rule_start", "id")
        constraints = [
            models.UniqueConstraint(fields=["format", "key"], name="innowerkstatt_edition_once_per_period"),
        ]

    def __str__(self):
        return f"{self.format} {self.key}"

    @property
    def target(self):
        """The event (mode a) or date (mode b) of this edition."""
        return self.subevent if self.subevent_id else self.event
