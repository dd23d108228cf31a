"""Holidays, school holidays and blocked dates; then the preview list built from them."""

import datetime
import zoneinfo

import holidays
import pytest
from django.utils import translation

from pretix_innowerkstatt.formats.domain import planning
from pretix_innowerkstatt.formats.domain.errors import FormatError
from pretix_innowerkstatt.formats.domain.exclusions import NEXT, PREVIOUS, SKIP, Exclusions
from pretix_innowerkstatt.formats.domain.planning import (
    MODE_DATES,
    MODE_EVENTS,
    BusyEvent,
    ExistingEdition,
    Naming,
    schedule,
)
from pretix_innowerkstatt.formats.domain.rules import KIND_MONTHDAY, KIND_WEEKDAY, LAST, Period, Rule

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def day3_rule(**kwargs):
    """Day 3 of the 1st month of each quarter: 3 October is German Unity Day every year."""
    defaults = dict(
        kind=KIND_MONTHDAY,
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        first=Period(2026, 4),
        count=1,
        month=1,
        day=3,
    )
    defaults.update(kwargs)
    return Rule(**defaults)


@pytest.mark.parametrize(
    "policy,expected",
    [
        # 3 Oct 2026 is a Saturday; the next Saturday in Q4 is 10 Oct.
        (NEXT, datetime.date(2026, 10, 10)),
        # The previous Saturday, 26 Sep, is in Q3: there is no earlier one inside Q4.
        (PREVIOUS, None),
        (SKIP, None),
    ],
)
def test_german_unity_day_in_berlin_is_moved_or_skipped(policy, expected):
    with translation.override("de"):
        (date,) = schedule(day3_rule(), Exclusions(state="BE", policy=policy), BERLIN, language="de")
    assert date.rule_start == datetime.datetime(2026, 10, 3, 18, tzinfo=BERLIN)
    assert (date.start.date() if date.start else None) == expected
    assert date.reasons[0] == "Tag der Deutschen Einheit (BE)"
    assert date.moved == (policy == NEXT) and date.skipped == (policy != NEXT)
    if policy == PREVIOUS:
        assert "Q4/2026" in date.reasons[-1]  # "no free day in Q4/2026 to move to"


def test_english_holiday_names_outside_german():
    (date,) = schedule(day3_rule(), Exclusions(state="BE", policy=SKIP), BERLIN, language="en")
    assert date.reasons == ("German Unity Day (BE)",)


def test_state_matters_womens_day_is_a_holiday_in_berlin_only():
    # Day 8 of the 3rd month of each quarter: 8 March 2027 (International Women's Day).
    r = day3_rule(day=8, month=3, first=Period(2027, 1))
    (berlin,) = schedule(r, Exclusions(state="BE", policy=SKIP), BERLIN, language="de")
    (bavaria,) = schedule(r, Exclusions(state="BY", policy=SKIP), BERLIN, language="de")
    assert berlin.skipped and berlin.reasons == ("Frauentag (BE)",)
    assert not bavaria.skipped and bavaria.start.date() == datetime.date(2027, 3, 8)


def test_school_holidays_move_past_the_whole_summer_break():
    # 3rd Wednesday of July 2026: 1 July is a Wednesday -> 15 July. Berlin's summer break 2026
    # runs from 9 July to 22 August, so "next" walks 22, 29 Jul, 5, 12, 19 Aug to 26 Aug.
    r = Rule(
        kind=KIND_WEEKDAY,
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        first=Period(2026, 3),
        count=1,
        month=1,
        ordinal=3,
        weekday=2,
    )
    (later,) = schedule(r, Exclusions(state="BE", school_holidays=True, policy=NEXT), BERLIN, language="de")
    assert later.start.date() == datetime.date(2026, 8, 26)
    assert later.reasons == ("Sommerferien (BE)",)
    (earlier,) = schedule(r, Exclusions(state="BE", school_holidays=True, policy=PREVIOUS), BERLIN, language="de")
    assert earlier.start.date() == datetime.date(2026, 7, 8)  # the day before the break starts
    (without,) = schedule(r, Exclusions(state="BE", policy=NEXT), BERLIN)
    assert without.start.date() == datetime.date(2026, 7, 15) and not without.reasons


def last_known_school_holiday(state):
    """The last school-holiday day the installed ``holidays`` data has (0.109: 11 Aug 2029 for BE)."""
    years = range(2020, datetime.date.today().year + 30)
    known = holidays.country_holidays("DE", subdiv=state, years=years, categories=("school",))
    return max(known)


def test_warning_where_school_holiday_data_runs_out():
    # Whatever year the installed data reaches: plan from the year before its end to two years past it.
    last = last_known_school_holiday("BE")
    r = day3_rule(count=None, until=datetime.date(last.year + 2, 12, 31), first=Period(last.year - 1, 1))
    dates = schedule(r, Exclusions(state="BE", school_holidays=True, policy=NEXT), BERLIN, language="en")
    checked = [d for d in dates if not d.warnings]
    unchecked = [d for d in dates if d.warnings]
    assert checked and unchecked
    # Dates up to the data's last day are checked; every later one is flagged, with that day.
    assert all(d.start.date() <= last for d in checked) and all(d.start.date() > last for d in unchecked)
    assert len(unchecked) >= 8  # at least the two whole years after the data ends
    assert all(
        d.warnings
        == (f"School holidays of BE are only known until {last.isoformat()}; this date could not be checked.",)
        for d in unchecked
    )


def test_custom_blocked_dates_with_reason_and_several_reasons_on_one_day():
    blocked = ((datetime.date(2026, 10, 3), "Klausur"), (datetime.date(2026, 10, 10), ""))
    (date,) = schedule(day3_rule(), Exclusions(state="BE", blocked=blocked, policy=NEXT), BERLIN, language="de")
    # 3 Oct: holiday and retreat; 10 Oct blocked too -> 17 Oct.
    assert date.start.date() == datetime.date(2026, 10, 17)
    assert date.reasons == ("Tag der Deutschen Einheit (BE)", "Klausur")


@pytest.mark.parametrize(
    "exclusions,message",
    [
        (Exclusions(state="XX"), "Unknown federal state “XX”"),
        (Exclusions(school_holidays=True), "need a federal state"),
        (Exclusions(policy="sideways"), "skip or move"),
    ],
)
def test_bad_exclusions_are_errors(exclusions, message):
    with pytest.raises(FormatError) as exc:
        schedule(day3_rule(), exclusions, BERLIN)
    assert message in exc.value.message


# --- plan ---------------------------------------------------------------------------------------
NAMING = Naming(
    name_pattern={"de": "{name} {quarter}/{year}", "en": "{name} {quarter}/{year}"},
    slug_pattern="innowerkstatt-{year}-q{q}",
    format_name={"de": "Innovationswerkstatt", "en": "Innovation workshop"},
    format_slug="innowerkstatt",
)


def quarterly(first=None, count=4):
    return Rule(
        kind=KIND_WEEKDAY,
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        first=first or Period(2026, 3),
        count=count,
        month=2,
        ordinal=LAST,
        weekday=2,
    )


def make_plan(*, dates=None, mode=MODE_EVENTS, now=datetime.datetime(2026, 1, 1, tzinfo=BERLIN), **kwargs):
    dates = dates or schedule(quarterly(), Exclusions(state="BE", policy=NEXT), BERLIN, language="de")
    return planning.plan(
        dates,
        kwargs.pop("naming", NAMING),
        mode=mode,
        now=now,
        existing=kwargs.pop("existing", {}),
        taken_slugs=kwargs.pop("taken_slugs", {}),
        busy=kwargs.pop("busy", []),
    )


def test_names_and_slugs_from_patterns():
    first = make_plan()[0]
    assert (first.key, first.label, first.status) == ("2026-Q3", "Q3/2026", planning.CREATE)
    assert first.names == {"de": "Innovationswerkstatt Q3/2026", "en": "Innovation workshop Q3/2026"}
    assert first.slug == "innowerkstatt-2026-q3"
    assert first.start == datetime.datetime(2026, 8, 26, 18, tzinfo=BERLIN)


def test_existing_past_conflicting_and_skipped_editions_are_not_created():
    dates = schedule(quarterly(), Exclusions(policy=SKIP, blocked=((datetime.date(2027, 2, 24), "Klausur"),)), BERLIN)
    existing = {"2026-Q4": ExistingEdition(key="2026-Q4", start=None, name="Q4")}
    planned = make_plan(
        dates=dates,
        now=datetime.datetime(2026, 9, 1, tzinfo=BERLIN),
        existing=existing,
        taken_slugs={"innowerkstatt-2027-q2": "Sommerfest"},
    )
    assert [(p.key, p.status) for p in planned] == [
        ("2026-Q3", planning.PAST),
        ("2026-Q4", planning.EXISTS),
        ("2027-Q1", planning.SKIPPED),
        ("2027-Q2", planning.CONFLICT),
    ]
    assert "already used by the event “Sommerfest”" in planned[3].notes[0]
    assert planning.to_create(planned) == []


def test_other_events_on_the_same_day_warn_and_same_time_in_series_conflicts():
    busy = [BusyEvent(name="Sommerfest", start=datetime.datetime(2026, 8, 26, 12, tzinfo=BERLIN))]
    (first, *_) = make_plan(busy=busy)
    assert first.status == planning.CREATE and first.warnings == ["Same day as “Sommerfest”."]
    busy = [BusyEvent(name="Termin", start=datetime.datetime(2026, 8, 26, 18, tzinfo=BERLIN))]
    (first, *_) = make_plan(busy=busy, mode=MODE_DATES)
    assert first.status == planning.CONFLICT and "already has a date at this time" in first.notes[0]


def test_an_edition_the_rule_no_longer_gives_is_listed_and_kept():
    existing = {"2025-Q1": ExistingEdition(key="2025-Q1", start=None, name="Alt")}
    last = make_plan(existing=existing)[-1]
    assert (last.key, last.status) == ("2025-Q1", planning.EXISTS)
    assert "no longer gives" in last.warnings[0]


@pytest.mark.parametrize(
    "naming,message",
    [
        (Naming({"de": "{name} {jahr}"}, "x-{year}-{q}", {"de": "X"}, "x"), "Unknown placeholder {jahr}"),
        (Naming({"de": "{name}"}, "x-{name.__class__}", {"de": "X"}, "x"), "Unknown placeholder"),
        (Naming({"de": "{name}"}, "innowerkstatt", {"de": "X"}, "x"), "same short form"),
        (Naming({"de": " "}, "x-{year}-{q}", {"de": "X"}, "x"), "pattern for the editions' names"),
    ],
)
def test_bad_patterns_are_errors(naming, message):
    with pytest.raises(FormatError) as exc:
        make_plan(naming=naming)
    assert message in exc.value.message


def test_invalid_and_duplicate_slugs_are_conflicts():
    planned = make_plan(naming=Naming({"de": "{name}"}, "{slug}_{year}-{q}", {"de": "X"}, "x"))
    assert planned[0].status == planning.CONFLICT and "letters, numbers" in planned[0].notes[0]
    # {month} of a quarterly rule differs each time, {year}-{month} is unique; {q} alone repeats yearly.
    planned = make_plan(
        dates=schedule(quarterly(count=5), Exclusions(), BERLIN),
        naming=Naming({"de": "{name}"}, "iw-q{q}", {"de": "X"}, "x"),
    )
    assert [p.status for p in planned] == [planning.CREATE] * 4 + [planning.CONFLICT]
    assert "already planned for Q3/2026" in planned[4].notes[0]


def test_more_than_100_editions_in_one_run_is_an_error():
    dates = schedule(quarterly(count=101), Exclusions(), BERLIN)
    planned = make_plan(dates=dates, naming=Naming({"de": "{name}"}, "iw-{year}-{q}", {"de": "X"}, "x"))
    with pytest.raises(FormatError) as exc:
        planning.to_create(planned)
    assert "would create 101 editions" in exc.value.message and "at most 100" in exc.value.message
    assert len(planning.to_create(planned[:100])) == 100
