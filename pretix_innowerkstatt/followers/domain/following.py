"""The one write path of followers: follow, confirm, unsubscribe, expire.

Every view, the checkout receiver, the periodic task and the demo call these verbs. Each logs a
line on the format (without the address) and sends its mail through pretix's mail system.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.timezone import now
from i18nfield.strings import LazyI18nString
from pretix.base.services.mail import mail

from ...compat import eventreverse_absolute
from .. import logtypes
from ..models import Follower, FollowSettings
from . import texts, tokens

logger = logging.getLogger(__name__)


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def _url(fmt, name, token):
    return eventreverse_absolute(
        fmt.organizer, f"plugins:pretix_innowerkstatt:{name}", kwargs={"slug": fmt.slug, "token": token}
    )


def confirm_url(follower) -> str:
    return _url(follower.format, "followers.confirm", tokens.confirm_token(follower))


def unsubscribe_url(follower) -> str:
    return _url(follower.format, "followers.unsubscribe", tokens.unsubscribe_token(follower))


def unsubscribe_url_maker(fmt):
    """``follower -> unsubscribe_url(follower)`` for the followers of ``fmt``, reversing the address only once.

    An announcement builds thousands of these; the signed token is the only part that differs
    (its characters are URL-safe, so reversing would not quote them).
    """
    marker = "innowerkstatt-token"
    head, tail = _url(fmt, "followers.unsubscribe", marker).rsplit(marker, 1)
    return lambda follower: f"{head}{tokens.unsubscribe_token(follower)}{tail}"


def unsubscribe_headers(url: str) -> dict:
    """RFC 8058 one-click unsubscribe: a POST of ``List-Unsubscribe=One-Click`` to ``url`` unsubscribes."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_confirmation(follower) -> None:
    fmt = follower.format
    url = unsubscribe_url(follower)
    with translation.override(follower.locale):
        mail(
            follower.email,
            str(LazyI18nString.from_gettext(texts.CONFIRM_SUBJECT)),
            LazyI18nString.from_gettext(texts.CONFIRM_TEXT),
            {"format": str(fmt.name), "confirm_url": confirm_url(follower), "unsubscribe_url": url},
            organizer=fmt.organizer,
            locale=follower.locale,
            headers=unsubscribe_headers(url),
        )


def follow(fmt, email: str, locale: str, *, source: str = Follower.SOURCE_FORM) -> Follower | None:
    """Ask to follow ``fmt``: a new address becomes pending and gets the confirmation mail.

    A pending address gets the confirmation mail again; a confirmed one gets nothing. Callers
    answer the same in every case (no enumeration of who follows).
    """
    email = normalise(email)
    consent = str(texts.consent_text(fmt).localize(locale))
    try:
        with transaction.atomic():
            follower, created = Follower.objects.get_or_create(
                format=fmt,
                email=email,
                defaults=dict(locale=locale, source=source, consent_text=consent, consent_at=now()),
            )
    except IntegrityError:  # the same address sent twice at once: the other request handles it
        return None
    if follower.state == Follower.CONFIRMED:
        return follower
    if not created:
        # The newest consent counts; the confirmation link is sent again with it.
        follower.locale, follower.consent_text, follower.consent_at = locale, consent, now()
        follower.save(update_fields=["locale", "consent_text", "consent_at"])
    fmt.log_action(logtypes.FOLLOWED, data={"follower": follower.pk, "source": source})
    send_confirmation(follower)
    return follower


def confirm(follower) -> bool:
    """Confirm a pending follower; False if it already was."""
    updated = Follower.objects.filter(pk=follower.pk, state=Follower.PENDING).update(
        state=Follower.CONFIRMED, confirmed_at=now()
    )
    if updated:
        follower.state = Follower.CONFIRMED
        follower.format.log_action(logtypes.CONFIRMED, data={"follower": follower.pk})
    return bool(updated)


@transaction.atomic
def unsubscribe(follower) -> None:
    """Delete the follower; only the format's counter remembers that someone left."""
    fmt = follower.format
    deleted, __ = Follower.objects.filter(pk=follower.pk).delete()
    if not deleted:
        return
    FollowSettings.objects.get_or_create(format=fmt)
    FollowSettings.objects.filter(format=fmt).update(unsubscribed=F("unsubscribed") + 1)
    fmt.log_action(logtypes.UNSUBSCRIBED, data={})


def expire_pending(*, at: datetime.datetime | None = None) -> int:
    """Delete addresses not confirmed within the confirm link's lifetime; one log line per format."""
    cutoff = (at or now()) - tokens.CONFIRM_MAX_AGE
    expired = Follower.objects.filter(state=Follower.PENDING, consent_at__lt=cutoff).select_related("format")
    by_format = {}
    for follower in expired:
        by_format.setdefault(follower.format, []).append(follower.pk)
    for fmt, pks in by_format.items():
        with transaction.atomic():
            Follower.objects.filter(pk__in=pks, state=Follower.PENDING).delete()
            fmt.log_action(logtypes.EXPIRED, data={"count": len(pks)})
    return sum(len(pks) for pks in by_format.values())
