"""`make demo` gives the Innowerkstatt three groups of 15 with their own Jitsi rooms, Ada in group 1."""

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda import demo as agenda_demo
from pretix_innowerkstatt.core import demo as core_demo
from pretix_innowerkstatt.videolinks import demo as videolinks_demo
from pretix_innowerkstatt.workgroups import demo as workgroups_demo
from pretix_innowerkstatt.workgroups.domain.selection import group_of, groups_of_date
from pretix_innowerkstatt.workgroups.models import WorkGroup, WorkGroupMember


@pytest.mark.django_db
def test_seed_twice_creates_three_groups_and_puts_ada_in_the_first_once():
    with scopes_disabled():
        for _run in range(2):
            demo = core_demo.build("http://127.0.0.1:8000")
            for capability in (agenda_demo, videolinks_demo, workgroups_demo):
                capability.seed(demo)
        groups = list(groups_of_date(demo.innowerkstatt))
        ada = demo.innowerkstatt.orders.get(email="ada.lovelace@example.org").positions.get()
        assert WorkGroup.objects.count() == 3 and WorkGroupMember.objects.count() == 1
        assert group_of(ada) == groups[0]
    assert [g.capacity for g in groups] == [15, 15, 15]
    assert [g.room_name for g in groups] == [f"innowerkstatt-challenge-{n}" for n in (1, 2, 3)]
    assert str(groups[0].name.localize("de")) == "Challenge 1: Ehrenamt digital organisieren"
    assert any("/innowerkstatt/agenda/groups/" in line for line in demo.lines)


@pytest.mark.django_db
def test_make_demo_prints_the_work_phase_preview_command_for_adas_ticket():
    with scopes_disabled():
        demo = core_demo.build("http://127.0.0.1:8000")
        for capability in (agenda_demo, videolinks_demo, workgroups_demo):
            capability.seed(demo)
        ada = demo.innowerkstatt.orders.get(email="ada.lovelace@example.org")
    preview = [line for line in demo.lines if line.startswith("Work-phase join (clock at")]
    assert len(preview) == 1
    assert "python -m pretix innowerkstatt_join_preview" in preview[0]
    assert f"--order {ada.code}" in preview[0] and "Challenge 1" in preview[0]
