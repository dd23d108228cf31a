"""The organiser's backend pages: list, edit, preview, create (async), delete, navigation and logs."""

import datetime
import re

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import Event, LogEntry

from pretix_innowerkstatt.formats import tasks
from pretix_innowerkstatt.formats.models import Edition, Format
from tests.conftest import login, team_member

from .conftest import make_format

pytestmark = pytest.mark.django_db

BASE = "/control/organizer/innovationsbuero/innowerkstatt/formats/"


def form_data(template, **changes):
    data = {
        "name_0": "Innovationswerkstatt",
        "name_1": "Innovation workshop",
        "slug": "innowerkstatt",
        "mode": "events",
        "template_event": template.pk,
        "template_subevent": "",
        "interval": 3,
        "rule_kind": "weekday",
        "ordinal": -1,
        "weekday": 2,
        "day": 1,
        "month": 2,
        "start_time": "18:00",
        "end_time": "20:00",
        "first_year": 2027,
        "first_period": 1,
        "count": 4,
        "until": "",
        "holiday_state": "BE",
        "blocked_dates": "2027-05-26 Klausurtagung",
        "on_hit": "next",
        "name_pattern_0": "Innovationswerkstatt {quarter}/{year}",
        "name_pattern_1": "Innovation workshop {quarter}/{year}",
        "slug_pattern": "innowerkstatt-{year}-q{q}",
        "presale_start_days": 60,
        "presale_end_minutes": 0,
    }
    data.update(changes)
    return data


@pytest.fixture
def event_creator(organizer, template):
    """May create events, but nothing else at the organiser."""
    return team_member(
        organizer,
        "creator@innovationsbuero.example",
        name="Events",
        all_events=True,
        all_event_permissions=True,
        limit_organizer_permissions={"organizer.events:create": True},
    )


def test_organiser_navigation_and_list(admin_client, fmt):
    page = admin_client.get("/control/organizer/innovationsbuero/").content.decode()
    assert BASE in page and "Recurring formats" in page
    response = admin_client.get(BASE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Innovation workshop" in text and "The last Wednesday of month 2 of each quarter, 18:00–20:00" in text


def test_permission_is_organizer_events_create(client, fmt, event_creator, readonly_user):
    login(client, readonly_user)
    assert client.get(BASE).status_code == 403
    assert BASE not in client.get("/control/organizer/innovationsbuero/").content.decode()
    login(client, event_creator)
    assert client.get(BASE).status_code == 200
    assert client.get(BASE + "innowerkstatt/preview/").status_code == 200


def test_pages_answer_404_when_the_plugin_is_off_for_the_organiser(admin_client, organizer, fmt):
    with scopes_disabled():
        organizer.disable_plugin("pretix_innowerkstatt")
        organizer.save()
    assert admin_client.get(BASE).status_code == 404
    assert admin_client.get("/innovationsbuero/innowerkstatt/formats/innowerkstatt.ics").status_code == 404


def test_create_a_format_then_see_it_in_the_organiser_log(admin_client, template, organizer):
    response = admin_client.post(BASE + "add/", form_data(template))
    assert response.status_code == 302 and response["Location"].endswith("/innowerkstatt/preview/")
    with scopes_disabled():
        fmt = Format.objects.get(organizer=organizer, slug="innowerkstatt")
    assert fmt.blocked_dates == [{"date": "2027-05-26", "reason": "Klausurtagung"}]
    assert str(fmt.name) == "Innovationswerkstatt"  # the organiser's only language is English
    log = admin_client.get("/control/organizer/innovationsbuero/logs").content.decode()
    assert "The recurring format “Innovationswerkstatt” has been created." in log or (
        "The recurring format “Innovation workshop” has been created." in log
    )


@pytest.mark.parametrize(
    "changes,message",
    [
        (dict(rule_kind="monthday", day=31), "Day 31 does not exist in every month of this rule"),
        (dict(end_time="17:00"), "The end time must be after the start time."),
        (dict(count=""), "Give either a number of editions or an end date."),
        (dict(slug_pattern="innowerkstatt"), "same short form"),
        (dict(blocked_dates="morgen"), "Line 1: write a date like"),
        (dict(mode="dates"), "Dates need an event series"),
        (dict(holiday_state="XX"), "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_and_saves_nothing(admin_client, template, organizer, changes, message):
    response = admin_client.post(BASE + "add/", form_data(template, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not Format.objects.filter(organizer=organizer).exists()


def plan_rows(text):
    """The preview table's rows by period key, whitespace collapsed."""
    return {key: " ".join(row.split()) for key, row in re.findall(r'data-key="(\d{4}-Q\d)">(.*?)</tr>', text, re.S)}


def assert_rows_show_created_editions(rows, keys):
    for key in keys:
        year, quarter = key.split("-")
        slug = f"innowerkstatt-{year}-{quarter.lower()}"
        row = rows[key]
        assert '<span class="label label-success">created</span>' in row, row
        assert "will be created" not in row
        # the edition's name links to its event in the backend, next to a link to its shop page
        assert f'<a href="/control/event/innovationsbuero/{slug}/">Innovation workshop {quarter}/{year}</a>' in row
        assert re.search(rf'<a href="[^"]*/innovationsbuero/{slug}/"[^>]*>Shop</a>', row), row


def test_preview_lists_every_date_with_moves_skips_and_conflicts(admin_client, organizer, template):
    make_format(organizer, template, blocked_dates=[{"date": "2027-05-26", "reason": "Klausurtagung"}])
    with scopes_disabled():
        Event.objects.create(
            organizer=organizer, name="Sommerfest", slug="innowerkstatt-2027-q3", date_from=template.date_from
        )
    text = admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
    rows = plan_rows(text)
    assert list(rows) == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert "Wednesday, Feb. 24, 2027" in rows["2027-Q1"] and "18:00–20:00" in rows["2027-Q1"]
    # 26 May 2027 is blocked -> the next Wednesday in Q2, 2 June
    q2 = rows["2027-Q2"]
    assert "Wednesday, June 2, 2027" in q2 and "Moved from May 26, 2027: Klausurtagung" in q2 and "moved" in q2
    q3 = rows["2027-Q3"]
    assert "conflict" in q3 and "is already used by the event “Sommerfest”" in q3
    assert "Create 3 editions" in text


def test_preview_shows_a_skipped_holiday_with_its_german_name(admin_client, admin_user, organizer, template):
    # Day 3 of month 1 of each quarter in 2027, skipped on a hit: 3 Oct 2027 is German Unity Day.
    make_format(organizer, template, rule_kind="monthday", day=3, month=1, on_hit="skip")
    admin_user.locale = "de"
    admin_user.save()
    text = admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
    rows = plan_rows(text)
    assert list(rows) == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    q4 = rows["2027-Q4"]
    assert '<span class="label label-warning">ausgelassen</span>' in q4
    assert "<s>Sonntag, 3. Oktober 2027</s>" in q4  # the date the rule gave, struck through
    assert "Ausgelassen: Tag der Deutschen Einheit (BE)" in q4
    assert "wird angelegt" not in q4 and "verschoben" not in q4
    for key, day in (("2027-Q1", "3. Januar 2027"), ("2027-Q2", "3. April 2027"), ("2027-Q3", "3. Juli 2027")):
        assert "wird angelegt" in rows[key] and day in rows[key] and "Ausgelassen" not in rows[key]
    assert "3 Ausgaben anlegen" in text  # the skipped period is not created


def test_preview_with_extension_shows_more_periods_but_changes_nothing(admin_client, fmt):
    text = admin_client.get(BASE + "innowerkstatt/preview/?extend=2").content.decode()
    assert "Q2/2028" in text and "Create 6 editions" in text
    fmt.refresh_from_db()
    assert fmt.count == 4


def test_create_runs_as_task_and_reports(admin_client, fmt):
    response = admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(BASE + "innowerkstatt/preview/")
    text = response.content.decode()
    assert "4 editions have been created." in text
    with scopes_disabled():
        assert Edition.objects.filter(format=fmt).count() == 4
    # back on the preview: every period now created, with links; nothing left to create
    rows = plan_rows(text)
    assert list(rows) == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert_rows_show_created_editions(rows, rows)
    assert "Every planned edition exists already or cannot be created; nothing to do." in text
    assert "Create 1 edition" not in text and not re.search(r"Create \d+ editions", text)
    # run again with two more quarters
    response = admin_client.post(BASE + "innowerkstatt/create/", {"extend": "2"}, follow=True)
    text = response.content.decode()
    assert "2 editions have been created." in text
    rows = plan_rows(text)
    assert list(rows)[4:] == ["2028-Q1", "2028-Q2"]
    assert_rows_show_created_editions(rows, rows)
    fmt.refresh_from_db()
    assert fmt.count == 6
    log = admin_client.get("/control/organizer/innovationsbuero/logs").content.decode()
    assert "4 editions of the recurring format have been created (2027-Q1, 2027-Q2, 2027-Q3, 2027-Q4)." in log
    assert "The recurring format has been planned 2 periods further." in log


def test_create_task_reports_progress_after_each_edition(admin_client, fmt, monkeypatch):
    """The values pretix's progress dialog shows while the task runs: one step per edition."""
    reported = []

    def update_state(state=None, meta=None, **kwargs):
        with scopes_disabled():
            reported.append((state, meta["value"], Edition.objects.filter(format=fmt).count()))

    monkeypatch.setattr(tasks.create_editions, "update_state", update_state)
    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"})
    # (state, percent, editions already created when it was reported)
    assert reported == [("PROGRESS", 25, 1), ("PROGRESS", 50, 2), ("PROGRESS", 75, 3), ("PROGRESS", 100, 4)]
    reported.clear()
    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "2"})
    assert reported == [("PROGRESS", 50, 5), ("PROGRESS", 100, 6)]  # only what was missing counts


def test_create_shows_the_error_and_creates_nothing_beyond_the_limit(admin_client, organizer, template):
    make_format(organizer, template, count=101, slug_pattern="iw-{year}-{q}")
    response = admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"}, follow=True)
    assert "at most 100 are created at once" in response.content.decode()
    with scopes_disabled():
        assert not Edition.objects.exists()


def test_ajax_create_returns_json_for_the_progress_dialog(admin_client, fmt):
    response = admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0", "ajax": "1"})
    data = response.json()
    assert data["ready"] and data["success"] and data["redirect"].endswith("/innowerkstatt/preview/")


def organiser_log(client):
    return " ".join(client.get("/control/organizer/innovationsbuero/logs").content.decode().split())


def test_edit_and_delete(admin_client, admin_user, fmt, organizer, template):
    response = admin_client.post(BASE + "innowerkstatt/", form_data(template, count=8))
    assert response.status_code == 302
    fmt.refresh_from_db()
    assert fmt.count == 8
    with scopes_disabled():
        changed = LogEntry.objects.get(action_type="pretix_innowerkstatt.formats.format.changed")
        assert changed.content_object == fmt and changed.organizer == organizer and changed.user == admin_user
        assert "count" in changed.parsed_data["changed"]
        assert changed.display() == "The recurring format “Innovationswerkstatt” has been changed."
    log = organiser_log(admin_client)
    assert "The recurring format “Innovationswerkstatt” has been changed." in log
    assert f'Recurring format <a href="{BASE}innowerkstatt/preview/">Innovationswerkstatt</a>' in log

    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"})
    response = admin_client.post(BASE + "innowerkstatt/delete/")
    assert response.status_code == 302
    with scopes_disabled():
        assert not Format.objects.filter(pk=fmt.pk).exists()
        assert Event.objects.filter(organizer=organizer, slug__startswith="innowerkstatt-2027").count() == 4
        deleted = LogEntry.objects.get(action_type="pretix_innowerkstatt.formats.format.deleted")
        assert deleted.organizer == organizer and deleted.user == admin_user
        assert deleted.parsed_data == {"name": "Innovationswerkstatt", "slug": "innowerkstatt"}
        assert deleted.display() == "The recurring format “Innovationswerkstatt” has been deleted; its editions remain."
    log = organiser_log(admin_client)
    assert "The recurring format “Innovationswerkstatt” has been deleted; its editions remain." in log
    # the format is gone: its lines name it, and link to no preview (neither its own nor a made-up one)
    assert log.count("Recurring format <i>Innovationswerkstatt</i>") == 2  # changed, deleted
    assert f'href="{BASE}innovationsbuero/preview/"' not in log and f'href="{BASE}innowerkstatt/preview/"' not in log


def test_event_overview_card_knows_editions_and_templates(admin_client, fmt):
    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"})
    card = admin_client.get("/control/event/innovationsbuero/innowerkstatt/innowerkstatt/").content.decode()
    assert "is the template of the recurring format" in card and "4 editions created" in card
    card = admin_client.get("/control/event/innovationsbuero/innowerkstatt-2027-q2/innowerkstatt/").content.decode()
    assert "This event is edition 2027-Q2 of the recurring format" in card
    assert BASE + "innowerkstatt/preview/" in card


def test_edition_log_line_in_the_event_log(admin_client, fmt):
    admin_client.post(BASE + "innowerkstatt/create/", {"extend": "0"})
    log = admin_client.get("/control/event/innovationsbuero/innowerkstatt-2027-q1/logs/").content.decode()
    assert "This event has been created as edition 2027-Q1 of the recurring format “innowerkstatt”." in log


def test_front_page_links_to_the_other_published_editions(client, organizer, template):
    fmt = make_format(organizer, template, publish=True, public=True)
    from pretix_innowerkstatt.formats.domain import creation

    with scopes_disabled():
        creation.create_editions(fmt, now=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC))
        offline = Event.objects.get(slug="innowerkstatt-2027-q4")
        offline.live = False
        offline.save()
    text = client.get("/innovationsbuero/innowerkstatt-2027-q1/").content.decode()
    assert 'id="innowerkstatt-format-editions"' in text
    assert "/innovationsbuero/innowerkstatt-2027-q2/" in text and "/innovationsbuero/innowerkstatt-2027-q3/" in text
    assert "innowerkstatt-2027-q4" not in text  # not live: not linked
    assert "/innovationsbuero/innowerkstatt/formats/innowerkstatt.ics" in text
    # the template event itself is no edition: no section
    assert 'id="innowerkstatt-format-editions"' not in client.get("/innovationsbuero/innowerkstatt/").content.decode()


def test_preview_in_the_users_language(admin_client, admin_user, fmt):
    admin_user.locale = "de"
    admin_user.save()
    text = admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
    assert "Der letzte Mittwoch im 2. Monat jedes Quartals, 18:00–20:00" in text
    assert "wird angelegt" in text and "will be created" not in text
    admin_user.locale = "en"
    admin_user.save()
    assert "will be created" in admin_client.get(BASE + "innowerkstatt/preview/").content.decode()
