"""Rule expansion against dates checked by hand on a calendar.

Every expected date below has its calendar reasoning next to it: the weekday of the 1st of the
month (a fact anyone can check on a printed calendar) and the counting from there.
"""

import datetime
import zoneinfo

import pytest
from dateutil.rrule import rrulestr

from pretix_innowerkstatt.formats.domain.errors import FormatError
from pretix_innowerkstatt.formats.domain.rules import (
    KIND_MONTHDAY,
    KIND_TEMPLATE_DAY,
    KIND_WEEKDAY,
    LAST,
    Period,
    Rule,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WED, TUE, MON, FRI, SAT = 2, 1, 0, 4, 5


def rule(**kwargs):
    defaults = dict(
        kind=KIND_WEEKDAY,
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        first=Period(2020, 1),
        count=4,
        month=2,
        ordinal=LAST,
        weekday=WED,
    )
    defaults.update(kwargs)
    return Rule(**defaults)


def days(r):
    return [o.start.date() for o in r.occurrences()]


def test_last_wednesday_of_second_month_of_each_quarter_2020():
    assert days(rule()) == [
        # Feb 2020: 1 Feb was a Saturday, so Wednesdays fall on 5, 12, 19, 26; Feb 2020 has
        # 29 days (leap year) and 29 Feb is a Saturday, so the 26th is the last Wednesday.
        datetime.date(2020, 2, 26),
        # May 2020: 1 May was a Friday -> Wednesdays 6, 13, 20, 27; 31 May is a Sunday.
        # This is the Innowerkstatt of 27 May 2020.
        datetime.date(2020, 5, 27),
        # Aug 2020: 1 Aug was a Saturday -> Wednesdays 5, 12, 19, 26; 31 Aug is a Monday.
        datetime.date(2020, 8, 26),
        # Nov 2020: 1 Nov was a Sunday -> Wednesdays 4, 11, 18, 25; 30 Nov is a Monday.
        datetime.date(2020, 11, 25),
    ]


def test_times_stay_18_to_20_berlin_in_winter_and_summer():
    occurrences = rule().occurrences()
    feb, may = occurrences[0], occurrences[1]
    assert (feb.start.time(), feb.end.time()) == (datetime.time(18), datetime.time(20))
    # Placed in Berlin, the same wall-clock time is 17:00 UTC in winter and 16:00 UTC in summer.
    assert feb.start.replace(tzinfo=BERLIN).astimezone(datetime.UTC).hour == 17
    assert may.start.replace(tzinfo=BERLIN).astimezone(datetime.UTC).hour == 16


def test_rrule_string_is_monthly_with_bymonth_and_never_the_yearly_bysetpos_trap():
    text = rule().rrule_string(BERLIN)
    assert set(text.split(";")) == {"FREQ=MONTHLY", "COUNT=4", "BYDAY=-1WE", "BYMONTH=2,5,8,11"}
    assert "BYSETPOS" not in text
    # The string means the same to dateutil as our expansion …
    start = datetime.datetime(2020, 2, 26, 18)
    assert [d.date() for d in rrulestr(text, dtstart=start)] == days(rule())
    # … whereas the tempting yearly form keeps only one date a year (November).
    trap = rrulestr("FREQ=YEARLY;BYMONTH=2,5,8,11;BYDAY=WE;BYSETPOS=-1;COUNT=2", dtstart=start)
    assert [d.date() for d in trap] == [datetime.date(2020, 11, 25), datetime.date(2021, 11, 24)]


def test_until_is_in_utc_and_inclusive():
    r = rule(count=None, until=datetime.date(2020, 11, 25))
    assert days(r)[-1] == datetime.date(2020, 11, 25)
    assert "UNTIL=20201125T225959Z" in r.rrule_string(BERLIN)  # 23:59:59 CET = 22:59:59 UTC


def test_day_of_first_month_of_each_quarter():
    r = rule(kind=KIND_MONTHDAY, day=15, month=1, first=Period(2026, 1))
    # Day 15 of January, April, July, October.
    assert days(r) == [datetime.date(2026, m, 15) for m in (1, 4, 7, 10)]
    assert "BYMONTHDAY=15" in r.rrule_string(BERLIN)


def test_last_day_of_month():
    r = rule(kind=KIND_MONTHDAY, day=LAST)
    # 2020 is a leap year: 29 February; May and August have 31 days, November 30.
    assert days(r) == [
        datetime.date(2020, 2, 29),
        datetime.date(2020, 5, 31),
        datetime.date(2020, 8, 31),
        datetime.date(2020, 11, 30),
    ]


@pytest.mark.parametrize(
    "day,month,missing",
    [
        (31, 2, "November"),  # Feb/May/Aug/Nov: February has 28, November 30 days
        (29, 2, "February"),  # would exist only in leap years
        (31, 1, "April"),  # Jan/Apr/Jul/Oct: April has 30 days
    ],
)
def test_impossible_day_is_an_error_naming_the_month(day, month, missing):
    with pytest.raises(FormatError) as exc:
        rule(kind=KIND_MONTHDAY, day=day, month=month).occurrences()
    assert f"Day {day}" in exc.value.message and missing in exc.value.message


def test_day_30_of_first_month_exists_in_every_quarter():
    r = rule(kind=KIND_MONTHDAY, day=30, month=1, first=Period(2026, 1))
    assert days(r) == [datetime.date(2026, m, 30) for m in (1, 4, 7, 10)]


def test_same_day_as_template():
    # Template: Wednesday 27 May 2020 -> day 27 of the 2nd month of each quarter.
    r = rule(kind=KIND_TEMPLATE_DAY).for_template(datetime.date(2020, 5, 27))
    assert (r.kind, r.day, r.month) == (KIND_MONTHDAY, 27, 2)
    assert days(r) == [datetime.date(2020, m, 27) for m in (2, 5, 8, 11)]
    with pytest.raises(FormatError):
        rule(kind=KIND_TEMPLATE_DAY).for_template(None)


def test_monthly_half_yearly_and_yearly_come_from_the_same_code():
    # 1 Jan 2026 is a Thursday -> first Monday 5 Jan; 1 Feb and 1 Mar 2026 are Sundays -> 2 Feb, 2 Mar.
    monthly = rule(first=Period(2026, 1, 1), month=1, ordinal=1, weekday=MON, count=3)
    assert days(monthly) == [datetime.date(2026, 1, 5), datetime.date(2026, 2, 2), datetime.date(2026, 3, 2)]
    assert monthly.occurrences()[1].period.label == "02/2026"
    # 1 Mar 2026 is a Sunday -> Tuesdays 3, 10; 1 Sep 2026 is a Tuesday -> Tuesdays 1, 8.
    half = rule(first=Period(2026, 1, 6), month=3, ordinal=2, weekday=TUE, count=2)
    assert days(half) == [datetime.date(2026, 3, 10), datetime.date(2026, 9, 8)]
    assert [o.period.key for o in half.occurrences()] == ["2026-H1", "2026-H2"]
    # 30 Nov 2026 is a Monday -> the last Friday of November is the 27th.
    yearly = rule(first=Period(2026, 1, 12), month=11, ordinal=LAST, weekday=FRI, count=1)
    assert days(yearly) == [datetime.date(2026, 11, 27)]


def test_first_quarter_later_in_the_year():
    r = rule(first=Period(2026, 3), count=3)
    # 31 Aug 2026 is a Monday -> last Wednesday 26 Aug; 30 Nov 2026 is a Monday -> 25 Nov;
    # 28 Feb 2027 is a Sunday -> Wednesday 24 Feb.
    assert days(r) == [datetime.date(2026, 8, 26), datetime.date(2026, 11, 25), datetime.date(2027, 2, 24)]
    assert [o.period.key for o in r.occurrences()] == ["2026-Q3", "2026-Q4", "2027-Q1"]


@pytest.mark.parametrize(
    "changes,message",
    [
        (dict(end_time=datetime.time(17)), "end time must be after"),
        (dict(count=None, until=datetime.date(2019, 12, 31)), "lies before the first period"),
        (dict(count=None), "number of editions or an end date"),
        (dict(until=datetime.date(2030, 1, 1)), "number of editions or an end date"),
        (dict(count=0), "between 1 and 400"),
        (dict(month=4), "between 1 and 3"),
        (dict(ordinal=5), "first, second, third, fourth or last"),
        (dict(first=Period(2020, 5)), "first period must be between 1 and 4"),
        (dict(first=Period(2020, 1, 5)), "1, 3, 6 or 12"),
        (dict(count=None, until=datetime.date(2200, 1, 1)), "more than 400 dates"),
    ],
)
def test_bad_rules_give_a_clear_error(changes, message):
    with pytest.raises(FormatError) as exc:
        rule(**changes).occurrences()
    assert message in exc.value.message


def test_period_arithmetic():
    q = Period(2026, 4)
    assert (q.key, q.label, q.first_day, q.last_day) == (
        "2026-Q4",
        "Q4/2026",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert q.shifted(1) == Period(2027, 1) and q.shifted(-4) == Period(2025, 4)
    assert Period(2026, 1).periods_until(Period(2027, 2)) == 5
    assert Period.of(datetime.date(2026, 11, 23)) == q


def test_description_reads_like_the_issue():
    assert rule().describe() == "The last Wednesday of month 2 of each quarter, 18:00–20:00"


def test_description_in_german_formal_and_informal_share_the_wording():
    from django.utils import translation

    with translation.override("de"):
        assert rule().describe() == "Der letzte Mittwoch im 2. Monat jedes Quartals, 18:00–20:00"
        day = rule(kind=KIND_MONTHDAY, day=15, month=1).describe()
        assert day == "Der 15. im 1. Monat jedes Quartals, 18:00–20:00"
    with translation.override("de-informal"), pytest.raises(FormatError) as exc:
        rule(end_time=datetime.time(17)).occurrences()
    assert exc.value.message == "Die Endzeit muss nach der Startzeit liegen."
