"""`make demo` seeds the Innowerkstatt's agenda and speaker, and the #UpdateDeutschland slots, once."""

import pytest
from django_scopes import scopes_disabled

from pretix_innowerkstatt.agenda import demo as agenda_demo
from pretix_innowerkstatt.agenda.domain.formatting import agenda_text
from pretix_innowerkstatt.agenda.domain.selection import agenda_items, agenda_outline
from pretix_innowerkstatt.agenda.models import AgendaItem, AgendaItemSpeaker, Speaker
from pretix_innowerkstatt.core import demo as core_demo


def counts():
    return (AgendaItem.objects.count(), Speaker.objects.count(), AgendaItemSpeaker.objects.count())


@pytest.mark.django_db
def test_seed_twice_creates_everything_once():
    from django.utils import translation

    with scopes_disabled():
        demo = core_demo.build("http://127.0.0.1:8000")
        agenda_demo.seed(demo)
        first = counts()
        demo = core_demo.build("http://127.0.0.1:8000")
        agenda_demo.seed(demo)
        assert counts() == first == (5 + 4, 2, 3)
        with translation.override("de"):
            lines = agenda_text(agenda_outline(demo.innowerkstatt), demo.innowerkstatt.timezone).splitlines()
        with translation.override("en"):
            english = agenda_text(agenda_outline(demo.innowerkstatt), demo.innowerkstatt.timezone)
        update = agenda_items(demo.update_deutschland)
    assert lines == [
        "18:00 Begrüßung",
        "18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)",
        "18:40 Schlaglichter aus dem BMFSFJ",
        "19:10 Arbeitsphase",
        "20:00 Ende",
    ]
    assert "18:10 Wir vs. Virus hackathon – a best practice (Adriana Groh)" in english
    assert update[0].speaker_links.all()[0].speaker.name == "Stefan Muhle"
    # one "Initiatives present" block; the slots demo fills it with presentations from approved orders
    assert [i.title.localize("de") for i in update if i.kind == "presentation"] == ["Initiativen stellen sich vor"]
    assert update[-1].start == demo.update_deutschland.date_to  # 18:30, the end
    assert any("innowerkstatt/agenda/" in line for line in demo.lines)
