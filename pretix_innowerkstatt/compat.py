"""Every name of pretix, hierarkey or Django that is not public plugin API, in one place.

The plugin supports a range of pretix releases (see ``pyproject.toml``). Whatever it needs beyond
pretix's documented plugin interface (signals, models, services, ``pretix.base.settings``) is
reached through this module only, each use with a note on what it relies on. Where releases
differ, the branch lives here and nowhere else. ``tests/core/test_compat.py`` checks every
assumption against the installed pretix and fails with a message that names the one that broke.
"""

import threading

# --- agenda: speaker photos --------------------------------------------------------------------
# pretix's ``get_thumbnail`` (pretix.helpers.thumb) keeps each thumbnail as a ``Thumbnail`` row
# (pretix.helpers.models, not plugin API) keyed by the source file's storage name, with the image
# in its ``thumb`` file. A deleted speaker photo takes its thumbnails along, as they are public too.


def delete_thumbnails(source_name: str) -> None:
    """Delete pretix's thumbnails of the stored file ``source_name`` (rows and files)."""
    from pretix.helpers.models import Thumbnail

    for thumbnail in Thumbnail.objects.filter(source=source_name):
        if thumbnail.thumb:
            thumbnail.thumb.delete(save=False)
        thumbnail.delete()


# --- videolinks: the join link -----------------------------------------------------------------


def event_view(view, *, require_plugin):
    """``view`` handled like one of pretix's plugin event pages under /<organizer>/<event>/.

    Relies on ``pretix.presale.utils._event_view(function, require_live=True, require_plugin=None)``:
    it finds organiser and event from the URL (custom domains, shop offline or in test mode,
    languages), activates the organiser scope and sends ``process_response``. pretix applies it
    to a plugin's ``event_patterns`` itself; the join link's main-domain route hands requests to
    the same handling explicitly.
    """
    from pretix.presale.utils import _event_view

    return _event_view(view, require_plugin=require_plugin)


MAIN_DOMAIN_URLCONF = "pretix.multidomain.maindomain_urlconf"
_routes_lock = threading.Lock()


def route_before_other_plugins(pattern) -> bool:
    """Has pretix's main domain try ``pattern`` right after pretix's own routes, before any plugin's.

    Relies on ``pretix.multidomain.maindomain_urlconf``: ``urlpatterns`` is pretix's own routes
    (``pretix.urls.common_patterns``), then ``plugin_patterns`` (every installed plugin's root
    routes, in the order of ``INSTALLED_APPS``, where pretix's bundled plugins come first), then
    the shop's; it is the ``ROOT_URLCONF`` Django resolves with. The list is the one Django's
    cached resolver reads on every resolution, so an insertion takes effect at once.

    Only for a route that pretix and other plugins cannot mean (a path under the plugin's own
    ``innowerkstatt/`` segment): it then answers exactly what it answered after the other
    plugins' routes, only without trying each of them first. False (nothing changed) where
    pretix's URL configuration is not shaped like this; the route then stays where pretix put it.
    """
    from django.conf import settings

    if settings.ROOT_URLCONF != MAIN_DOMAIN_URLCONF:
        return False
    from pretix.multidomain import maindomain_urlconf

    with _routes_lock:
        patterns = getattr(maindomain_urlconf, "urlpatterns", None)
        plugins = getattr(maindomain_urlconf, "plugin_patterns", None)
        if not isinstance(patterns, list) or not plugins or plugins[0] not in patterns:
            return False
        if pattern not in patterns:
            patterns.insert(patterns.index(plugins[0]), pattern)
    return True


def without_content_security_policy(response):
    """``response`` leaves pretix's ``SecurityMiddleware`` without a Content-Security-Policy header.

    Relies on ``SecurityMiddleware._needs_csp`` skipping responses whose ``_csp_ignore`` is true.
    Used for the join redirect: it has no content to protect, and building pretix's policy
    (a URL resolution and a few dozen string joins) is a measurable part of the join POST.
    """
    response._csp_ignore = True
    return response


def csp_skip_avoids_domain_lookup() -> bool:
    """Whether ``without_content_security_policy`` also spares the request pretix's shop-domain lookup.

    Relies on ``SecurityMiddleware._needs_csp``: releases that have it decide before building the
    policy. Older ones (2026.3) build it first, looking up the event's shop domain (known domains,
    alternative domain assignment and the global settings: three queries, cached in production),
    and only then leave the header out. The join's query-count tests expect those three there.
    """
    from pretix.base.middleware import SecurityMiddleware

    return hasattr(SecurityMiddleware, "_needs_csp")


def collects_content_security_policy(request) -> bool:
    """Whether pretix's ``SecurityMiddleware`` saw ``request``, so ``add_to_response_csp_via_request`` works.

    Relies on the middleware's ``process_request`` setting ``request._csp_to_merge``, which
    ``add_to_response_csp_via_request`` reads (mails and other renderings without a request
    through the middleware have none).
    """
    return hasattr(request, "_csp_to_merge")


def prefetch_settings(settings_proxy):
    """Loads a settings proxy and its parents' (event, organiser, installation) with one cache round trip.

    hierarkey loads each level on first use with a cache GET of its own. Relies on hierarkey's
    ``HierarkeyProxy`` internals: ``_parent`` (the owner of the next level) and
    ``_h.attribute_name`` (how to reach its proxy), ``_cache_key`` and ``_cached_obj`` (the
    loaded values, None until loaded), and ``hierarkey.proxy.dirty_cache_keys`` (a ContextVar
    of the keys changed in this transaction, which must be read from the database). A level
    missing from the cache, or dirty, is left to hierarkey as usual.
    """
    from django.core.cache import cache
    from hierarkey.proxy import dirty_cache_keys

    proxies, proxy = [], settings_proxy
    while proxy is not None:
        proxies.append(proxy)
        parent = proxy._parent
        proxy = getattr(parent, proxy._h.attribute_name) if parent is not None else None
    dirty = dirty_cache_keys.get(set())
    wanted = {p._cache_key: p for p in proxies if p._cached_obj is None and p._cache_key not in dirty}
    for key, value in cache.get_many(list(wanted)).items():
        wanted[key]._cached_obj = value


def connection_check_pending(connection) -> bool:
    """Whether Django will check ``connection`` (``SELECT 1``) before the request's next statement.

    Relies on ``BaseDatabaseWrapper.health_check_enabled`` (the database's ``CONN_HEALTH_CHECKS``,
    which pretix turns on for PostgreSQL) and ``health_check_done`` (reset when a request starts,
    set once ``close_if_health_check_failed`` ran).
    """
    return connection.connection is not None and connection.health_check_enabled and not connection.health_check_done


def skip_connection_check(connection) -> None:
    """Django's check of ``connection`` counts as done for this request (see ``connection_check_pending``)."""
    connection.health_check_done = True


def column_converters(field, alias, connection):
    """``(column, converters)``: what Django's SQL compiler applies to a raw value of ``field`` read as ``alias``.

    Relies on ``Field.get_col(alias)``, ``connection.ops.get_db_converters(expression)`` and
    ``Col.get_db_converters(connection)`` – the calls of ``SQLCompiler.get_converters`` – each
    converter called as ``converter(value, expression, connection)``. The join lookup
    (videolinks/join_lookup.py) builds model instances from one hand-written statement with them.
    """
    col = field.get_col(alias)
    return col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)


# --- pretix releases ----------------------------------------------------------------------------
# The plugin supports pretix 2026.3.0 and every later release (pyproject.toml, apps.py; why in
# docs/architecture.md, "Supported pretix releases"). Public names that only newer releases have
# are reached here, detected by the name itself rather than a version number, so a backport or a
# patch release needs no change.


def eventreverse_absolute(obj, urlname, kwargs=None):
    """Absolute URL (scheme, custom domain) of a pretix or plugin route for an event or organiser.

    pretix 2026.6 renamed ``pretix.multidomain.urlreverse.build_absolute_uri`` to
    ``eventreverse_absolute`` (same parameters) and deprecated the old name; 2026.3–2026.5 have
    only the old one.
    """
    try:
        from pretix.multidomain.urlreverse import eventreverse_absolute as reverse
    except ImportError:  # pretix < 2026.6
        from pretix.multidomain.urlreverse import build_absolute_uri as reverse
    return reverse(obj, urlname, kwargs)


def add_content_security_policy(request, policy: dict, response=None) -> None:
    """Adds ``policy`` (``{"form-action": ["http:", "https:"]}``) to the CSP pretix sends for ``request``.

    pretix 2026.7 added ``pretix.base.middleware.add_to_response_csp_via_request``, which works
    from anywhere during the request (a signal receiver rendering part of a page), once
    ``SecurityMiddleware`` has seen the request (``collects_content_security_policy``). On older
    releases only a response's own ``Content-Security-Policy`` header is merged into pretix's
    policy (on every supported release), so pass ``response`` where the caller builds it;
    without one, an older release sends its default policy.
    """
    try:
        from pretix.base.middleware import add_to_response_csp_via_request
    except ImportError:  # pretix < 2026.7
        add_to_response_csp_via_request = None
    if add_to_response_csp_via_request is not None and collects_content_security_policy(request):
        add_to_response_csp_via_request(request, policy)
    elif response is not None:
        own = "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())
        existing = response.get("Content-Security-Policy")
        response["Content-Security-Policy"] = f"{existing}; {own}" if existing else own


def picker_without_seconds(widget_class):
    """pretix's ``TimePickerWidget`` or ``SplitDateTimePickerWidget`` for times in hours and minutes.

    ``without_seconds`` came with pretix 2026.7; older releases show the time field with seconds
    (the value stored is the same).
    """
    import inspect

    if "without_seconds" in inspect.signature(widget_class.__init__).parameters:
        return widget_class(without_seconds=True)
    return widget_class()  # pretix < 2026.7


def date_time_picker_without_seconds():
    """pretix's ``SplitDateTimePickerWidget`` in hours and minutes (see ``picker_without_seconds``)."""
    from pretix.base.forms.widgets import SplitDateTimePickerWidget

    return picker_without_seconds(SplitDateTimePickerWidget)


def rate_limit(key: str, *parameters, max_num: int, expire_time: int) -> bool:
    """pretix's rate limit: counts this call, True once more than ``max_num`` calls in the window.

    pretix 2026.7 added ``pretix.helpers.ratelimit.rate_limit`` (never limits without Redis,
    ``settings.HAS_REDIS`` false). Older releases count inline with the same Redis commands
    (their password reset and customer registration); here that is the helper's pipeline, so
    both releases share one counter layout and the same answer.
    """
    try:
        from pretix.helpers.ratelimit import rate_limit as pretix_rate_limit
    except ImportError:  # pretix < 2026.7
        pretix_rate_limit = None
    if pretix_rate_limit is not None:
        return pretix_rate_limit(key, *parameters, max_num=max_num, expire_time=expire_time)
    from django.conf import settings

    if not settings.HAS_REDIS:
        return False
    from django_redis import get_redis_connection

    counter = rate_limit_key(key, *parameters)
    pipeline = get_redis_connection("redis").pipeline()
    pipeline.set(counter, 0, nx=True, ex=expire_time)  # a window starts with the first call
    pipeline.incr(counter)
    return pipeline.execute()[1] > max_num


def rate_limit_key(key: str, *parameters) -> str:
    """The Redis key of pretix's rate-limit counter for ``key`` and ``parameters``.

    For a caller that counts a call on pretix's own counter within a round trip it makes anyway
    (the join POST counts and notes the join in one Lua script, videolinks/domain/pending.py) with
    the commands ``rate_limit`` uses: ``SET <key> 0 NX EX <window>``, then ``INCR <key>``, limited
    once the count exceeds the maximum. Calls counted either way share one counter and window.
    Relies on ``pretix.helpers.ratelimit._get_key(key, parameters)`` (2026.7 and later) naming the
    counter and on the helper counting with those two commands; older releases have no helper,
    and ``rate_limit`` counts there with the same key layout.
    """
    try:
        from pretix.helpers.ratelimit import _get_key
    except ImportError:  # pretix < 2026.7
        import hashlib

        return f"pretix:ratelimit:{key}:" + hashlib.sha256(",".join(str(p) for p in parameters).encode()).hexdigest()
    return _get_key(key, parameters)


# --- followers: the follow form and the announcement text ----------------------------------------


def client_ip(request) -> str | None:
    """The visitor's address as pretix's own rate limits see it (its proxy settings honoured).

    Relies on ``pretix.helpers.http.get_client_ip(request)`` (a helper, not documented plugin API).
    """
    from pretix.helpers.http import get_client_ip

    return get_client_ip(request)


def text_placeholder_names(event, context: list[str]) -> list[str]:
    """The names of pretix's mail placeholders (rich ones included) for a mail with ``context``.

    Relies on ``pretix.base.services.placeholders.get_available_placeholders(event, base_parameters,
    rich=)`` returning ``{identifier: placeholder}``, as pretix's own mail settings form uses it.
    """
    from pretix.base.services.placeholders import get_available_placeholders

    return list(get_available_placeholders(event, list(context), rich=True))


# --- videolinks: the meeting URL field without pretix's "Optional" hint ---------------------------


def label_without_optional_hint(field) -> None:
    """Have pretix's backend form renderer show ``field`` without "Optional", though it may stay empty.

    Relies on ``pretix.control.forms.renderers.ControlFieldRenderer.add_label`` reading a field's
    ``_required`` attribute in place of ``required`` (as pretix does for payment provider settings).
    The field keeps ``required=False``: no ``required`` attribute in the HTML, no error when empty.
    """
    field._required = True


def perform_order(event, payment_requests, position_ids, email, locale, *, cart_id=None):
    """pretix's order placement from cart positions (``pretix.base.services.orders._perform_order``).

    Used by tests that place real orders. ``cart_id`` (the cart the positions belong to) is a
    parameter since pretix 2026.7; older releases take the positions alone.
    """
    import inspect

    from pretix.base.services.orders import _perform_order

    extra = {"cart_id": cart_id} if "cart_id" in inspect.signature(_perform_order).parameters else {}
    return _perform_order(event, payment_requests, position_ids, email, locale, None, {}, "web", **extra)


# --- agenda: the languages of all the organiser's events ----------------------------------------


def locales_of_events(organizer) -> list[str]:
    """The languages set on any of the organiser's events, in one query (events without: none).

    Reads hierarkey's store of event settings (``pretix.base.models.Event_SettingsStore`` with
    ``object``, ``key``, ``value``), in which hierarkey keeps a list as its JSON text.
    """
    import json

    from pretix.base.models import Event_SettingsStore

    stored = Event_SettingsStore.objects.filter(object__organizer=organizer, key="locales").values_list(
        "value", flat=True
    )
    locales = []
    for value in stored:
        try:
            decoded = json.loads(value)
        except ValueError:
            continue
        locales += [code for code in decoded if isinstance(code, str)] if isinstance(decoded, list) else []
    return list(dict.fromkeys(locales))
