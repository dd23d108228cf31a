"""Every URL the plugin registers, asked by every kind of caller, answers as pretix would.

The routes are collected from Django's URL resolver (backend pages, shop pages, REST API), not
listed by hand: ``KNOWN_ROUTES`` only names them, so that a new route fails
``test_every_route_of_the_plugin_is_in_the_matrix`` until someone adds it here and its view
declares the permission it needs. What each caller should get follows from that declaration:

- backend pages: ``permission`` to open (pretix's mixins), ``write_permission`` (if declared) to
  change, see ``core/permissions.py``;
- API views: ``permission`` to read, ``write_permission`` (else ``permission``) to write, as
  pretix's ``EventPermission`` reads them;
- shop pages: public, but 404 where the plugin is not active.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver
from django.utils.timezone import now
from django_scopes import scopes_disabled
from pretix.base.models import Device, Event
from pretix.base.models.devices import generate_api_token
from pretix.control.permissions import EventPermissionRequiredMixin, OrganizerPermissionRequiredMixin
from rest_framework.permissions import SAFE_METHODS

from pretix_innowerkstatt.core.permissions import PLUGIN
from pretix_innowerkstatt.videolinks.join_route import JOIN_ROUTE_FIRST
from tests.conftest import login, team_member, upcoming_evening

PACKAGE = PLUGIN + "."

# Every route of the plugin, by kind and name (a shop route for one date of a series has "@date").
KNOWN_ROUTES = {
    # backend
    "control:overview",
    "control:agenda",
    "control:agenda.settings",
    "control:agenda.copy",
    "control:agenda.shift",
    "control:agenda.import",
    "control:speakers",
    "control:speaker.add",
    "control:speaker.edit",
    "control:speaker.delete",
    "control:videolinks.settings",
    "control:videolinks.override.add",
    "control:videolinks.override.edit",
    "control:videolinks.override.delete",
    "control:videolinks.test",
    "control:videolinks.joins",
    "control:videolinks.notify",
    "control:videolinks.reminders",
    "control:videolinks.hosts",
    "control:formats",
    "control:formats.add",
    "control:formats.edit",
    "control:formats.preview",
    "control:formats.create",
    "control:formats.delete",
    "control:formats.publish",
    "control:followers",
    "control:followers.announce",
    "control:slots",
    "control:slots.add",
    "control:slots.edit",
    "control:slots.delete",
    "control:slots.place",
    "control:agenda_groups",
    "control:agenda_groups.add",
    "control:agenda_groups.settings",
    "control:agenda_groups.edit",
    "control:agenda_groups.delete",
    # REST API
    "api:innowerkstatt-groups-list",
    "api:innowerkstatt-groups-detail",
    "api:innowerkstatt-agenda-list",
    "api:innowerkstatt-agenda-detail",
    "api:innowerkstatt-speakers-list",
    "api:innowerkstatt-speakers-detail",
    "api:innowerkstatt-formats-list",
    "api:innowerkstatt-formats-detail",
    "api:innowerkstatt-formats-preview",
    "api:innowerkstatt-formats-create-editions",
    "api:innowerkstatt-hosts-list",
    # shop
    "shop:join.main_domain",
    "shop:join",
    "shop:workgroups.choose",
    "shop:host",
    "shop:agenda.ics",
    "shop:agenda.ics@date",
    "shop:agenda.json",
    "shop:agenda.json@date",
    "shop:formats.ics",
    "shop:followers.page",
    "shop:followers.confirm",
    "shop:followers.unsubscribe",
}

# Known failures, each owned by a capability: (caller test, case id) -> reason.
XFAIL = {
    ("permitted_post", "control:agenda"): (
        "agenda-writepath: AgendaView declares permission = None and checks the agenda permission in post() by "
        "hand; declare write_permission = EDIT_AGENDA (enforced by core's mixin) so the matrix knows it"
    ),
}


@dataclass(frozen=True)
class Route:
    key: str
    kind: str  # control, api or shop
    pattern: str  # the full pattern, from the resolver
    view: type | None  # the view class (control and API), None for function views
    methods: tuple[str, ...]  # API: the HTTP methods of the router's actions

    @property
    def level(self) -> str:
        """Whose permission the route needs: the event's or the organiser's."""
        return "event" if "event>" in self.pattern else "organizer"

    def __str__(self):
        return self.key


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _wrapped_view(callback):
    """The view behind pretix's permission wrapper of ``EventPermissionRequiredMixin.as_view``."""
    if hasattr(callback, "view_class"):
        return callback.view_class
    for cell in callback.__closure__ or ():
        inner = cell.cell_contents
        if callable(inner) and hasattr(inner, "view_class"):
            return inner.view_class
    pytest.fail(f"pretix changed how backend views are wrapped: no view class found in {callback!r}")


def collect_routes() -> dict[str, Route]:
    routes = {}
    for pattern_text, pattern in _walk(get_resolver().url_patterns):
        if pattern is JOIN_ROUTE_FIRST:  # shop:join.main_domain, tried first (videolinks/join_route.py)
            continue
        callback = pattern.callback
        if hasattr(callback, "cls"):  # a REST framework viewset
            if not callback.cls.__module__.startswith(PACKAGE) or "(?P<format>" in pattern_text:
                continue  # ".json" suffix variants are the same view
            key = f"api:{pattern.name}"
            routes[key] = Route(key, "api", pattern_text, callback.cls, tuple(m.upper() for m in callback.actions))
        elif pattern_text.startswith("control/") and "innowerkstatt" in pattern_text:
            view = _wrapped_view(callback)
            if not view.__module__.startswith(PACKAGE):
                continue
            key = f"control:{pattern.name}"
            routes[key] = Route(key, "control", pattern_text, view, ())
        elif callback.__module__.startswith(PACKAGE) or getattr(callback, "view_class", type).__module__.startswith(
            PACKAGE
        ):
            key = f"shop:{pattern.name}" + ("@date" if "subevent>" in pattern_text else "")
            routes[key] = Route(key, "shop", pattern_text, getattr(callback, "view_class", None), ())
    return routes


ROUTES = collect_routes()
CONTROL = [r for r in ROUTES.values() if r.kind == "control"]
API = [r for r in ROUTES.values() if r.kind == "api"]
SHOP = [r for r in ROUTES.values() if r.kind == "shop"]


def cases(test_name, routes, methods=None):
    """pytest params over routes (and methods), with the known failures marked strict xfail."""
    params = []
    for route in sorted(routes, key=lambda r: r.key):
        for method in methods(route) if methods else (None,):
            case_id = f"{route.key} {method}" if method else route.key
            values = (route, method) if methods else (route,)
            reason = XFAIL.get((test_name, case_id))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(*values, id=case_id, marks=marks))
    return params


# --- the world: objects every route can be filled with -------------------------------------------


@pytest.fixture
def world(organizer, event, item):
    from pretix_innowerkstatt.agenda.models import AgendaItem
    from pretix_innowerkstatt.formats.models import Edition
    from pretix_innowerkstatt.slots.models import SlotProduct
    from pretix_innowerkstatt.videolinks.models import VideoConferenceConfig
    from tests.formats.conftest import make_format

    with scopes_disabled():
        other_event = Event.objects.create(
            organizer=organizer, name="Anderes Event", slug="anderes", date_from=upcoming_evening(), live=True
        )
        speaker = organizer.innowerkstatt_speakers.create(name="Adriana Groh")
        work_phase = AgendaItem.objects.create(
            event=event, start=event.date_from, title={"de": "Arbeitsphase"}, kind="work", position=1
        )
        work_group = work_phase.work_groups.create(event=event, name={"de": "Challenge 1"}, capacity=15)
        agenda_item = AgendaItem.objects.create(
            event=event, start=event.date_from, title={"de": "Begrüßung"}, kind="welcome", position=0
        )
        override = VideoConferenceConfig.objects.create(event=event, item=item, join_url="https://meet.example.org/a")
        slot_product = SlotProduct.objects.create(event=event, item=item)
        fmt = make_format(organizer, event, public=True)
        edition = Edition.objects.create(format=fmt, key="2027-Q1", event=other_event, rule_start=other_event.date_from)
        series = Event.objects.create(
            organizer=organizer,
            name="Reihe",
            slug="reihe",
            date_from=upcoming_evening(),
            live=True,
            has_subevents=True,
            plugins=PLUGIN,
        )
        date = series.subevents.create(name="Termin", date_from=upcoming_evening(40), active=True)
        AgendaItem.objects.create(
            event=series, start=series.date_from, title={"de": "Begrüßung"}, kind="welcome", position=0
        )
    return {
        "organizer": organizer,
        "event": event,
        "other_event": other_event,
        "series": series,
        "values": {
            "organizer": organizer.slug,
            "event": event.slug,
            "slug": fmt.slug,
            "subevent": date.pk,  # with the series' slug, see url_of
            "order": "NOORDER",  # join links are refused alike for an unknown order and a wrong secret
            "position": 1,
            "secret": "not-the-secret",
            "speaker": speaker.pk,  # host links: refused with a wrong secret
            "edition": edition.pk,
            "token": "not-a-token",
        },
        "pk": {
            "speaker": speaker.pk,
            "speakers": speaker.pk,
            "override": override.pk,
            "agenda": agenda_item.pk,
            "agenda_groups": work_group.pk,
            "groups": work_group.pk,
            "slots": slot_product.pk,
        },
    }


def url_of(route: Route, world) -> str:
    values = dict(world["values"])
    if "@date" in route.key:
        values["event"] = world["series"].slug
    if "pk>" in route.pattern:
        owner = next(name for name in world["pk"] if f"{name}." in route.key or f"{name}-" in route.key)
        values["pk"] = world["pk"][owner]
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), route.pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def set_plugin(world, route, active):
    with scopes_disabled():
        holder = world["organizer"]
        if route.level == "event":
            holder = world["series"] if "@date" in route.key else world["event"]
        (holder.enable_plugin if active else holder.disable_plugin)(PLUGIN)
        holder.save()


# --- callers -------------------------------------------------------------------------------------


def team_user(organizer, name, *, event_permissions=None, organizer_permissions=None, events=None):
    """A user in a team of ``organizer`` with exactly these permissions (all events unless ``events``)."""
    user = team_member(
        organizer,
        f"{name}@innovationsbuero.example",
        name=name,
        all_events=events is None,
        limit_events=events or (),
        limit_event_permissions={p: True for p in event_permissions or ()},
        limit_organizer_permissions={p: True for p in organizer_permissions or ()},
    )
    with scopes_disabled():
        return user, user.teams.get()


def holding(route, permission, name, organizer):
    """A user whose team has exactly ``permission`` at the route's level (``None``: no permission)."""
    perms = [permission] if permission else []
    if route.level == "event":
        return team_user(organizer, name, event_permissions=perms)
    return team_user(organizer, name, organizer_permissions=perms)


def api_client(client, token_kind, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"{token_kind} {key}"
    return client


def declared(view, name):
    """The permission a view declares (``permission`` or ``write_permission``), from its own classes."""
    for cls in view.__mro__:
        if cls.__module__.startswith(PACKAGE) and name in cls.__dict__:
            return cls.__dict__[name]
    return None


def write_permission_of(view):
    return declared(view, "write_permission") or declared(view, "permission")


def expected_get(view) -> int:
    """200, or 405 for a backend view that only takes POST (pretix's AsyncAction answers GET so)."""
    from pretix.base.views.tasks import AsyncAction

    get = getattr(view, "get", None)
    return 405 if get is None or get is AsyncAction.get else 200


def assert_opens(response, view):
    """The page opens; a page whose form is shown on another page may send a GET there."""
    if response.status_code == 302 and expected_get(view) == 200:
        assert not response["Location"].startswith("/control/login"), response["Location"]
    else:
        assert response.status_code == expected_get(view)


# --- the matrix ----------------------------------------------------------------------------------


def test_every_route_of_the_plugin_is_in_the_matrix():
    found = set(ROUTES)
    assert found - KNOWN_ROUTES == set(), "new routes: add them to KNOWN_ROUTES and check their permissions"
    assert KNOWN_ROUTES - found == set(), "routes gone: remove them from KNOWN_ROUTES"


@pytest.mark.parametrize("route", cases("declares", CONTROL + API))
def test_every_backend_and_api_view_declares_its_permission(route):
    owned = [cls for cls in route.view.__mro__ if cls.__module__.startswith(PACKAGE)]
    assert any("permission" in cls.__dict__ for cls in owned), f"{route.view.__name__} declares no `permission`"
    if route.kind == "control":
        assert issubclass(route.view, (EventPermissionRequiredMixin, OrganizerPermissionRequiredMixin))
        level_mixin = EventPermissionRequiredMixin if route.level == "event" else OrganizerPermissionRequiredMixin
        assert issubclass(route.view, level_mixin), f"{route.view.__name__} checks the wrong level's permission"


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("anonymous", CONTROL))
def test_anonymous_visitor_is_sent_to_the_login(client, world, route):
    response = client.get(url_of(route, world))
    assert response.status_code == 302
    assert response["Location"].startswith("/control/login")


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("foreign", CONTROL))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_user_of_another_organizer_gets_404(client, world, foreign_user, route, method):
    response = getattr(login(client, foreign_user), method.lower())(url_of(route, world))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("readonly_get", CONTROL))
def test_read_only_user_opens_exactly_the_pages_their_permission_allows(client, world, readonly_user, route):
    permission = declared(route.view, "permission")
    response = login(client, readonly_user).get(url_of(route, world))
    with scopes_disabled():
        allowed = (
            readonly_user.has_event_permission(world["organizer"], world["event"], permission)
            if route.level == "event"
            else readonly_user.has_organizer_permission(world["organizer"], permission)
        )
    if allowed:
        assert_opens(response, route.view)
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("readonly_post", CONTROL))
def test_read_only_user_cannot_change_anything(client, world, readonly_user, route):
    response = login(client, readonly_user).post(url_of(route, world), {})
    assert response.status_code in (403, 405), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("permitted_get", CONTROL))
def test_user_with_the_declared_permission_opens_the_page(client, world, route):
    user, __ = holding(route, declared(route.view, "permission"), "reader", world["organizer"])
    assert_opens(login(client, user).get(url_of(route, world)), route.view)


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("permitted_post", CONTROL))
def test_user_with_the_declared_write_permission_may_submit(client, world, route):
    user, __ = holding(route, write_permission_of(route.view), "writer", world["organizer"])
    response = login(client, user).post(url_of(route, world), {})
    # a form with errors (200), a redirect after success, or "no POST here" – never refused, never a crash
    assert response.status_code in (200, 302, 405), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("plugin_off", CONTROL))
def test_backend_page_is_404_where_the_plugin_is_off(admin_client, world, route):
    set_plugin(world, route, active=False)
    assert admin_client.get(url_of(route, world)).status_code == 404


# --- REST API ------------------------------------------------------------------------------------


def api_methods(route):
    return route.methods


def api_call(client, route, method, world):
    url = url_of(route, world)
    if method in SAFE_METHODS:
        return getattr(client, method.lower())(url)
    return getattr(client, method.lower())(url, data={}, format="json", content_type="application/json")


def api_permission(route, method):
    if method in SAFE_METHODS:
        return declared(route.view, "permission")
    return declared(route.view, "write_permission") or declared(route.view, "permission")


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_anonymous", API, api_methods))
def test_api_refuses_anonymous_callers(client, world, route, method):
    assert api_call(client, route, method, world).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_foreign", API, api_methods))
def test_api_refuses_a_token_of_another_organizer(client, world, foreign_user, route, method):
    with scopes_disabled():
        team = foreign_user.teams.get()
        token = team.tokens.create(name="andere")
    assert api_call(api_client(client, "Token", token.token), route, method, world).status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_other_event", API, api_methods))
def test_api_token_limited_to_another_event_sees_nothing_of_this_event(client, world, route, method):
    """A token with every permission, for another event of the organiser only.

    Event routes refuse it. Organiser routes answer as the declared permission says, except
    that a format whose template is the event the token cannot see is not found (issue 9 §1).
    """
    __, team = team_user(
        world["organizer"],
        "other-event-token",
        event_permissions=[],
        organizer_permissions=[],
        events=[world["other_event"]],
    )
    with scopes_disabled():
        team.all_event_permissions = team.all_organizer_permissions = True
        team.save()
        token = team.tokens.create(name="anderes")
    status = api_call(api_client(client, "Token", token.token), route, method, world).status_code
    if route.level == "event" or ("<slug>" in route.pattern or "(?P<slug>" in route.pattern):
        assert status in (403, 404)
    else:
        assert status not in (403, 404), status


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_device", API, api_methods))
def test_api_device_token_gets_what_pretix_grants_devices(client, world, route, method):
    """Devices (check-in apps) hold pretix's fixed device permissions: never a write of plugin data."""
    with scopes_disabled():
        device = Device.objects.create(
            organizer=world["organizer"],
            name="Einlass",
            all_events=True,
            initialized=now(),
            api_token=generate_api_token(),
        )
        permission = api_permission(route, method)
        if route.level == "event":
            allowed = device.has_event_permission(world["organizer"], world["event"], permission)
        else:
            allowed = device.has_organizer_permission(world["organizer"], permission)
    status = api_call(api_client(client, "Device", device.api_token), route, method, world).status_code
    if allowed and method in SAFE_METHODS:
        assert status == 200
    else:
        assert status in (403, 404), status


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_permitted", API, api_methods))
def test_api_token_with_the_declared_permission_is_let_in(client, world, route, method):
    __, team = holding(route, api_permission(route, method), "api-writer", world["organizer"])
    with scopes_disabled():
        token = team.tokens.create(name="writer")
    status = api_call(api_client(client, "Token", token.token), route, method, world).status_code
    # 400: the empty body is refused by validation, after the permission check
    assert status in (200, 201, 204, 400), status


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("api_plugin_off", API, api_methods))
def test_api_is_404_where_the_plugin_is_off(client, world, admin_user, route, method):
    with scopes_disabled():
        token = admin_user.teams.get().tokens.create(name="admin")
    set_plugin(world, route, active=False)
    assert api_call(api_client(client, "Token", token.token), route, method, world).status_code == 404


# --- shop ----------------------------------------------------------------------------------------


def shop_methods(route):
    """GET, and POST where the view takes one (function views: always)."""
    return ("GET", "POST") if route.view is None or hasattr(route.view, "post") else ("GET",)


@pytest.mark.django_db
@pytest.mark.parametrize("route,method", cases("shop_plugin_off", SHOP, shop_methods))
def test_shop_page_is_404_where_the_plugin_is_off(client, world, route, method):
    set_plugin(world, route, active=False)
    assert getattr(client, method.lower())(url_of(route, world)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("route", cases("shop_plugin_on", SHOP))
def test_shop_page_answers_without_error_where_the_plugin_is_on(client, world, route):
    # public files and pages answer (a follower link with a wrong token says so on its page); a join
    # link with a wrong secret is not found
    refused = "join" in route.key or route.key in ("shop:host", "shop:workgroups.choose")
    assert client.get(url_of(route, world)).status_code == (404 if refused else 200)
