"""The assumptions of ``pretix_innowerkstatt.compat`` hold for the installed pretix release.

Each test names the private name it relies on, so a pretix upgrade that changes one fails here
first, with a message that says which.
"""

import pytest

# --- agenda: speaker photos --------------------------------------------------------------------


@pytest.mark.django_db
def test_thumbnails_are_rows_keyed_by_source_name_with_a_file():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from pretix_innowerkstatt.compat import delete_thumbnails

    try:
        from pretix.helpers.models import Thumbnail
    except ImportError:  # pragma: no cover - only on a changed pretix
        pytest.fail("pretix changed pretix.helpers.models.Thumbnail: speaker photo thumbnails are no longer found")
    fields = {field.name for field in Thumbnail._meta.get_fields()}
    assert {"source", "size", "thumb"} <= fields, f"pretix changed Thumbnail's fields: {sorted(fields)}"
    thumbnail = Thumbnail.objects.create(source="pub/compat/photo.png", size="64x64")
    thumbnail.thumb.save("compat-thumb.png", ContentFile(b"x"), save=True)
    stored = thumbnail.thumb.name
    delete_thumbnails("pub/compat/photo.png")
    assert not Thumbnail.objects.filter(source="pub/compat/photo.png").exists()
    assert not default_storage.exists(stored)


# --- videolinks: the join link -----------------------------------------------------------------

import inspect  # noqa: E402

import pytest  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse, HttpResponseRedirect  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from pretix_innowerkstatt import compat  # noqa: E402


def test_pretix_event_view_wrapper_takes_the_plugin_requirement():
    from pretix.presale import utils

    if not hasattr(utils, "_event_view"):
        pytest.fail("pretix changed pretix.presale.utils._event_view: it is gone (videolinks' main-domain join route)")
    parameters = inspect.signature(utils._event_view).parameters
    assert {"function", "require_live", "require_plugin"} <= set(parameters), (
        f"pretix changed _event_view's parameters to {list(parameters)}: compat.event_view passes require_plugin"
    )


def test_main_domain_routes_are_pretixs_own_then_every_plugins_then_the_shops(settings):
    from pretix.multidomain import maindomain_urlconf
    from pretix.urls import common_patterns

    from pretix_innowerkstatt.videolinks.join_route import JOIN_ROUTE_FIRST

    assert settings.ROOT_URLCONF == compat.MAIN_DOMAIN_URLCONF, (
        f"pretix changed ROOT_URLCONF to {settings.ROOT_URLCONF}: compat.route_before_other_plugins does nothing"
    )
    for name in ("urlpatterns", "plugin_patterns", "presale_patterns_main"):
        assert hasattr(maindomain_urlconf, name), f"pretix changed maindomain_urlconf: {name} is gone"
    own = [p for p in maindomain_urlconf.urlpatterns if p is not JOIN_ROUTE_FIRST]
    assert own == common_patterns + maindomain_urlconf.plugin_patterns + maindomain_urlconf.presale_patterns_main, (
        "pretix changed maindomain_urlconf.urlpatterns: no longer its own routes, then the plugins', then the shop's"
    )


def test_a_route_placed_before_other_plugins_comes_right_after_pretixs_own_routes_once(monkeypatch):
    from django.urls import path
    from pretix.multidomain import maindomain_urlconf
    from pretix.urls import common_patterns

    patterns = list(maindomain_urlconf.urlpatterns)
    monkeypatch.setattr(maindomain_urlconf, "urlpatterns", patterns)
    route = path("innowerkstatt-compat-test/", lambda request: None)
    assert compat.route_before_other_plugins(route)
    assert compat.route_before_other_plugins(route)  # again: nothing more
    assert patterns.count(route) == 1
    assert patterns.index(route) == patterns.index(maindomain_urlconf.plugin_patterns[0]) - 1
    assert patterns.index(route) >= len(common_patterns)


def test_a_route_stays_where_pretix_put_it_when_the_main_domain_routes_have_another_shape(monkeypatch, settings):
    from django.urls import path
    from pretix.multidomain import maindomain_urlconf

    route = path("innowerkstatt-compat-test/", lambda request: None)
    monkeypatch.setattr(maindomain_urlconf, "plugin_patterns", [])
    assert not compat.route_before_other_plugins(route)
    assert route not in maindomain_urlconf.urlpatterns
    monkeypatch.undo()
    settings.ROOT_URLCONF = "tests.some_other_urlconf"
    assert not compat.route_before_other_plugins(route)
    assert route not in maindomain_urlconf.urlpatterns


def _through_security_middleware(view):
    """The response of ``view(request)`` as pretix's ``SecurityMiddleware`` hands it on."""
    from pretix.base.middleware import SecurityMiddleware

    request = RequestFactory().get("/")
    return request, SecurityMiddleware(view)(request)


@pytest.mark.django_db
def test_pretix_security_middleware_skips_a_response_marked_csp_ignore():
    request, response = _through_security_middleware(
        lambda request: compat.without_content_security_policy(HttpResponseRedirect("https://meet.example.org/"))
    )
    assert "Content-Security-Policy" not in response, (
        "pretix changed SecurityMiddleware: a response with _csp_ignore gets a Content-Security-Policy again"
    )
    request, response = _through_security_middleware(lambda request: HttpResponseRedirect("https://meet.example.org/"))
    assert "Content-Security-Policy" in response
    from pretix.base import middleware

    if hasattr(middleware, "add_to_response_csp_via_request"):  # pretix >= 2026.7
        assert compat.collects_content_security_policy(request), (
            "pretix changed SecurityMiddleware.process_request: request._csp_to_merge is no longer set"
        )


def test_hierarkey_proxy_internals_used_to_prefetch_settings():
    from hierarkey import proxy

    assert isinstance(getattr(proxy, "dirty_cache_keys", None), proxy.ContextVar), (
        "hierarkey changed: hierarkey.proxy.dirty_cache_keys is no longer a ContextVar (compat.prefetch_settings)"
    )
    source = inspect.getsource(proxy.HierarkeyProxy)
    for name in ("_parent", "_h", "_cached_obj", "_cache_key"):
        assert name in source, f"hierarkey changed HierarkeyProxy: {name} is gone (compat.prefetch_settings)"


@pytest.mark.django_db
def test_prefetched_settings_of_event_organiser_and_installation_need_no_query(
    event, settings, django_assert_num_queries
):
    from pretix.base.models import Event

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "compat"}}
    from django.core.cache import cache
    from hierarkey.proxy import dirty_cache_keys

    cache.clear()
    dirty_cache_keys.set(set())  # as in a new request: nothing changed in this transaction
    with scopes_disabled():
        warm = Event.objects.select_related("organizer").get(pk=event.pk)
        timezone = warm.settings.get("timezone")  # puts all three levels into the cache
        warm.organizer.settings.get("locale")
        fresh = Event.objects.select_related("organizer").get(pk=event.pk)
    compat.prefetch_settings(fresh.settings)
    cache.clear()  # whatever is read now must come from what the prefetch handed to hierarkey
    with django_assert_num_queries(0, info="hierarkey changed: prefetched settings levels are read again"):
        assert fresh.settings.get("timezone") == timezone
        fresh.organizer.settings.get("locale")


@pytest.mark.django_db
def test_django_column_converters_turn_raw_values_into_field_values(event):
    from pretix.base.models import Event

    with scopes_disabled():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT date_from FROM {Event._meta.db_table} WHERE id = %s", [event.pk])
            raw = cursor.fetchone()[0]
    try:
        col, converters = compat.column_converters(Event._meta.get_field("date_from"), "e", connection)
    except AttributeError as e:
        pytest.fail(f"Django changed Field.get_col or get_db_converters (compat.column_converters): {e}")
    value = raw
    for convert in converters:
        value = convert(value, col, connection)
    assert value == event.date_from, "Django changed its database converters: a raw datetime no longer converts"


# --- pretix releases ----------------------------------------------------------------------------


def _form_action(response):
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return policy["form-action"].split()


@pytest.mark.django_db
def test_a_policy_added_during_the_request_reaches_pretix_content_security_policy():
    def view(request):
        compat.add_content_security_policy(request, {"form-action": ["http:", "https:"]})
        return HttpResponse("<form></form>")

    request, response = _through_security_middleware(view)
    from pretix.base import middleware

    if hasattr(middleware, "add_to_response_csp_via_request"):  # pretix >= 2026.7: from anywhere
        assert "http:" in _form_action(response), "pretix changed add_to_response_csp_via_request: policy not sent"
    else:  # older releases: only through the response, this one keeps pretix's default policy
        assert "https:" in _form_action(response)


@pytest.mark.django_db
def test_a_policy_added_with_the_response_reaches_pretix_content_security_policy_on_every_release():
    def view(request):
        response = HttpResponse("<form></form>")
        compat.add_content_security_policy(request, {"form-action": ["http:", "https:"]}, response=response)
        return response

    request, response = _through_security_middleware(view)
    assert {"http:", "https:"} <= set(_form_action(response)), (
        "pretix changed SecurityMiddleware: a response's own Content-Security-Policy is no longer merged"
    )


@pytest.mark.django_db
def test_absolute_event_urls_on_every_supported_release(event):
    url = compat.eventreverse_absolute(event, "presale:event.index")
    assert url.startswith(("http://", "https://")), url
    assert url.rstrip("/").endswith(f"/{event.organizer.slug}/{event.slug}"), url


def test_date_time_picker_without_seconds_on_every_supported_release():
    widget = compat.date_time_picker_without_seconds()
    html = widget.render("start", None)
    assert 'name="start_0"' in html and 'name="start_1"' in html, "pretix changed SplitDateTimePickerWidget's fields"


def test_time_picker_without_seconds_on_every_supported_release():
    from pretix.base.forms.widgets import TimePickerWidget

    html = compat.picker_without_seconds(TimePickerWidget).render("start_time", None)
    assert 'name="start_time"' in html, "pretix changed TimePickerWidget"


def test_rate_limit_counts_calls_in_redis_on_every_supported_release(settings):
    import uuid

    settings.HAS_REDIS = True
    settings.CACHES = {
        **settings.CACHES,
        "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"},
    }
    key = f"innowerkstatt_compat_{uuid.uuid4().hex}"
    answers = [compat.rate_limit(key, 42, max_num=2, expire_time=5) for _ in range(3)]
    assert answers == [False, False, True], "pretix changed rate_limit: the third call of two allowed is not limited"
    assert compat.rate_limit(key, 43, max_num=2, expire_time=5) is False, "the parameters no longer pick the bucket"


def test_rate_limit_key_names_the_counter_pretix_rate_limit_counts(settings):
    import uuid

    import redis

    settings.HAS_REDIS = True
    settings.CACHES = {
        **settings.CACHES,
        "redis": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"},
    }
    key = f"innowerkstatt_compat_{uuid.uuid4().hex}"
    for _ in range(2):
        compat.rate_limit(key, 42, max_num=5, expire_time=5)
    counter = compat.rate_limit_key(key, 42)
    client = redis.Redis.from_url("redis://127.0.0.1:6379/13")
    assert client.get(counter) == b"2", "pretix changed its rate-limit counter's key or commands (rate_limit_key)"
    assert 0 < client.ttl(counter) <= 5, "pretix's rate-limit window no longer starts with SET NX EX"
    client.delete(counter)


def test_rate_limit_never_limits_without_redis(settings):
    settings.HAS_REDIS = False
    assert not any(compat.rate_limit("innowerkstatt_compat", 1, max_num=0, expire_time=5) for _ in range(2))


# pretix 2026.3.0, the oldest release we support, ends at this migration of pretix's base app.
OLDEST_RELEASE_LAST_PRETIXBASE_MIGRATION = "0298_pluggable_permissions"


def test_plugin_migrations_need_no_pretix_migration_newer_than_the_oldest_supported_release():
    import importlib
    import pkgutil

    from pretix_innowerkstatt import migrations

    newer = []
    for module in pkgutil.iter_modules(migrations.__path__):
        migration = importlib.import_module(f"{migrations.__name__}.{module.name}").Migration
        for app, name in migration.dependencies:
            if app == "pretixbase" and name > OLDEST_RELEASE_LAST_PRETIXBASE_MIGRATION:
                newer.append(f"{module.name} -> {name}")
    assert not newer, (
        f"migrations depend on pretix migrations that pretix 2026.3 lacks (set them to "
        f"{OLDEST_RELEASE_LAST_PRETIXBASE_MIGRATION} or older if the models allow): {newer}"
    )


def test_plugin_and_package_declare_the_same_oldest_pretix_release_without_an_upper_bound():
    import tomllib
    from importlib import metadata
    from pathlib import Path

    from packaging.requirements import Requirement

    from pretix_innowerkstatt.apps import PluginApp

    declared = Requirement(PluginApp.PretixPluginMeta.compatibility)
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    test_extra = pyproject["project"]["optional-dependencies"]["test"]
    extra = next(Requirement(r) for r in test_extra if r.startswith("pretix>"))
    assert str(declared.specifier) == str(extra.specifier), "apps.py and pyproject.toml declare different releases"
    assert all(spec.operator == ">=" for spec in declared.specifier), f"an upper bound: {declared}"
    floor = next(iter(declared.specifier)).version
    assert floor == "2026.3.0", "the oldest release moved: update OLDEST_RELEASE_LAST_PRETIXBASE_MIGRATION and the docs"
    assert declared.specifier.contains(metadata.version("pretix")), "the installed pretix is not a supported release"


@pytest.mark.django_db
def test_followers_client_ip_and_placeholder_names_on_every_supported_release(event):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    assert compat.client_ip(request) == "203.0.113.5", "pretix changed pretix.helpers.http.get_client_ip"
    with scopes_disabled():
        names = compat.text_placeholder_names(event, ["event", "event_or_subevent"])
    assert "event" in names and "agenda" in names, (
        f"pretix changed get_available_placeholders(event, base_parameters, rich=): got {sorted(names)}"
    )


def test_videolinks_label_without_optional_hint_on_every_supported_release():
    from django import forms
    from pretix.control.forms.renderers import ControlFieldRenderer

    class Form(forms.Form):
        url = forms.CharField(required=False, label="Meeting join URL")
        other = forms.CharField(required=False, label="Other")

    form = Form()
    compat.label_without_optional_hint(form.fields["url"])
    assert "optional" not in ControlFieldRenderer(form["url"]).render(), (
        "pretix changed ControlFieldRenderer.add_label: it no longer reads a field's _required"
    )
    assert "optional" in ControlFieldRenderer(form["other"]).render(), "pretix no longer marks optional fields"
    assert not form.fields["url"].required


def test_security_middleware_still_leaves_out_the_policy_of_a_marked_response():
    """``csp_skip_avoids_domain_lookup`` names a private method: it must mean what it says."""
    from pretix.base.middleware import SecurityMiddleware

    from pretix_innowerkstatt import compat

    if compat.csp_skip_avoids_domain_lookup():
        assert callable(SecurityMiddleware._needs_csp), "pretix changed SecurityMiddleware._needs_csp"
    else:
        import inspect

        source = inspect.getsource(SecurityMiddleware)
        assert "_csp_ignore" in source, "pretix no longer honours response._csp_ignore in SecurityMiddleware"


# --- agenda: the speaker form's languages ------------------------------------------------------


@pytest.mark.django_db
def test_locales_of_events_reads_each_events_languages_from_hierarkeys_store_in_one_query(
    organizer, event, django_assert_num_queries
):
    from django_scopes import scopes_disabled
    from pretix.base.models import Event

    from pretix_innowerkstatt.compat import locales_of_events

    with scopes_disabled():
        other = Event.objects.create(organizer=organizer, name="UD", slug="ud", date_from=event.date_from)
        other.settings.locales = ["en", "fr"]
        Event.objects.create(organizer=organizer, name="Ohne Sprachen", slug="ohne", date_from=event.date_from)
    with django_assert_num_queries(1):
        assert sorted(locales_of_events(organizer)) == ["de", "en", "fr"]
    with scopes_disabled():
        assert other.settings.get("locales", as_type=list) == ["en", "fr"]  # as pretix reads it back


# --- the join lookup: Django's connection check --------------------------------------------------


def _server_drops(conn):
    """PostgreSQL ends ``conn``'s session, as a restart or an idle timeout between two requests would."""
    import psycopg2

    settings_dict = conn.settings_dict
    other = psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"],
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [conn.connection.get_backend_pid()])
    other.close()


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request's first statement
def test_the_requests_first_prepared_statement_is_djangos_connection_check_and_reconnects():
    from django.db import connections

    from pretix_innowerkstatt.core.prepared_rows import fetch_row

    conn = connections["default"]
    if conn.vendor != "postgresql":
        pytest.skip("Django checks connections on PostgreSQL (pretix's CONN_HEALTH_CHECKS)")
    checks = []
    is_usable = conn.is_usable
    conn.ensure_connection()  # connecting sets health_check_enabled from the settings
    conn.health_check_enabled = True
    conn.is_usable = lambda: checks.append(1) or is_usable()
    try:
        conn.health_check_done = False  # a request starts
        assert compat.connection_check_pending(conn)
        conn.cursor().close()
        assert checks == [1], "Django changed its connection check: a request's first cursor no longer checks"

        conn.health_check_done = False  # the next request
        assert fetch_row(conn, "SELECT %s::int + 1", [41]) == (42,)
        assert checks == [1], "the join lookup waited for Django's SELECT 1"
        assert not compat.connection_check_pending(conn)

        _server_drops(conn)
        conn.health_check_done = False  # the request after the server dropped the connection
        assert fetch_row(conn, "SELECT %s::int + 1", [1]) == (2,)
        assert fetch_row(conn, "SELECT %s::int + 1", [2]) == (3,)  # prepared on the new connection
    finally:
        del conn.is_usable
        conn.health_check_enabled = conn.settings_dict["CONN_HEALTH_CHECKS"]
