"""The join link has two routes with the same URL shape; both refuse alike.

On pretix's main domain a root-level route answers the join POST of a live event itself (one
query, ``views.fast_join``) and hands everything else to pretix's event handling; on a custom
shop domain pretix's own plugin event route serves the link.
"""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.models import Checkin, Order
from pretix.multidomain import maindomain_urlconf

from pretix_innowerkstatt import compat
from pretix_innowerkstatt.videolinks import attendee_views as views
from pretix_innowerkstatt.videolinks.domain.config import configure_event
from pretix_innowerkstatt.videolinks.domain.links import join_kwargs, join_path, join_secret, join_url
from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig

from .conftest import (
    MEETING_URL,
    ORDERS_WITHOUT_ACCESS,
    SHOP_DOMAIN,
    csrf_token,
    first_position,
    forged,
    give_the_shop_its_domain,
    make_order,
    open_time,
)


@pytest.fixture
def handed_over(monkeypatch):
    """Counts the requests the main-domain route hands to pretix's event handling."""
    calls = []
    standard = views.event_join_view

    def spy(request, **kwargs):
        calls.append(request.method)
        return standard(request, **kwargs)

    monkeypatch.setattr(views, "event_join_view", spy)
    return calls


def post_join(client, path, token=True):
    assert client.get(path).status_code == 200  # the attendee opens the page first
    return client.post(path, {"csrfmiddlewaretoken": csrf_token(client)} if token else {})


def checked_in(order):
    with scopes_disabled():
        return Checkin.all.filter(position__order=order).exists()


@pytest.mark.django_db
def test_both_routes_reverse_to_the_same_personal_url(position):
    with scopes_disabled():
        kwargs = join_kwargs(position)
        fast = reverse("plugins:pretix_innowerkstatt:join.main_domain", kwargs=kwargs, urlconf=maindomain_urlconf)
        assert fast == join_path(position)
        assert join_url(position) == f"http://example.com{fast}"


def routes_tried(path):
    """The routes Django tries, in order, to resolve ``path`` on pretix's main domain, and its match."""
    from django.urls import resolvers

    tried = []
    original = resolvers.URLPattern.resolve

    def counting(pattern, path):
        tried.append(pattern)
        return original(pattern, path)

    with mock.patch.object(resolvers.URLPattern, "resolve", counting):
        match = resolvers.get_resolver(maindomain_urlconf).resolve(path)
    return tried, match


@pytest.mark.django_db
def test_after_a_process_first_request_the_join_post_is_resolved_before_every_other_plugins_routes(client):
    from django.core.signals import request_started
    from pretix.urls import common_patterns

    from pretix_innowerkstatt.videolinks import signals
    from pretix_innowerkstatt.videolinks.join_route import JOIN_ROUTE_FIRST

    # As in a process that has served no request yet.
    if JOIN_ROUTE_FIRST in maindomain_urlconf.urlpatterns:
        maindomain_urlconf.urlpatterns.remove(JOIN_ROUTE_FIRST)
    request_started.connect(signals.place_join_route_first, dispatch_uid=signals.JOIN_ROUTE_FIRST_UID)
    assert routes_tried("/org/ev/innowerkstatt/join/ABC12/1/secret/")[0][-1] is not JOIN_ROUTE_FIRST

    client.get("/")  # the process's first request
    tried, match = routes_tried("/org/ev/innowerkstatt/join/ABC12/1/secret/")
    assert match.func is views.join_on_main_domain
    assert match.kwargs == {"organizer": "org", "event": "ev", "order": "ABC12", "position": 1, "secret": "secret"}
    assert tried[-1] is JOIN_ROUTE_FIRST
    # Only pretix's own routes before it (not the ~60 of pretix's bundled plugins, nor ours).
    assert not [p for p in tried[:-1] if p.callback.__module__.startswith(("pretix.plugins", "pretix_innowerkstatt"))]
    assert len(tried) <= len(common_patterns) + 1
    # pretix's shop pages still resolve as before.
    assert routes_tried("/org/ev/")[1].view_name == "presale:event.index"


def test_where_the_route_is_not_placed_first_the_join_post_is_the_plugins_first_route():
    """pretix's URL configuration changed, or a process that served no request yet: still cheap."""
    from pretix_innowerkstatt import urls

    assert urls.urlpatterns[0].name == "join.main_domain"
    assert urls.urlpatterns[0].callback is views.join_on_main_domain


@pytest.mark.django_db
def test_join_works_on_both_routes(route, configured_event, item, handed_over):
    client, path_of = route
    order = make_order(configured_event, item)
    with freeze_time(open_time(configured_event)):
        response = post_join(client, path_of(first_position(order)))
    assert response.status_code == 302
    assert response["Location"] == MEETING_URL
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert checked_in(order)  # pretix's test settings: no Redis, the check-in task runs at once
    assert "POST" not in handed_over  # on the main domain the POST took the short way


@pytest.mark.django_db
def test_series_each_date_joins_its_own_meeting_on_both_routes(route, configured_event, item, series_dates):
    """Date B has its own meeting URL, date A uses the event's; each opens at its own time."""
    client, path_of = route
    date_a, date_b = series_dates
    date_b_url = "https://meet.example.org/q3-room"
    with scopes_disabled():
        VideoConferenceConfig.objects.create(event=configured_event, subevent=date_b, join_url=date_b_url)
    on_a = first_position(make_order(configured_event, item, subevent=date_a))
    on_b = first_position(make_order(configured_event, item, subevent=date_b))
    with freeze_time(open_time(date_a)):
        assert post_join(client, path_of(on_a))["Location"] == MEETING_URL
        too_early = post_join(client, path_of(on_b))
    assert too_early.status_code == 403 and "opens at" in too_early.content.decode()
    with freeze_time(open_time(date_b)):
        response = post_join(client, path_of(on_b))
    assert response.status_code == 302
    assert response["Location"] == date_b_url
    assert checked_in(on_a.order) and checked_in(on_b.order)


@pytest.mark.django_db
@pytest.mark.parametrize("kwargs, message", ORDERS_WITHOUT_ACCESS)
def test_orders_without_access_are_refused_on_both_routes(route, configured_event, item, kwargs, message):
    client, path_of = route
    order = make_order(configured_event, item, **kwargs)
    with freeze_time(open_time(configured_event)):
        response = post_join(client, path_of(first_position(order)))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert MEETING_URL.encode() not in response.content
    assert not checked_in(order)


def _blocked(event, item):
    order = make_order(event, item)
    with scopes_disabled():
        order.positions.update(blocked=["admin"])
    return order


def _merchandise(event, item):
    with scopes_disabled():
        merch = event.items.create(name="T-Shirt", default_price=0, admission=False)
    return make_order(event, merch)


def _no_meeting(event, item):
    with scopes_disabled():
        configure_event(event, url="")
    return make_order(event, item)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make, moment, message",
    [
        (_blocked, lambda e: open_time(e), "blocked"),
        (_merchandise, lambda e: open_time(e), "does not include access"),
        (_no_meeting, lambda e: open_time(e), "not published the access details"),
        (make_order, lambda e: e.date_from - datetime.timedelta(minutes=31), "opens at"),
    ],
    ids=["blocked", "product", "no meeting URL", "too early"],
)
def test_tickets_and_moments_without_access_are_refused_on_both_routes(
    route, configured_event, item, make, moment, message
):
    client, path_of = route
    order = make(configured_event, item)
    with freeze_time(moment(configured_event)):
        response = post_join(client, path_of(first_position(order)))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert "Location" not in response
    assert not checked_in(order)


@pytest.mark.django_db
def test_after_the_window_is_refused_on_both_routes(route, configured_event, item):
    client, path_of = route
    with scopes_disabled():
        configure_event(configured_event, closes_minutes_after=15)
    order = make_order(configured_event, item)
    with freeze_time(configured_event.date_to + datetime.timedelta(minutes=16)):
        response = post_join(client, path_of(first_position(order)))
    assert response.status_code == 403 and "has ended" in response.content.decode()
    assert not checked_in(order)


@pytest.mark.django_db
def test_wrong_links_are_404_on_both_routes(route, configured_event, item, position):
    client, path_of = route
    path = path_of(position)
    with freeze_time(open_time(configured_event)):
        token = csrf_token(client)
        # Not `secret[:-1] + "x"`: a random secret ends in "x" once in 64 runs, then the "forged" link was right.
        forged_link = path.replace(join_secret(position), forged(join_secret(position)))
        other_order = path.replace(f"/{position.order.code}/", "/ZZZZZ/")
        other_position = path.replace(f"/{position.order.code}/1/", f"/{position.order.code}/2/")
        for wrong in (forged_link, other_order, other_position):
            assert client.post(wrong, {"csrfmiddlewaretoken": token}).status_code == 404
    assert not checked_in(position.order)


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused_on_both_routes(route, configured_event, position):
    client, path_of = route
    with freeze_time(open_time(configured_event)):
        response = post_join(client, path_of(position), token=False)
    assert response.status_code == 403
    assert "Location" not in response
    assert not checked_in(position.order)


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["event", "organizer"])
def test_plugin_off_is_404_on_both_routes(route, configured_event, position, where):
    client, path_of = route
    path = path_of(position)
    with freeze_time(open_time(configured_event)):
        token = csrf_token(client)
        with scopes_disabled():
            owner = configured_event if where == "event" else configured_event.organizer
            owner.disable_plugin("pretix_innowerkstatt")
            owner.save()
        assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 404
        assert client.get(path).status_code == 404
    assert not checked_in(position.order)


@pytest.mark.django_db
def test_shop_offline_is_refused_on_both_routes(route, configured_event, position):
    client, path_of = route
    path = path_of(position)
    with freeze_time(open_time(configured_event)):
        token = csrf_token(client)
        with scopes_disabled():
            configured_event.live = False
            configured_event.save()
        response = client.post(path, {"csrfmiddlewaretoken": token})
    assert response.status_code == 403
    assert "Location" not in response
    assert not checked_in(position.order)


@pytest.mark.django_db
def test_shop_in_test_mode_still_joins_as_pretix_allows(route, configured_event, position, handed_over):
    client, path_of = route
    with scopes_disabled():
        configured_event.testmode = True
        configured_event.save()
    with freeze_time(open_time(configured_event)):
        response = post_join(client, path_of(position))
    assert response.status_code == 302 and response["Location"] == MEETING_URL
    assert handed_over.count("POST") == (1 if handed_over else 0)  # pretix's handling, not the short way


@pytest.mark.django_db
def test_rate_limit_on_both_routes(route, configured_event, position, settings):
    """Without Redis, a real cache (memcached in production) counts."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "routes"}}
    settings.REAL_CACHE_USED = True
    from django.core.cache import cache

    cache.clear()
    client, path_of = route
    path = path_of(position)
    with freeze_time(open_time(configured_event)):
        token = csrf_token(client)
        responses = [client.post(path, {"csrfmiddlewaretoken": token}) for _ in range(11)]
    assert [r.status_code for r in responses] == [302] * 10 + [429]
    assert "wait a minute" in responses[-1].content.decode()
    assert MEETING_URL.encode() not in responses[-1].content
    with scopes_disabled():
        assert Checkin.objects.filter(position=position).count() == 1


@pytest.mark.django_db
def test_refusal_on_the_main_domain_speaks_the_attendees_language(configured_event, item, handed_over):
    order = make_order(configured_event, item, status=Order.STATUS_CANCELED)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="de")
    with freeze_time(open_time(configured_event)):
        response = post_join(client, join_path(first_position(order)))
    assert response.status_code == 403
    assert "Dieses Ticket wurde storniert" in response.content.decode()
    assert handed_over == ["GET", "POST"]  # the page comes from pretix's event handling


@pytest.mark.django_db
def test_main_domain_link_of_a_shop_with_its_own_domain_is_sent_there(configured_event, position, handed_over):
    give_the_shop_its_domain(configured_event)
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(configured_event)):
        response = Client().post(path)
    # pretix's own behaviour for event pages: to the shop's domain, not to the meeting.
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://{SHOP_DOMAIN}/")
    assert handed_over == ["POST"]
    assert not checked_in(position.order)


@pytest.mark.django_db
def test_short_way_is_one_query(configured_event, position, settings):
    """The main-domain join POST: the position with everything else in one query, plus the settings."""
    client = Client(enforce_csrf_checks=True)
    path = join_path(position)
    with freeze_time(open_time(configured_event)), pytest.MonkeyPatch.context() as mp:
        mp.setattr(views.record_join_task, "apply_async", lambda **kw: None)
        token = csrf_token(client)
        from hierarkey.proxy import dirty_cache_keys

        dirty_cache_keys.set(set())
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 302
    queries = [q["sql"] for q in ctx.captured_queries]
    lookups = [q for q in queries if 'FROM "pretixbase_orderposition"' in q]
    assert len(lookups) == 1, queries
    # The rest are pretix's: the domain of the request (middleware) and the settings of event,
    # organiser and installation, all from the cache in production, from the database in
    # pretix's test settings. No event or sales channel query; the check-in query is only
    # there without Redis (whether the join is recorded already; with Redis it is noted there).
    others = [q.split(" FROM ")[1].split()[0] for q in queries if q not in lookups]
    expected = [
        '"pretixbase_checkin"',
        '"pretixbase_event_settingsstore"',
        '"pretixbase_globalsettingsobject_settingsstore"',
        '"pretixbase_organizer_settingsstore"',
        '"pretixmultidomain_knowndomain"',
    ]
    if not compat.csp_skip_avoids_domain_lookup():  # pretix before SecurityMiddleware._needs_csp
        expected += [
            '"pretixbase_globalsettingsobject_settingsstore"',
            '"pretixmultidomain_alternativedomainassignment"',
            '"pretixmultidomain_knowndomain"',
        ]
    assert sorted(others) == sorted(expected), queries


def test_a_process_whose_first_request_places_the_route_still_has_every_route_of_the_plugin():
    """The placement must not load the plugin's URL module before pretix's URL configuration does."""
    import os
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.core.signals import request_started
        request_started.send(sender=None)  # a fresh process: nothing has loaded a URL module yet
        from django.urls import resolve, reverse
        from pretix.multidomain import maindomain_urlconf
        from pretix_innowerkstatt.videolinks.join_route import JOIN_ROUTE_FIRST
        kwargs = {"organizer": "o", "event": "e"}
        link = {**kwargs, "order": "A", "position": 1, "secret": "s"}
        print(reverse("plugins:pretix_innowerkstatt:join", kwargs=link))
        print(reverse("plugins:pretix_innowerkstatt:videolinks.settings", kwargs=kwargs))
        print(resolve("/o/e/innowerkstatt/join/A/1/s/").func.__name__)
        print(JOIN_ROUTE_FIRST in maindomain_urlconf.urlpatterns)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [
        "/o/e/innowerkstatt/join/A/1/s/",
        "/control/event/o/e/innowerkstatt/video/",
        "join_on_main_domain",
        "True",
    ]
