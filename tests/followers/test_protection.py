"""Rate limits, expiry of unconfirmed addresses and links, and logs without addresses."""

import datetime
import uuid

import pytest
import redis
from django.core import mail as django_mail
from django.test import Client
from django.utils.timezone import now
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import LogEntry

from pretix_innowerkstatt.followers import views
from pretix_innowerkstatt.followers.domain import following
from pretix_innowerkstatt.followers.models import Follower

from .conftest import BASE, link_to
from .test_flow import csrf_token_of, follow

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_rate_limit(settings, monkeypatch):
    """pretix with Redis, so its rate-limit helper counts (it never limits without Redis)."""
    key = f"test-{uuid.uuid4().hex}"
    monkeypatch.setattr(views, "RATE_KEY", key)
    settings.HAS_REDIS = True
    settings.CACHES = {**settings.CACHES, "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    yield
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{key}*"))
    if keys:
        client.delete(*keys)


@pytest.mark.django_db
def test_the_follow_form_is_limited_per_address(edition, redis_rate_limit):
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [follow(client, "ada@example.org").status_code for __ in range(views.FOLLOWS_PER_ADDRESS + 1)]
    assert answers == [200] * views.FOLLOWS_PER_ADDRESS + [429]
    assert len(django_mail.outbox) == views.FOLLOWS_PER_ADDRESS
    # Another address from elsewhere is still welcome.
    assert follow(Client(REMOTE_ADDR="203.0.113.8"), "bob@example.org").status_code == 200


@pytest.mark.django_db
def test_the_follow_form_is_limited_per_ip(edition, redis_rate_limit, monkeypatch):
    monkeypatch.setattr(views, "FOLLOWS_PER_IP", 2)
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [follow(client, f"p{i}@example.org").status_code for i in range(3)]
    assert answers == [200, 200, 429]
    with scopes_disabled():
        assert Follower.objects.count() == 2


@pytest.mark.django_db
def test_the_follow_form_needs_consent_and_a_csrf_token(edition):
    client = Client(enforce_csrf_checks=True)
    page = client.get(BASE)
    without_consent = client.post(BASE, {"csrfmiddlewaretoken": csrf_token_of(page), "email": "a@example.org"})
    assert without_consent.status_code == 400
    assert client.post(BASE, {"email": "a@example.org", "locale": "en", "consent": "on"}).status_code == 403
    with scopes_disabled():
        assert not Follower.objects.exists()


@pytest.mark.django_db
def test_the_page_is_only_shown_while_the_format_is_public(edition):
    assert Client().get(BASE).status_code == 200
    with scopes_disabled():
        edition.format.public = False
        edition.format.save()
    assert Client().get(BASE).status_code == 404


@pytest.mark.django_db
def test_unconfirmed_addresses_and_links_expire_after_seven_days(edition):
    follow(Client(), "late@example.org")
    confirm_path = link_to(django_mail.outbox[0], "/confirm/")
    with freeze_time(now() + datetime.timedelta(days=7, minutes=1)):
        page = Client().get(confirm_path)
        assert "This link is not valid" in page.content.decode()
        with scopes_disabled():
            assert following.expire_pending() == 1
            assert not Follower.objects.exists()


@pytest.mark.django_db
def test_pretix_periodic_run_deletes_unconfirmed_addresses_after_seven_days(edition):
    from pretix.base.signals import periodic_task

    follow(Client(), "late@example.org")
    follow(Client(), "fresh@example.org")
    with scopes_disabled():
        Follower.objects.filter(email="late@example.org").update(consent_at=now() - datetime.timedelta(days=8))
    periodic_task.send(sender=None)
    with scopes_disabled():
        assert list(Follower.objects.values_list("email", flat=True)) == ["fresh@example.org"]


@pytest.mark.django_db
def test_no_log_line_shows_the_address(edition):
    client = Client()
    follow(client, "secret.person@example.org")
    confirm_path = link_to(django_mail.outbox[0], "/confirm/")
    client.post(confirm_path)
    unsubscribe_path = link_to(django_mail.outbox[0], "/unsubscribe/")
    client.post(unsubscribe_path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    with scopes_disabled():
        entries = list(LogEntry.objects.filter(action_type__startswith="pretix_innowerkstatt.followers"))
        assert {e.action_type.rsplit(".", 1)[1] for e in entries} == {"added", "confirmed", "unsubscribed"}
        for entry in entries:
            assert "secret" not in entry.data
            assert "secret" not in str(entry.display())
