import datetime

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from freezegun import freeze_time

from pretix_innowerkstatt.videolinks.domain.links import join_path, join_secret

from .conftest import MEETING_URL


def open_time(event):
    return event.date_from - datetime.timedelta(minutes=10)


@pytest.mark.django_db
def test_contract_path_shape(position):
    with scopes_disabled():
        path = join_path(position)
        assert path == (
            f"/innovationsbuero/innowerkstatt/innowerkstatt/join/{position.order.code}/"
            f"{position.positionid}/{join_secret(position)}/"
        )


@pytest.mark.django_db
def test_get_shows_button_and_csrf_never_redirects(position):
    client = Client(enforce_csrf_checks=True)
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(position.order.event)):
        response = client.get(path)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert MEETING_URL.encode() not in response.content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_post_redirects_to_meeting(position):
    client = Client(enforce_csrf_checks=True)
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(position.order.event)):
        page = client.get(path)
        token = page.cookies["pretix_csrftoken"].value if "pretix_csrftoken" in page.cookies else None
        response = client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert response.status_code == 302, token
    assert response["Location"] == MEETING_URL


def post_join(client, path):
    page = client.get(path)
    return client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})


@pytest.mark.django_db
def test_join_is_one_checkin_on_the_plugin_list_even_when_repeated(position):
    from pretix.base.models import Checkin

    from pretix_innowerkstatt.videolinks.domain.checkin import LIST_NAME, checkin_list

    client = Client(enforce_csrf_checks=True)
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(position.order.event)):
        assert post_join(client, path).status_code == 302
        assert post_join(client, path).status_code == 302
    with scopes_disabled():
        clist = checkin_list(position.order.event)
        assert clist.name in (LIST_NAME, "Online (Videokonferenz)")
        assert Checkin.objects.filter(position=position, list=clist).count() == 1
        # One line in the order log: pretix's own for the check-in.
        assert position.order.all_logentries().filter(action_type="pretix.event.checkin").count() == 1


@pytest.mark.django_db
def test_wrong_secret_is_404_on_get_and_post(position):
    client = Client()
    with scopes_disabled():
        path = join_path(position)
    forged = path.replace(join_secret(position), "A" * 32)
    with freeze_time(open_time(position.order.event)):
        assert client.get(forged).status_code == 404
        assert client.post(forged).status_code == 404


@pytest.mark.django_db
def test_join_page_speaks_german_formal_by_default(position):
    """The event's default language is German; needs the compiled catalogues (`make localecompile`)."""
    with scopes_disabled():
        path = join_path(position)
    with freeze_time(open_time(position.order.event)):
        content = Client(HTTP_ACCEPT_LANGUAGE="de").get(path).content.decode()
    assert "Jetzt teilnehmen" in content
    assert "An der Videokonferenz teilnehmen" in content
    assert "(Europe/Berlin, CET)" in content or "(Europe/Berlin, CEST)" in content
