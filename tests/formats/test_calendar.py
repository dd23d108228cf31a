"""The public series calendar: parsed back and expanded by other libraries, it gives exactly the plan."""

import datetime
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django_scopes import scopes_disabled
from pretix.base.models import Event

from pretix_innowerkstatt.formats.domain import creation

from .conftest import make_format

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
URL = "/innovationsbuero/innowerkstatt/formats/{}.ics"
NOW = datetime.datetime(2026, 11, 23, tzinfo=BERLIN)

pytestmark = pytest.mark.django_db


def fetch(client, slug="innowerkstatt"):
    response = client.get(URL.format(slug))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def expand(calendar):
    return sorted(
        (e["DTSTART"].dt, e["DTEND"].dt, e)
        for e in recurring_ical_events.of(calendar).between(datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))
    )


def planned(fmt):
    with scopes_disabled():
        return [(d.start, d.end) for d in creation.dates_of(fmt) if not d.skipped]


def test_expanding_the_calendar_gives_exactly_the_planned_dates_and_times(client, organizer, template):
    fmt = make_format(organizer, template, count=12, public=True)
    calendar = fetch(client)
    got = [(start, end) for start, end, _ in expand(calendar)]
    assert got == planned(fmt)
    # 18:00–20:00 Berlin wall-clock time in winter and summer
    assert {(s.astimezone(BERLIN).time(), e.astimezone(BERLIN).time()) for s, e in got} == {
        (datetime.time(18), datetime.time(20))
    }
    (master,) = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    rrule = master["RRULE"].to_ical().decode()
    assert "BYDAY=-1WE" in rrule and "BYMONTH=2,5,8,11" in rrule and "COUNT=12" in rrule
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_until_rules_use_utc_until_and_expand_the_same(client, organizer, template):
    fmt = make_format(organizer, template, count=None, until=datetime.date(2029, 11, 28), public=True)
    calendar = fetch(client)
    (master,) = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    until = master["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == datetime.timedelta(0)
    assert [(s, e) for s, e, _ in expand(calendar)] == planned(fmt)
    assert len(planned(fmt)) == 12  # Q1/2027 … Q4/2029; 28 Nov 2029 is the last Wednesday


def test_skipped_dates_are_exdates_and_moved_dates_are_overrides(client, organizer, template):
    # Day 3 of the 1st month of each quarter, Q4/2026 … Q4/2027 (5 dates): 3 Oct is German Unity
    # Day in both years, 3 Jan and 3 Apr 2027 are blocked by the organiser; only 3 Jul 2027 is free.
    # "next" moves each hit one week on (same weekday, same quarter); "skip" drops them.
    fmt = make_format(
        organizer,
        template,
        rule_kind="monthday",
        day=3,
        month=1,
        first_year=2026,
        first_period=4,
        count=5,
        blocked_dates=[{"date": "2027-01-03", "reason": "Neujahrsklausur"}],
        on_hit="next",
        public=True,
    )
    fmt.blocked_dates.append({"date": "2027-04-03", "reason": "Ostern"})
    fmt.save()
    calendar = fetch(client)
    (master,) = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    assert "EXDATE" not in master  # with "next", every hit finds a free day in its quarter
    overrides = [c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" in c]
    moved = {c["RECURRENCE-ID"].dt.date(): c["DTSTART"].dt.date() for c in overrides}
    assert moved[datetime.date(2026, 10, 3)] == datetime.date(2026, 10, 10)
    assert moved[datetime.date(2027, 10, 3)] == datetime.date(2027, 10, 10)
    assert moved[datetime.date(2027, 1, 3)] == datetime.date(2027, 1, 10)
    assert "Tag der Deutschen Einheit (BE)" in str(
        next(c for c in overrides if c["RECURRENCE-ID"].dt.date() == datetime.date(2026, 10, 3))["DESCRIPTION"]
    )
    assert [(s, e) for s, e, _ in expand(calendar)] == planned(fmt)

    # With "skip", the same holidays become EXDATEs and drop out of the expansion.
    fmt.on_hit = "skip"
    fmt.save()
    calendar = fetch(client)
    (master,) = [c for c in calendar.walk("VEVENT") if "RRULE" in c]
    exdate_prop = master["EXDATE"]
    lines = exdate_prop if isinstance(exdate_prop, list) else [exdate_prop]
    skipped = sorted(d.dt.date() for line in lines for d in line.dts)
    assert skipped == [
        datetime.date(2026, 10, 3),
        datetime.date(2027, 1, 3),
        datetime.date(2027, 4, 3),
        datetime.date(2027, 10, 3),
    ]
    assert [s.date() for s, _, _ in expand(calendar)] == [datetime.date(2027, 7, 3)]


def test_published_editions_carry_their_url_unpublished_ones_dont(client, organizer, template):
    fmt = make_format(organizer, template, publish=True, public=True)
    with scopes_disabled():
        creation.create_editions(fmt, now=NOW)
        hidden = Event.objects.get(slug="innowerkstatt-2027-q2")
        hidden.live = False
        hidden.save()
    calendar = fetch(client)
    urls = {start.date(): str(e.get("URL", "")) for start, _, e in expand(calendar)}
    assert urls[datetime.date(2027, 2, 24)].endswith("/innovationsbuero/innowerkstatt-2027-q1/")
    assert "innowerkstatt-2027-q2" not in urls[datetime.date(2027, 5, 26)]
    assert [(s, e) for s, e, _ in expand(calendar)] == planned(fmt)


def test_unknown_format_is_404(client, fmt):
    assert client.get(URL.format("gibt-es-nicht")).status_code == 404
