"""Small builders shared by the followers tests."""

from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.models import Follower


def confirmed(fmt, *emails, locale="en"):
    with scopes_disabled():
        return [
            Follower.objects.create(
                format=fmt,
                email=email,
                locale=locale,
                state=Follower.CONFIRMED,
                consent_text="I agree.",
                consent_at=now(),
                confirmed_at=now(),
            )
            for email in emails
        ]
