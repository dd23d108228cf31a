"""`make demo`: two confirmed followers; taking the next edition live from the backend announces it to them."""

import pytest
from django.core import mail as django_mail
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from pretix_innowerkstatt.core import demo as core_demo
from pretix_innowerkstatt.followers import demo as followers_demo
from pretix_innowerkstatt.followers.models import Follower
from pretix_innowerkstatt.formats import demo as formats_demo
from tests.conftest import login


@pytest.mark.django_db
def test_demo_followers_get_the_announcement_when_the_next_edition_goes_live(django_capture_on_commit_callbacks):
    for __ in range(2):  # idempotent
        demo = core_demo.build("http://127.0.0.1:8000")
        with scopes_disabled():
            formats_demo.seed(demo)
            followers_demo.seed(demo)
    with scopes_disabled():
        followers = Follower.objects.filter(format__slug=formats_demo.SLUG)
        assert sorted(followers.values_list("state", flat=True)) == ["confirmed", "confirmed"]
        edition = followers.first().format.editions.filter(event__live=False).order_by("rule_start").first()
        event = edition.event
    assert any("public page" in line for line in demo.lines)
    assert Client().get(f"/{demo.organizer.slug}/innowerkstatt/formats/{formats_demo.SLUG}/").status_code == 200

    django_mail.outbox.clear()
    client = login(Client(), demo.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("control:event.live", kwargs={"organizer": demo.organizer.slug, "event": event.slug}),
            {"live": "true"},
        )
    assert response.status_code == 302
    event.refresh_from_db()
    if not event.live:
        pytest.fail("the demo's next edition could not go live from the backend")
    assert sorted(m.to[0] for m in django_mail.outbox) == [e for e, __ in sorted(followers_demo.FOLLOWERS)]
    german = next(m for m in django_mail.outbox if m.to[0].startswith("lena"))
    assert "Innovationswerkstatt" in german.subject
