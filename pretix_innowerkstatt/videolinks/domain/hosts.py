"""Personal host links for the people on the agenda: speakers, moderators and hosts.

``/<organizer>/<event>/innowerkstatt/host/<speaker id>/<secret>/``. The secret is an HMAC of
event and person under ``SECRET_KEY``: of the same strength as the attendees' links, in its own
namespace (another context string), so neither can be derived from the other. The link works
only while the person is linked with a host role to an agenda item of the event: removing them
from the agenda (or giving them a role that is not a host role) revokes it at once.

The host's window opens ``OPENS_MINUTES_BEFORE`` minutes before the date's start (earlier than
the attendees') and closes with the attendees' window. With BigBlueButton or Jitsi the host
joins as moderator; with the generic provider they get the meeting URL.
"""

import base64
import datetime
import hashlib
import hmac
from urllib.parse import urlsplit

from django.conf import settings

from .config import access_rules, meeting_for
from .eligibility import Window
from .providers import get_provider

OPENS_MINUTES_BEFORE = 60
SECRET_LENGTH = 32
URL_NAME = "plugins:pretix_innowerkstatt:host"
_CONTEXT = b"pretix_innowerkstatt.videolinks.host:"


def host_roles():
    from ...agenda.models import AgendaItemSpeaker

    # Presenters of a presentation slot speak to the audience as speakers do.
    return {
        AgendaItemSpeaker.ROLE_SPEAKER,
        AgendaItemSpeaker.ROLE_MODERATOR,
        AgendaItemSpeaker.ROLE_HOST,
        AgendaItemSpeaker.ROLE_PRESENTER,
    }


def host_secret(event, speaker_id) -> str:
    message = _CONTEXT + f"{event.pk}:{speaker_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SECRET_LENGTH]


def secret_matches(event, speaker_id, given) -> bool:
    return hmac.compare_digest(host_secret(event, speaker_id).encode(), (given or "").encode())


def host_path(event, speaker) -> str:
    from django.urls import reverse
    from pretix.multidomain import maindomain_urlconf

    kwargs = {"organizer": event.organizer.slug, "event": event.slug, "speaker": speaker.pk}
    kwargs["secret"] = host_secret(event, speaker.pk)
    return reverse(URL_NAME, kwargs=kwargs, urlconf=maindomain_urlconf)


def host_url(event, speaker) -> str:
    from ...compat import eventreverse_absolute

    kwargs = {"speaker": speaker.pk, "secret": host_secret(event, speaker.pk)}
    return eventreverse_absolute(event, "plugins:pretix_innowerkstatt:host", kwargs=kwargs)


def _host_links(event):
    """The agenda's links of people in a host role, on the event or an active date (a deactivated date has none)."""
    from ...agenda.models import AgendaItemSpeaker

    return AgendaItemSpeaker.objects.filter(
        item__event=event, role__in=host_roles(), speaker__organizer=event.organizer
    ).exclude(item__subevent__active=False)


def host_items(event, speaker_id):
    """The person's agenda items of this event in a host role, by start (empty: no host link)."""
    links = _host_links(event).filter(speaker_id=speaker_id).select_related("item__subevent")
    items = {}
    for link in links.order_by("item__start", "item_id"):
        items.setdefault(link.item_id, link.item)
    return list(items.values())


def hosts(event):
    """``[(speaker, [items])]``: everybody with a host link for this event, by name; one query.

    Each person's own items in a host role only (not the items where somebody else hosts).
    """
    links = _host_links(event).select_related("speaker", "item__subevent")
    people = {}
    for link in links.order_by("speaker__name", "speaker_id", "item__start", "item_id"):
        person, items = people.setdefault(link.speaker_id, (link.speaker, {}))
        items.setdefault(link.item_id, link.item)
    return [(person, list(items.values())) for person, items in people.values()]


def item_time(event, item) -> str:
    """E.g. "4. Dezember 2026, 18:10–18:40 (Europe/Berlin, CET)", in the active language."""
    from types import SimpleNamespace

    from .presentation import format_span

    return format_span(SimpleNamespace(starts=item.start, ends=item.end), event)


def host_window(event, dated) -> Window:
    rules = access_rules(event)
    starts, ends = dated.date_from, dated.date_to
    closes = None
    if rules.closes_minutes_after is not None:
        closes = (ends or starts) + datetime.timedelta(minutes=rules.closes_minutes_after)
    opens = starts - datetime.timedelta(minutes=max(OPENS_MINUTES_BEFORE, rules.opens_minutes_before))
    return Window(starts=starts, ends=ends, opens=opens, closes=closes)


def current_date(event, items, at):
    """``(dated, window)`` of the person's date that is open now or comes next (else the last one)."""
    dates = []
    for item in items:
        dated = item.subevent or event
        if dated not in [d for d, _w in dates]:
            dates.append((dated, host_window(event, dated)))
    dates.sort(key=lambda d: d[1].starts)
    for dated, w in dates:
        if w.closes is None or at <= w.closes:
            return dated, w
    return dates[-1] if dates else (None, None)


def host_redirect_url(event, speaker, dated, window, at=None) -> str:
    """Where the host is sent: as moderator with signing providers, the meeting URL otherwise.

    While a room applies to the person (e.g. the work-phase group they host, see rooms.py), into that room.
    """
    from django.utils.timezone import now

    from ..providers.base import Participant
    from .rooms import meeting_at

    meeting = meeting_for(event, dated.pk if dated is not event else None, None)
    meeting = meeting_at(event, speaker, at or now(), meeting)
    provider = get_provider(meeting.provider)
    if hasattr(provider, "participant_url"):
        who = Participant(
            name=speaker.name,
            email=speaker.email,
            user_id=f"host-{speaker.pk}",
            moderator=True,
            event=event,
            dated=dated,
            opens=window.opens,
            closes=window.closes,
        )
        return provider.participant_url(meeting, who)
    url = (meeting.provider_settings.get("host_url") or "").strip() or meeting.join_url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValueError("host URL with a forbidden scheme")
    if "{" in url:
        from urllib.parse import quote

        values = {"attendee_name": speaker.name, "attendee_email": speaker.email, "order_code": ""}
        url = url.format(**{k: quote(v, safe="") for k, v in values.items()})
    return url


# {speaker id: version of what they were sent}: "send link" sends again only when it changed.
SENT_SETTING = "innowerkstatt_video_host_links_sent"


def link_version(event, items) -> str:
    """Changes when the person's items (times, titles) or the event's meeting service change."""
    import json

    meeting = meeting_for(event, None, None)
    data = {
        "items": [(i.pk, i.start.isoformat(), i.end.isoformat() if i.end else None, str(i.title)) for i in items],
        "provider": meeting.provider,
        "url": meeting.join_url,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]


def _mail_text():
    from django.utils.translation import gettext as _

    return _(
        "Hello {name},\n\n"
        "you are on the agenda of {event}:\n\n"
        "{agenda}\n\n"
        "This is your personal host link. It opens 60 minutes before the start and lets you in as "
        "host. Please do not pass it on:\n\n"
        "{host_link}\n\n"
        "See you soon!"
    )


def mail_language(event, speaker) -> str:
    """The person's *Language for mails* (one of the organiser's or its events' languages), else the event's."""
    from django.conf import settings

    if speaker.locale and speaker.locale in dict(settings.LANGUAGES):
        return speaker.locale
    return event.settings.locale


def send_host_link(event, speaker, *, user=None) -> bool:
    """Mail the person their host link with their items; once per version (see ``link_version``)."""
    from django.utils.translation import gettext as _
    from i18nfield.strings import LazyI18nString
    from pretix.base.i18n import language
    from pretix.base.services.mail import mail

    from ..logtypes import HOST_LINK_SENT

    items = host_items(event, speaker.pk)
    if not items or not speaker.email:
        return False
    version = link_version(event, items)
    sent = event.settings.get(SENT_SETTING, as_type=dict) or {}
    if sent.get(str(speaker.pk)) == version:
        return False
    locale = mail_language(event, speaker)
    with language(locale, event.settings.region):
        agenda = "\n".join(f"- {item_time(event, i)}: {i.title}" for i in items)
        mail(
            speaker.email,
            LazyI18nString(_("Your host link: {event}")),
            LazyI18nString(_mail_text()),
            {"name": speaker.name, "event": str(event.name), "agenda": agenda, "host_link": host_url(event, speaker)},
            event=event,
            locale=locale,
            user=user,
            sensitive=True,
        )
    sent[str(speaker.pk)] = version
    event.settings.set(SENT_SETTING, sent)
    event.log_action(HOST_LINK_SENT, user=user, data={"speaker": speaker.pk, "name": speaker.name})
    return True
