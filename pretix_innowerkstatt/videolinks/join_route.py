"""The join POST's route on pretix's main domain, tried right after pretix's own routes.

Django and pretix's middlewares resolve a request's URL four times, and each resolution would
otherwise first try every route of every other installed plugin (about 60 with pretix's bundled
plugins alone), a quarter of the join POST's work. So at a process's first request
(``signals.place_join_route_first``) this route is placed among pretix's main-domain routes right
after pretix's own (``compat.route_before_other_plugins``). It is the same path and view as the
``join.main_domain`` route in ``urls.py``, which is what reverses, and what resolves where pretix's
URL configuration has another shape or in a process that has not served a request yet; the name
only tags the request (query log, page title).

A module of its own, importing no URL configuration: importing ``urls.py`` (which imports pretix's
API routes, which import every plugin's ``urls``) before Django has loaded pretix's URL
configuration would leave this plugin's URL module half-imported inside pretix's.
"""

from django.urls import path

from . import attendee_views

JOIN_PATH = "<str:organizer>/<str:event>/innowerkstatt/join/<str:order>/<int:position>/<str:secret>/"
JOIN_ROUTE_FIRST = path(JOIN_PATH, attendee_views.join_on_main_domain, name="join.main_domain")
