"""Signed tokens in the followers' links (django.core.signing, keyed by the installation's secret).

The confirm token expires after seven days; the unsubscribe token never does (every mail must
keep working). Tokens carry the follower's number and a short hash of its address, never the
address itself, so a row deleted and created again does not accept old links.
"""

import datetime
import hashlib

from django.core import signing

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
_CONFIRM = "pretix_innowerkstatt.followers.confirm"
_UNSUBSCRIBE = "pretix_innowerkstatt.followers.unsubscribe"
_ATTRIBUTION = "pretix_innowerkstatt.followers.attribution"


def _address_hash(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def _payload(follower) -> str:
    return f"{follower.pk}.{_address_hash(follower.email)}"


def confirm_token(follower) -> str:
    return signing.TimestampSigner(salt=_CONFIRM).sign(_payload(follower))


def unsubscribe_token(follower) -> str:
    return signing.Signer(salt=_UNSUBSCRIBE).sign(_payload(follower))


def _follower_of(payload: str, queryset):
    pk, __, digest = payload.partition(".")
    if not pk.isdigit():
        return None
    follower = queryset.filter(pk=int(pk)).select_related("format", "format__organizer").first()
    if follower is None or _address_hash(follower.email) != digest:
        return None
    return follower


def follower_to_confirm(token: str, queryset):
    """The follower of a valid, unexpired confirm token, or None."""
    try:
        payload = signing.TimestampSigner(salt=_CONFIRM).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    return _follower_of(payload, queryset)


def follower_to_unsubscribe(token: str, queryset):
    try:
        payload = signing.Signer(salt=_UNSUBSCRIBE).unsign(token)
    except signing.BadSignature:
        return None
    return _follower_of(payload, queryset)


def attribution_token(announcement_pk: int) -> str:
    return signing.Signer(salt=_ATTRIBUTION).sign(str(announcement_pk))


def announcement_of(token: str) -> int | None:
    try:
        value = signing.Signer(salt=_ATTRIBUTION).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None
