"""Helpers of the work-phase join tests: an event with a work phase, groups and members, joins at a moment."""

import datetime

from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.agenda.models import AgendaItem
from pretix_innowerkstatt.videolinks.domain.links import join_path
from pretix_innowerkstatt.workgroups.interfaces import rooms
from pretix_innowerkstatt.workgroups.models import WorkGroup, WorkGroupMember
from tests.videolinks.conftest import make_order

GROUP_URLS = (
    "https://meet.example.org/group-room-ehrenamt-7f3a",
    "https://meet.example.org/group-room-daten-91bc",
    "https://meet.example.org/group-room-land-04de",
)
NAMES = ("Challenge 1", "Challenge 2", "Challenge 3")


def phase_start(event, subevent=None):
    """The "Arbeitsphase" starts 70 minutes after the event (18:00 → 19:10) and ends with it (20:00)."""
    return (subevent or event).date_from + datetime.timedelta(minutes=70)


def add_work_phase(event, subevent=None):
    with scopes_disabled():
        item = AgendaItem.objects.create(
            event=event,
            subevent=subevent,
            start=phase_start(event, subevent),
            end=(subevent or event).date_from + datetime.timedelta(minutes=120),
            title={"de": "Arbeitsphase", "en": "Work phase"},
            kind=AgendaItem.KIND_WORK,
        )
    rooms.forget(event.pk)
    return item


def add_groups(item, count=3, urls=GROUP_URLS, **fields):
    with scopes_disabled():
        groups = [
            WorkGroup.objects.create(
                event=item.event,
                item=item,
                name={"de": f"Challenge {i + 1}", "en": f"Challenge {i + 1}"},
                description={"en": f"What challenge {i + 1} is about"},
                capacity=15,
                meeting_url=urls[i] if urls and i < len(urls) else "",
                position=i,
                **fields,
            )
            for i in range(count)
        ]
    rooms.forget(item.event_id)
    return groups


def add_member(group, position):
    with scopes_disabled():
        return WorkGroupMember.objects.create(group=group, position=position)


def ticket_in(group, item, name="Ada Lovelace"):
    """The ticket (``item``) of a new paid order for ``name``, a member of ``group``."""
    order = make_order(group.event, item, attendees=(name,))
    with scopes_disabled():
        position = order.positions.get()
    add_member(group, position)
    return position


def join_at(position, at, client=None):
    """The attendee's join POST (after opening the page for its CSRF token) at the moment ``at``."""
    client = client or Client(enforce_csrf_checks=True)
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(at):
        page = client.get(path)
        return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})


def page_at(position, at, client=None):
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(at):
        return (client or Client()).get(path)
