"""Demo data: UpdateDeutschland's "Initiative stellt sich vor (5 Minuten)" with six approved applications.

The product requires approval, its questions give name, title, short text and website, and it
fills the agenda's "Initiatives present" block (seeded by agenda/demo.py, which runs first). Six
invented initiatives, one per topic of the seed text, are approved through pretix's approval
service, so they land in the block as any approval would; a seventh waits for approval, to try the
flow in the backend. Orders are found again by their email address: a second run adds nothing.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.timezone import now
from pretix.base.models import Order, OrderPosition, Question, QuestionAnswer
from pretix.base.services.orders import approve_order

from ..agenda.demo import PREFIX, UPDATE_DEUTSCHLAND_BLOCK
from ..agenda.models import AgendaItem
from .domain.setup import save_product
from .models import SlotProduct

PRODUCT_NAME = {"de": "Initiative stellt sich vor (5 Minuten)", "en": "Initiative presents itself (5 minutes)"}

QUESTIONS = [
    ("initiative", "innowerkstatt-slot-initiative", {"de": "Name der Initiative", "en": "Name of the initiative"}),
    ("title", "innowerkstatt-slot-title", {"de": "Titel des Projekts", "en": "Project title"}),
    ("description", "innowerkstatt-slot-description", {"de": "Kurzbeschreibung", "en": "Short description"}),
    ("website", "innowerkstatt-slot-website", {"de": "Website", "en": "Website"}),
]

# (contact, email, initiative, project, short description, website); one per topic of the seed text
INITIATIVES = [
    (
        "Hannelore Brandt",
        "kontakt@generationenbruecke.example",
        "Generationenbrücke Celle",
        "Digitale Sprechstunde für Ältere",
        "Ehrenamtliche helfen älteren Menschen per Video bei Behördengängen und Arztterminen (alternde Gesellschaft).",
        "https://generationenbruecke.example/",
    ),
    (
        "Mehmet Yilmaz",
        "team@lernbruecke.example",
        "Lernbrücke Hannover",
        "Nachhilfe-Tandems für alle",
        "Studierende begleiten Schülerinnen und Schüler kostenlos – Chancengleichheit in der Bildung.",
        "https://lernbruecke.example/",
    ),
    (
        "Lea Hoffmann",
        "hallo@engagement-kompass.example",
        "Engagement-Kompass",
        "Ehrenamt in 15 Minuten",
        "Kurze, flexible Einsätze für Menschen mit wenig Zeit: neue Formen des Engagements.",
        "https://engagement-kompass.example/",
    ),
    (
        "Jan Petersen",
        "info@hofdaten.example",
        "Hofdaten Weser-Ems",
        "Offene Bodendaten für Höfe",
        "Landwirtinnen und Landwirte teilen Bodendaten für eine zukunftsfähige Landwirtschaft.",
        "https://hofdaten.example/",
    ),
    (
        "Sandra Klein",
        "kontakt@innenstadt-digital.example",
        "Innenstadt digital Lüneburg",
        "Ein Schaufenster für alle Läden",
        "Der Einzelhandel einer Innenstadt zeigt sein Angebot gemeinsam online, mit Abholung im Laden.",
        "https://innenstadt-digital.example/",
    ),
    (
        "Tobias Wendt",
        "team@buergerservice-bot.example",
        "Bürgerservice-Bot Goslar",
        "Antworten rund um die Uhr",
        "Ein Chat-Assistent beantwortet Fragen zu Anträgen der Stadt: innovative Bürgerservices.",
        "https://buergerservice-bot.example/",
    ),
]

PENDING = (
    "Ole Jansen",
    "moin@dorfladen-zwei-null.example",
    "Dorfladen 2.0",
    "Genossenschaftlich einkaufen auf dem Land",
    "Ein digitaler Dorfladen, von den Bewohnerinnen und Bewohnern selbst betrieben.",
    "https://dorfladen-zwei-null.example/",
)


def _product(event, admin):
    item = event.items.filter(name__icontains="Initiative stellt sich vor").first()
    if item is None:
        item = event.items.create(name=PRODUCT_NAME, default_price=0, admission=True, require_approval=True)
    questions = {}
    for field, identifier, text in QUESTIONS:
        question = event.questions.filter(identifier=identifier).first()
        if question is None:
            kind = Question.TYPE_TEXT if field == "description" else Question.TYPE_STRING
            question = event.questions.create(
                identifier=identifier, question=text, type=kind, required=field == "initiative"
            )
        question.items.add(item)
        questions[field] = question
    product = SlotProduct.objects.filter(item=item).first()
    if product is None:
        block = AgendaItem.objects.get(event=event, external_id=f"{PREFIX}{event.slug}:{UPDATE_DEUTSCHLAND_BLOCK}")
        product = SlotProduct(event=event, item=item, block=block, slot_minutes=5)
        for field, question in questions.items():
            setattr(product, f"question_{field}", question)
        save_product(product, user=admin)
    return product, questions


@transaction.atomic  # pretix wants an order's transactions written in the order's own database transaction
def _application(event, product, questions, row):
    name, email, initiative, project, description, website = row
    order = event.orders.filter(email=email).first()
    if order is not None:
        return order, False
    order = Order.objects.create(
        event=event,
        email=email,
        status=Order.STATUS_PENDING,
        require_approval=True,
        datetime=now(),
        expires=now(),
        total=0,
        locale="de",
        sales_channel=event.organizer.sales_channels.get(identifier="web"),
    )
    position = OrderPosition.objects.create(
        order=order,
        item=product.item,
        price=0,
        positionid=1,
        attendee_name_parts={"_legacy": name},
        attendee_email=email,
    )
    answers = {"initiative": initiative, "title": project, "description": description, "website": website}
    for field, answer in answers.items():
        QuestionAnswer.objects.create(orderposition=position, question=questions[field], answer=answer)
    order.create_transactions(is_new=True)
    order.log_action("pretix.event.order.placed", data={"source": "innowerkstatt demo"})
    return order, True


def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
    event = demo.update_deutschland
    product, questions = _product(event, demo.admin)
    for row in INITIATIVES:
        order, new = _application(event, product, questions, row)
        if new:
            approve_order(order, user=demo.admin, send_mail=False)
    _application(event, product, questions, PENDING)
    url = reverse("plugins:pretix_innowerkstatt:slots", kwargs={"organizer": demo.organizer.slug, "event": event.slug})
    demo.lines.append(f"Slots:    {demo.base_url}{url}  (one application waits for approval)")
