"""The announcement's database cost grows by the same number of queries per mail, however many followers."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from pretix_innowerkstatt.followers.domain import announcing, following
from pretix_innowerkstatt.followers.models import Announcement, Follower

from .helpers import confirmed


class HeldSendTasks:
    """In place of celery's ``chain`` in pretix's mail module: the send tasks wait, as in a broker queue."""

    def __init__(self):
        self.held = 0

    def __call__(self, *tasks):
        outer = self

        class Chain:
            def apply_async(self):
                outer.held += 1

        return Chain()


def announcement_queries(edition, followers: int) -> int:
    with scopes_disabled():
        Announcement.objects.all().delete()
        Follower.objects.all().delete()
    confirmed(edition.format, *[f"f{i}@example.org" for i in range(followers)])
    queue = HeldSendTasks()
    with scopes_disabled():
        fresh = (
            type(edition).objects.select_related("format", "format__organizer", "event", "subevent").get(pk=edition.pk)
        )
        with CaptureQueriesContext(connection) as queries, mock.patch("pretix.base.services.mail.chain", queue):
            assert announcing.announce_edition(fresh, batch_size=20) == followers
    assert queue.held == followers  # every mail was handed to pretix's mail system
    # pretix reads event and organiser settings from its cache (Redis in production); settings written
    # inside a test's never-committed transaction stay marked as changed and are read from the database
    # on every access, so they are left out here.
    return sum("settingsstore" not in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_each_further_follower_costs_the_same_few_queries(edition):
    with scopes_disabled():
        edition.event.live = True
        edition.event.save()
    announcement_queries(edition, 1)  # the first run stores the format's settings row and caches the agenda
    q10, q30, q50 = (announcement_queries(edition, n) for n in (10, 30, 50))
    # constant per mail: 20 more followers (one more batch) cost the same each time
    assert q30 - q10 == q50 - q30
    per_mail = (q50 - q10) / 40
    # pretix's mail() writes one outgoing-mail row per mail; the plugin adds at most 6 queries per batch of 20
    # (lock, pick, insert, read back, savepoint), none per mail
    assert per_mail <= 1 + 6 / 20, per_mail
    assert q10 < 10 * 3 + 40  # a fixed part for the edition, its texts and the log line


@pytest.mark.django_db
def test_the_unsubscribe_link_built_once_per_announcement_is_each_followers_own(edition):
    first, second = confirmed(edition.format, "a@example.org", "b@example.org")
    with scopes_disabled():
        make = following.unsubscribe_url_maker(edition.format)
        assert make(first) == following.unsubscribe_url(first)
        assert make(second) == following.unsubscribe_url(second) != make(first)
