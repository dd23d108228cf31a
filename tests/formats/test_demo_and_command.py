"""`make demo`'s seed (twice: still four editions) and the management command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.core import demo as core_demo
from pretix_innowerkstatt.formats import demo as formats_demo
from pretix_innowerkstatt.formats.models import Edition, Format

from .conftest import make_format

pytestmark = pytest.mark.django_db


def test_demo_seed_twice_gives_exactly_four_future_editions():
    for _ in range(2):
        demo = core_demo.build("http://127.0.0.1:8000")
        with scopes_disabled():
            formats_demo.seed(demo)
    with scopes_disabled():
        fmt = Format.objects.get(slug="innovationswerkstatt")
        editions = list(Edition.objects.filter(format=fmt).select_related("event").order_by("rule_start"))
        assert len(editions) == 4
        for edition in editions:
            start = edition.event.date_from.astimezone(core_demo.BERLIN)
            assert start > now() and start.weekday() == 2 and (start.hour, start.minute) == (18, 0)
            assert start.month % 3 == 2  # the 2nd month of its quarter
            assert edition.event.items.exists()  # copied from the demo event
    assert fmt.holiday_state == "BE" and fmt.template_event.slug == "innowerkstatt"
    assert fmt.public  # the printed series calendar address answers
    assert any("4 editions" in line for line in demo.lines)


def test_command_list_preview_create(organizer, template):
    make_format(organizer, template)
    out = StringIO()
    call_command("innowerkstatt_formats", "list", "--organizer", "innovationsbuero", stdout=out)
    assert "innowerkstatt" in out.getvalue() and "last Wednesday of month 2" in out.getvalue()

    out = StringIO()
    call_command(
        "innowerkstatt_formats", "preview", "--organizer", "innovationsbuero", "--format", "innowerkstatt", stdout=out
    )
    text = out.getvalue()
    assert "Q1/2027   Wed 2027-02-24 18:00" in text and "4 to create." in text

    out = StringIO()
    call_command(
        "innowerkstatt_formats",
        "create",
        "--organizer",
        "innovationsbuero",
        "--format",
        "innowerkstatt",
        "--extend",
        "1",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["created"] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1"]


def test_command_errors_are_clear(organizer, template):
    make_format(organizer, template, count=101, slug_pattern="iw-{year}-{q}")
    with pytest.raises(CommandError, match="at most 100"):
        call_command("innowerkstatt_formats", "create", "--organizer", "innovationsbuero", "--format", "innowerkstatt")
    with pytest.raises(CommandError, match="Unknown format"):
        call_command("innowerkstatt_formats", "preview", "--organizer", "innovationsbuero", "--format", "nope")


def test_demo_seed_without_the_plugin_tables_says_so_and_does_nothing(monkeypatch):
    from django.db import connection

    demo = core_demo.build("http://127.0.0.1:8000")
    real = connection.introspection.table_names
    monkeypatch.setattr(
        connection.introspection, "table_names", lambda *a, **k: [t for t in real(*a, **k) if "innowerkstatt" not in t]
    )
    with scopes_disabled():
        formats_demo.seed(demo)
        monkeypatch.undo()
        assert not Format.objects.exists()
    assert any("tables are missing" in line for line in demo.lines)
