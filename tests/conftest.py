"""Shared fixtures: a real organiser, event, team and users, as pretix's own tests build them."""

import datetime
import zoneinfo

import pytest
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Event, Organizer, Team, User

PLUGIN = "pretix_innowerkstatt"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def upcoming_evening(days=30, hour=18):
    """An evening ``days`` from now, 18:00 Europe/Berlin, like the Innowerkstatt."""
    day = (now().astimezone(BERLIN) + datetime.timedelta(days=days)).date()
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=BERLIN)


def team_member(organizer, email, *, limit_events=(), **team):
    """A user (password "dummy-password") in a new team of ``organizer`` with exactly ``team``'s
    fields (pretix's ``Team``: ``name``, ``all_events``, permissions …), limited to ``limit_events``."""
    with scopes_disabled():
        user = User.objects.create_user(email, "dummy-password")
        members = Team.objects.create(organizer=organizer, **{"name": email, **team})
        if limit_events:
            members.limit_events.set(limit_events)
        members.members.add(user)
        return user


FULL_RIGHTS = {"all_events": True, "all_event_permissions": True, "all_organizer_permissions": True}


@pytest.fixture(autouse=True)
def installation_language():
    """Every test starts in the installation's language.

    pretix activates a request's or a mail's language and leaves it active, so without this the
    tests an xdist worker happened to run before would decide the language of a test's messages.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def organizer(db):
    with scopes_disabled():
        o = Organizer.objects.create(name="Innovationsbüro", slug="innovationsbuero")
        o.enable_plugin(PLUGIN)
        o.save()
        return o


@pytest.fixture
def event(organizer):
    with scopes_disabled():
        start = upcoming_evening()
        e = Event.objects.create(
            organizer=organizer,
            name={"de": "Innovationswerkstatt", "en": "Innovation workshop"},
            slug="innowerkstatt",
            date_from=start,
            date_to=start + datetime.timedelta(hours=2),
            live=True,
            is_public=True,
            plugins="pretix.plugins.banktransfer,pretix.plugins.ticketoutputpdf," + PLUGIN,
        )
        e.settings.timezone = "Europe/Berlin"
        e.settings.locales = ["de", "en"]
        e.settings.locale = "de"
        return e


@pytest.fixture
def item(event):
    with scopes_disabled():
        i = event.items.create(name={"de": "Teilnahme", "en": "Admission"}, default_price=0, admission=True)
        q = event.quotas.create(name="Plätze", size=100)
        q.items.add(i)
        return i


@pytest.fixture
def admin_user(organizer, event):
    return team_member(organizer, "admin@innovationsbuero.example", name="Organisation", **FULL_RIGHTS)


@pytest.fixture
def readonly_user(organizer, event):
    """May look at the event (view orders) but not change its settings."""
    return team_member(
        organizer,
        "viewer@innovationsbuero.example",
        name="Read only",
        all_events=True,
        limit_event_permissions={"event.orders:read": True},
    )


@pytest.fixture
def foreign_user(db):
    """A user with full rights, but at another organiser."""
    with scopes_disabled():
        other = Organizer.objects.create(name="Andere Organisation", slug="andere")
        Event.objects.create(
            organizer=other,
            name="Fremd",
            slug="fremd",
            date_from=upcoming_evening(),
        )
    return team_member(other, "other@andere.example", name="Andere", **FULL_RIGHTS)


def login(client, user):
    client.force_login(user)
    # pretix asks for the password again for sensitive actions after a while; a fresh
    # login timestamp keeps the session "recently authenticated".
    session = client.session
    session["pretix_auth_login_time"] = int(now().timestamp())
    session["pretix_auth_last_used"] = int(now().timestamp())
    session.save()
    return client


@pytest.fixture
def admin_client(client, admin_user):
    return login(client, admin_user)
