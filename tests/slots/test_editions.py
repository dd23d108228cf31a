"""Slots belong to one edition: copies and imports leave them out; the editor keeps them in their block."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scope, scopes_disabled
from pretix.base.models import Event
from pretix.base.services.orders import approve_order

from pretix_innowerkstatt.agenda.domain.copying import copy_agenda
from pretix_innowerkstatt.agenda.domain.editing import save_item
from pretix_innowerkstatt.agenda.domain.importing import apply_schedule, read_schedule
from pretix_innowerkstatt.agenda.models import AgendaItem

from .conftest import KIEZRETTER, apply

SCHEDULE = "/innovationsbuero/innowerkstatt/innowerkstatt/schedule.json"


@pytest.fixture
def presented(event, product):
    order = apply(event, product.item, KIEZRETTER)
    with scope(organizer=event.organizer):
        approve_order(order, send_mail=False)
        return AgendaItem.objects.get(event=event, per_edition=True)


@pytest.fixture
def next_edition(event):
    with scopes_disabled():
        return Event.objects.create(
            organizer=event.organizer,
            name="Nächste Ausgabe",
            slug="naechste",
            date_from=event.date_from + datetime.timedelta(days=91),
            plugins=event.plugins,
        )


def titles(event):
    with scopes_disabled():
        return [i.title.localize("de") for i in AgendaItem.objects.filter(event=event).order_by("start")]


@pytest.mark.django_db
def test_copying_the_agenda_keeps_the_block_but_not_the_presentations(event, presented, next_edition):
    with scope(organizer=event.organizer):
        copy_agenda(event, next_edition)
    assert titles(next_edition) == ["Initiativen stellen sich vor"]


@pytest.mark.django_db
def test_pretix_event_copy_leaves_the_presentations_and_presenters_behind(event, presented, next_edition):
    with scopes_disabled():
        next_edition.copy_data_from(event)
        copied = AgendaItem.objects.filter(event=next_edition)
        assert [i.title.localize("de") for i in copied] == ["Initiativen stellen sich vor"]
        assert not copied.filter(speaker_links__isnull=False).exists()


@pytest.mark.django_db
def test_importing_last_editions_schedule_json_leaves_the_presentations_out(client, event, presented, next_edition):
    raw = client.get(SCHEDULE).content
    with scope(organizer=event.organizer):
        apply_schedule(next_edition, None, read_schedule(raw))
    assert titles(next_edition) == ["Initiativen stellen sich vor"]


@pytest.mark.django_db
def test_moving_a_presentation_within_its_block_is_allowed(event, presented):
    with scope(organizer=event.organizer):
        presented.start += datetime.timedelta(minutes=20)
        presented.end += datetime.timedelta(minutes=20)
        save_item(presented)
        presented.refresh_from_db()
    assert presented.end == event.date_from + datetime.timedelta(minutes=35)


@pytest.mark.django_db
def test_moving_a_presentation_out_of_its_block_is_refused_with_a_message(event, presented):
    with scope(organizer=event.organizer):
        stored = (presented.start, presented.sequence)
        presented.start += datetime.timedelta(minutes=30)
        presented.end += datetime.timedelta(minutes=30)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            presented.full_clean()  # what the agenda editor's form runs
        assert "is a presentation and can only move within" in refused.value.messages[0]
        assert "(18:10–18:40)" in refused.value.messages[0]
        with pytest.raises(ValidationError):
            save_item(presented)
        presented.refresh_from_db()
    assert (presented.start, presented.sequence) == stored


@pytest.mark.django_db
def test_other_items_move_freely(event, presented):
    with scope(organizer=event.organizer):
        other = AgendaItem.objects.create(event=event, start=event.date_from, title="Begrüßung", kind="welcome")
        other.start += datetime.timedelta(hours=3)
        save_item(other)
        other.full_clean()
