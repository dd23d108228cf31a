"""Demo data of this capability, seeded by `make demo` (idempotent).

The Innowerkstatt's "Arbeitsphase" gets three groups on invented challenges in the spirit of
the seed ("gemeinsam an mehreren Herausforderungen arbeiten"), 15 places each, each with its
own Jitsi room; Ada Lovelace's ticket (from the video-link demo) is in group 1.
"""

from django.db import transaction

from ..agenda.models import AgendaItem
from . import demo_join
from .domain.managing import create_group
from .domain.membership import choose_group
from .models import WorkGroup, WorkGroupMember

CHALLENGES = [
    (
        {
            "de": "Challenge 1: Ehrenamt digital organisieren",
            "en": "Challenge 1: Organising volunteering digitally",
        },
        {
            "de": "Wie finden Vereine und Freiwillige zueinander, wenn Treffen vor Ort ausfallen? "
            "Wir sammeln Werkzeuge, die **ohne IT-Abteilung** funktionieren.",
            "en": "How do associations and volunteers find each other when meetings on site are cancelled? "
            "We collect tools that work **without an IT department**.",
        },
        "innowerkstatt-challenge-1",
    ),
    (
        {
            "de": "Challenge 2: Verwaltungsdaten offen nutzen",
            "en": "Challenge 2: Putting open administrative data to use",
        },
        {
            "de": "Welche Daten der Verwaltung helfen Initiativen am meisten – und wie kommen sie schnell dorthin?",
            "en": "Which administrative data helps initiatives most – and how does it get there quickly?",
        },
        "innowerkstatt-challenge-2",
    ),
    (
        {
            "de": "Challenge 3: Beratung per Videochat für alle",
            "en": "Challenge 3: Video counselling for everyone",
        },
        {
            "de": "Beratungsstellen gehen online: Was brauchen Menschen ohne Erfahrung mit Videokonferenzen?",
            "en": "Counselling services go online: what do people without video-call experience need?",
        },
        "innowerkstatt-challenge-3",
    ),
]
CAPACITY = 15
ADA_EMAIL = "ada.lovelace@example.org"


@transaction.atomic
def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
    event = demo.innowerkstatt
    work = AgendaItem.objects.filter(event=event, subevent__isnull=True, kind=AgendaItem.KIND_WORK).first()
    if work is None:
        return
    groups = []
    for position, (name, description, room) in enumerate(CHALLENGES):
        group = WorkGroup.objects.filter(item=work, room_name=room).first()
        if group is None:
            group = create_group(
                work,
                user=demo.admin,
                name=name,
                description=description,
                capacity=CAPACITY,
                room_name=room,
                position=position,
            )
        groups.append(group)
    ada = event.orders.filter(email=ADA_EMAIL).first()
    if ada is not None:
        ticket = ada.positions.filter(item__admission=True).first()
        if ticket is not None and not WorkGroupMember.objects.filter(position=ticket).exists():
            choose_group(ticket, groups[0], by=WorkGroupMember.CHOSEN_BY_ORGANISER, user=demo.admin)
    demo.lines.append(
        f"Work-phase groups: {demo.base_url}/control/event/{event.organizer.slug}/{event.slug}"
        "/innowerkstatt/agenda/groups/  (three challenges, Ada Lovelace in group 1)"
    )
    demo_join.seed(demo)
