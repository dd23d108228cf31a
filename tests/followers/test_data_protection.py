"""Erasure and export of followers through pretix's own shredder and exporter machinery."""

import csv
import io
import json
import zipfile

import pytest
from django_scopes import scopes_disabled
from pretix.base.models import CachedFile, Team
from pretix.base.services import shredder
from rest_framework.test import APIClient

from pretix_innowerkstatt.followers.domain.attribution import META_KEY
from pretix_innowerkstatt.followers.models import Announcement, Attribution, Follower
from tests.videolinks.conftest import place_order

from .helpers import confirmed


@pytest.fixture
def attributed_order(edition):
    (follower,) = confirmed(edition.format, "ada@example.org")
    with scopes_disabled():
        announcement = Announcement.objects.create(edition=edition, follower=follower)
        edition.event.presale_start = None
        edition.event.save()
        item = edition.event.items.get()
    order = place_order(edition.event, item, [("Ada", None)], email="ada@example.org", provider="free")
    with scopes_disabled():
        Attribution.objects.create(order=order, edition=edition, announcement=announcement)
        order.meta_info = json.dumps({**order.meta_info_data, META_KEY: "1:signed"})
        order.save(update_fields=["meta_info"])
    return order


@pytest.mark.django_db
def test_pretix_shredder_removes_followers_and_attribution_tokens(edition, attributed_order):
    event = edition.event
    with scopes_disabled():
        assert "innowerkstatt_followers" in event.get_data_shredders()
        file_id = shredder.export.apply(kwargs={"event": event.pk, "shredders": ["innowerkstatt_followers"]}).get()
        with zipfile.ZipFile(CachedFile.objects.get(pk=file_id).file.file) as archive:
            exported = json.loads(archive.read("innowerkstatt-followers.json"))
            code = archive.read("CONFIRM_CODE.txt").decode()
        assert [f["email"] for f in exported] == ["ada@example.org"]
        shredder.shred.apply(kwargs={"event": event.pk, "fileid": file_id, "confirm_code": code}).get()
        assert not Follower.objects.filter(format=edition.format).exists()
        assert not Attribution.objects.exists()
        attributed_order.refresh_from_db()
        assert META_KEY not in attributed_order.meta_info_data


# transaction=True: on PostgreSQL pretix's export task sets its transaction's isolation level first.
@pytest.mark.django_db(transaction=True)
def test_pretix_exporter_lists_followers_with_consent_time_and_text(edition, organizer, admin_user):
    confirmed(edition.format, "ada@example.org")
    with scopes_disabled():
        token = Team.objects.get(organizer=organizer).tokens.create(name="export")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    base = f"/api/v1/organizers/{organizer.slug}/exporters/innowerkstatt_followers/"
    assert client.get(base).status_code == 200
    response = client.post(base + "run/", {"_format": "default"}, format="json")
    assert response.status_code == 202, response.content
    download = client.get(response.data["download"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Format", "Email"]
    assert rows[1][0:2] == ["innowerkstatt", "ada@example.org"]
    assert rows[1][5] == "I agree."
    assert rows[1][4].startswith("20")  # the consent time


@pytest.mark.django_db
def test_formats_api_shows_confirmed_and_pending_follower_counts(edition, organizer, admin_user):
    confirmed(edition.format, "a@example.org", "b@example.org")
    with scopes_disabled():
        Follower.objects.create(
            format=edition.format, email="c@example.org", locale="en", consent_text="x", consent_at=edition.created
        )
        token = Team.objects.get(organizer=organizer).tokens.create(name="api")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.token}")
    listing = client.get(f"/api/v1/organizers/{organizer.slug}/innowerkstatt/formats/").data["results"]
    assert (listing[0]["followers_confirmed"], listing[0]["followers_pending"]) == (2, 1)
    single = client.get(f"/api/v1/organizers/{organizer.slug}/innowerkstatt/formats/innowerkstatt/").data
    assert (single["followers_confirmed"], single["followers_pending"]) == (2, 1)
