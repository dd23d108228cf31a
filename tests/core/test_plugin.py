"""The plugin as an organiser meets it: listed, enabled, its backend page guarded."""

import pytest
from django_scopes import scopes_disabled

from tests.conftest import PLUGIN, login

OVERVIEW = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/"


@pytest.mark.django_db
def test_plugin_is_listed_in_event_plugin_settings_and_can_be_enabled(admin_client, event):
    with scopes_disabled():
        event.disable_plugin(PLUGIN)
        event.save()
    url = "/control/event/innovationsbuero/innowerkstatt/settings/plugins"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Innowerkstatt: agenda, recurring formats and video links" in page.text

    response = admin_client.post(url, {f"plugin:{PLUGIN}": "enable"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert PLUGIN in event.get_plugins()
    # Once enabled, the overview page is linked from the plugin list and answers.
    assert OVERVIEW in admin_client.get(url).text
    assert admin_client.get(OVERVIEW).status_code == 200


@pytest.mark.django_db
def test_plugin_is_listed_in_organizer_plugin_settings(admin_client, organizer):
    page = admin_client.get("/control/organizer/innovationsbuero/settings/plugins")
    assert page.status_code == 200
    assert "Innowerkstatt: agenda, recurring formats and video links" in page.text


@pytest.mark.django_db
def test_overview_page_shows_all_capabilities(admin_client, event):
    page = admin_client.get(OVERVIEW)
    assert page.status_code == 200
    for card in ("innowerkstatt-card-agenda", "innowerkstatt-card-videolinks", "innowerkstatt-card-formats"):
        assert card in page.text
    # It is reachable from the event's settings navigation.
    assert 'href="' + OVERVIEW + '"' in page.text


@pytest.mark.django_db
def test_overview_needs_login(client, event):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert "/control/login" in response["Location"]


@pytest.mark.django_db
def test_overview_is_readable_with_any_event_permission(client, readonly_user, event):
    assert login(client, readonly_user).get(OVERVIEW).status_code == 200


@pytest.mark.django_db
def test_user_of_another_organizer_is_refused(client, foreign_user, event):
    response = login(client, foreign_user).get(OVERVIEW)
    assert response.status_code in (403, 404)


@pytest.mark.django_db
def test_overview_is_404_when_plugin_disabled(admin_client, event):
    with scopes_disabled():
        event.disable_plugin(PLUGIN)
        event.save()
    assert admin_client.get(OVERVIEW).status_code == 404


@pytest.mark.django_db
def test_user_without_the_write_permission_cannot_post_to_a_page_they_may_read(rf, readonly_user, admin_user, event):
    from types import SimpleNamespace

    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.views import View

    from pretix_innowerkstatt.core.permissions import EventPluginPermissionMixin

    class ReadableView(EventPluginPermissionMixin, View):
        permission = None
        write_permission = "event.settings.general:write"

        def get(self, request, *args, **kwargs):
            return HttpResponse("read")

        def post(self, request, *args, **kwargs):
            return HttpResponse("changed")

    def call(method, user):
        request = getattr(rf, method)("/")
        request.user, request.event, request.organizer = user, event, event.organizer
        request.session = SimpleNamespace(session_key=None)
        with scopes_disabled():
            return ReadableView.as_view()(request)

    assert call("get", readonly_user).content == b"read"
    with pytest.raises(PermissionDenied):
        call("post", readonly_user)
    assert call("post", admin_user).content == b"changed"
