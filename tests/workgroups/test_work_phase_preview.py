"""The demo's work-phase preview: a command that shows the join's redirect with the clock inside the work phase."""

import datetime
import io
import os
import shlex
import sys
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled
from pretix.base.models import Checkin

from pretix_innowerkstatt.videolinks.demo import DEMO_EMAIL
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.workgroups import demo_join
from tests.videolinks.conftest import MEETING_URL, make_order

from .work_phase import GROUP_URLS, add_groups, add_member, add_work_phase, phase_start


@pytest.fixture
def ada(event, item):
    with scopes_disabled():
        configure_event(event, url=MEETING_URL, opens_minutes_before=30)
    groups = add_groups(add_work_phase(event))
    order = make_order(event, item, attendees=("Ada Lovelace",), email=DEMO_EMAIL)
    with scopes_disabled():
        position = order.positions.get()
    add_member(groups[0], position)
    return position


def preview(*args):
    out = io.StringIO()
    call_command("innowerkstatt_join_preview", *args, stdout=out)
    return out.getvalue()


def local(event, moment):
    return moment.astimezone(event.timezone).strftime("%Y-%m-%d %H:%M")


def base_args(position):
    return ["--organizer", "innovationsbuero", "--event", "innowerkstatt", "--order", position.order.code]


@pytest.mark.django_db
def test_the_preview_shows_the_group_room_inside_the_work_phase_and_the_main_room_before(event, ada):
    inside = preview(*base_args(ada), "--at", local(event, phase_start(event) + datetime.timedelta(minutes=10)))
    assert "Join page: Join your group: Challenge 1" in inside
    assert f"redirects to: {GROUP_URLS[0]}" in inside
    before = preview(*base_args(ada), "--at", local(event, phase_start(event) - datetime.timedelta(minutes=20)))
    assert "Join page: the main meeting" in before
    assert f"redirects to: {MEETING_URL}" in before
    with scopes_disabled():
        assert not Checkin.objects.exists()  # nobody joined


@pytest.mark.django_db
def test_the_preview_says_why_a_join_is_refused(event, ada):
    early = preview(*base_args(ada), "--at", local(event, event.date_from - datetime.timedelta(hours=2)))
    assert "Refused: The video conference is not open yet." in early
    assert MEETING_URL not in early and GROUP_URLS[0] not in early


@pytest.mark.django_db
def test_work_phase_is_a_shortcut_for_five_minutes_into_the_tickets_work_phase(event, ada):
    assert f"redirects to: {GROUP_URLS[0]}" in preview(*base_args(ada), "--at", "work-phase")


@pytest.mark.django_db
def test_unknown_tickets_and_unreadable_times_are_clear_errors(event, ada):
    with pytest.raises(CommandError, match="No ticket 7"):
        preview(*base_args(ada), "--position", "7", "--at", "work-phase")
    with pytest.raises(CommandError, match="Cannot read the time"):
        preview(*base_args(ada), "--at", "tomorrow evening")


@pytest.mark.django_db
def test_the_demo_prints_a_command_that_shows_the_work_phase_redirect(event, ada):
    demo = SimpleNamespace(innowerkstatt=event, lines=[])
    with scopes_disabled():
        demo_join.seed(demo)
    (line,) = demo.lines
    assert "Challenge 1" in line
    command = shlex.split(line[line.index(demo_join.COMMAND) :])
    assert command[:4] == ["python", "-m", "pretix", "innowerkstatt_join_preview"]
    output = preview(*command[4:])
    assert "Join your group: Challenge 1" in output and GROUP_URLS[0] in output


@pytest.mark.django_db
def test_under_make_demo_the_printed_command_carries_the_demos_configuration_and_python(event, ada, monkeypatch):
    """Pasted into another terminal in the project's directory, it reaches the demo's database."""
    monkeypatch.setenv("PRETIX_CONFIG_FILE", "demo/pretix.cfg")
    demo = SimpleNamespace(innowerkstatt=event, lines=[])
    with scopes_disabled():
        demo_join.seed(demo)
    (line,) = demo.lines
    command = shlex.split(line[line.index("PRETIX_CONFIG_FILE=") :])
    assert command[0] == "PRETIX_CONFIG_FILE=demo/pretix.cfg"
    assert os.path.samefile(command[1], sys.executable) and not os.path.isabs(command[1])
    assert command[2:5] == ["-m", "pretix", "innowerkstatt_join_preview"]
    output = preview(*command[5:])
    assert "Join your group: Challenge 1" in output
