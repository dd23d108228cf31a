"""Small builders shared by the followers tests."""

import threading

from django.db import connection
from django.utils.timezone import now
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.domain import announcing
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


def announce_on_two_workers(edition, batch_size=7):
    """Run ``announce_edition`` for ``edition`` in two threads at once (own connections); returns (results, errors)."""
    results, errors, barrier = [], [], threading.Barrier(2)

    def worker():
        barrier.wait()
        try:
            with scopes_disabled():
                results.append(announcing.announce_edition(edition, batch_size=batch_size))
        except Exception as error:  # shown by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for __ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
