"""The demo organiser and events of ``make demo``, built from the seed texts.

Everything here is idempotent: objects are looked up by slug and only created when missing,
so running ``make demo`` again changes nothing and duplicates nothing.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.timezone import now
from django_scopes import scopes_disabled
from i18nfield.strings import LazyI18nString
from pretix.base.models import Event, Organizer, Team, User

from .permissions import PLUGIN

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
ADMIN_EMAIL = "admin@localhost"
ADMIN_PASSWORD = "admin"

INNOWERKSTATT_DESCRIPTION = {
    "de": (
        "Wie können die Verwaltung und die Zivilgesellschaft bestmöglich zusammenarbeiten?\n\n"
        "Die Innovationswerkstatt ist ein vierteljährlich stattfindendes Format des Innovationsbüros. "
        "Sie bietet Gelegenheit zum Austausch mit Interessierten aus Vereinen, Verbänden, "
        "zivilgesellschaftlichen Organisationen, dem Bundesministerium für Familie, Senioren, Frauen "
        "und Jugend, dem Innovationsbüro und Bürgerinnen und Bürgern zu den gesellschaftspolitischen "
        "Fragen der Digitalisierung. Und wir bleiben nicht bei der Theorie: Gemeinsam entwickeln wir "
        "neue und innovative Ideen.\n\n"
        "Die Innovationswerkstatt findet digital statt. Da die Plätze aus technischen Gründen begrenzt "
        "sind, bitten wir um eine Anmeldung."
    ),
    "en": (
        "How can public administration and civil society work together as well as possible?\n\n"
        "The Innovationswerkstatt is a quarterly format of the Innovationsbüro: an evening of exchange "
        "between associations, civil-society organisations, the Federal Ministry for Family Affairs, "
        "Senior Citizens, Women and Youth, the Innovationsbüro and citizens about the social questions "
        "of digitalisation - and we do not stop at theory: together we develop new ideas.\n\n"
        "The Innovationswerkstatt takes place online. Places are limited for technical reasons, "
        "so please register."
    ),
}

UPDATE_DESCRIPTION = {
    "de": (
        "Im Rahmen von #UpdateDeutschland haben Initiativen aus Niedersachsen die Möglichkeit, ihre "
        "erarbeiteten Lösungsvorschläge und Projekte vorzustellen. Das Regionalevent findet als "
        "Videokonferenz statt und wird vom #UpdateDeutschland Cluster NDS veranstaltet. Kommunen "
        "entdecken Lösungen, die zu ihnen passen, und Behörden lernen neue innovative Ansätze kennen."
    ),
    "en": (
        "As part of #UpdateDeutschland, initiatives from Lower Saxony present the solutions and "
        "projects they developed. The regional event is a video conference hosted by the "
        "#UpdateDeutschland Cluster NDS: municipalities discover solutions that fit them, and public "
        "authorities learn about new, innovative approaches."
    ),
}


@dataclass
class Demo:
    """What the capabilities' seeders get, and what they may add to the final printout."""

    organizer: Organizer
    innowerkstatt: Event
    update_deutschland: Event
    admin: User
    base_url: str
    lines: list = field(default_factory=list)


def next_weekday_evening(weekday: int, hour: int, minute: int = 0, min_days: int = 14) -> datetime.datetime:
    """The first ``weekday`` (0 = Monday) at least ``min_days`` ahead, at ``hour`` Berlin time."""
    day = (now().astimezone(BERLIN) + datetime.timedelta(days=min_days)).date()
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def _event(organizer, slug, name, description, start, duration, location):
    event = organizer.events.filter(slug=slug).first()
    if event is None:
        event = Event.objects.create(
            organizer=organizer,
            slug=slug,
            name=name,
            date_from=start,
            date_to=start + duration,
            location=location,
            currency="EUR",
            live=False,
            is_public=True,
        )
        event.settings.timezone = "Europe/Berlin"
        event.settings.locales = ["de", "en"]
        event.settings.locale = "de"
        event.settings.frontpage_text = LazyI18nString(description)
        event.settings.show_times = True
        event.settings.show_date_to = True
        event.settings.mail_attach_ical = True
        event.enable_plugin("pretix.plugins.ticketoutputpdf")
        event.enable_plugin("pretix.plugins.sendmail")
        event.enable_plugin(PLUGIN)
        event.settings.ticketoutput_pdf__enabled = True
        event.save()
        item = event.items.create(
            name=LazyI18nString({"de": "Teilnahme (kostenlos)", "en": "Participation (free)"}),
            default_price=0,
            admission=True,
            personalized=True,
        )
        quota = event.quotas.create(name="Plätze", size=100)
        quota.items.add(item)
        event.live = True
        event.save()
        event.log_action("pretix.event.added", data={"source": "innowerkstatt demo"})
    return event


@transaction.atomic
def build(base_url: str) -> Demo:
    with scopes_disabled():
        organizer, _ = Organizer.objects.get_or_create(slug="innovationsbuero", defaults={"name": "Innovationsbüro"})
        organizer.enable_plugin(PLUGIN)
        organizer.save()

        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            admin = User.objects.create_superuser(ADMIN_EMAIL, ADMIN_PASSWORD)
        team, _ = Team.objects.get_or_create(
            organizer=organizer,
            name="Innovationsbüro",
            defaults=dict(all_events=True, all_event_permissions=True, all_organizer_permissions=True),
        )
        team.members.add(admin)

        innowerkstatt = _event(
            organizer,
            "innowerkstatt",
            LazyI18nString({"de": "Innovationswerkstatt", "en": "Innovationswerkstatt"}),
            INNOWERKSTATT_DESCRIPTION,
            next_weekday_evening(2, 18),  # the format meets on Wednesdays
            datetime.timedelta(hours=2),
            LazyI18nString({"de": "Online (Videokonferenz)", "en": "Online (video conference)"}),
        )
        update = _event(
            organizer,
            "updatedeutschland-nds",
            LazyI18nString(
                {
                    "de": "#UpdateDeutschland Regionalevent Niedersachsen",
                    "en": "#UpdateDeutschland regional event Lower Saxony",
                }
            ),
            UPDATE_DESCRIPTION,
            next_weekday_evening(0, 17),  # 5 July 2021 was a Monday
            datetime.timedelta(minutes=90),
            LazyI18nString({"de": "Online (Videokonferenz)", "en": "Online (video conference)"}),
        )
        return Demo(
            organizer=organizer,
            innowerkstatt=innowerkstatt,
            update_deutschland=update,
            admin=admin,
            base_url=base_url.rstrip("/"),
        )
