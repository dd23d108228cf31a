"""A provider that signs each attendee's URL with a secret of its own: a small, declared addition."""

import datetime
import hashlib
import hmac
from decimal import Decimal
from urllib.parse import quote

import pytest
from django import forms
from django.core import mail as djmail
from django.test import Client
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled
from freezegun import freeze_time
from pretix.base.forms import SECRET_REDACTED, SecretKeySettingsField
from pretix.base.models import LogEntry

from pretix_innowerkstatt.videolinks.domain import providers
from pretix_innowerkstatt.videolinks.domain.links import join_path

from .conftest import MEETING_URL, mark_paid, place_order

BASE = "/control/event/innovationsbuero/innowerkstatt/innowerkstatt/video/"
SECRET = "bbb-shared-secret-4711"
SIGNED_HOST = "https://signed.example.org/"


class FakeSignedProvider(providers.Provider):
    """Signs the meeting URL per attendee with a shared secret, like a BigBlueButton join call."""

    identifier = "fakesigned"
    verbose_name = _("Signed test service")
    settings_fields = {
        "salt": SecretKeySettingsField(label="Shared salt of the test service", required=True),
        "role": forms.CharField(label="Role", required=False),
    }
    calls = []

    def join_url(self, config, position):
        self.calls.append((config, position))
        query = f"meeting={quote(config.join_url, safe='')}&user={position.pk}&role={config.provider_settings['role']}"
        checksum = hmac.new(config.provider_settings["salt"].encode(), query.encode(), hashlib.sha256).hexdigest()
        return f"{SIGNED_HOST}join?{query}&checksum={checksum}"


@pytest.fixture
def signed_provider():
    providers.register(FakeSignedProvider)
    FakeSignedProvider.calls = []
    yield providers.registry[FakeSignedProvider.identifier]
    del providers.registry[FakeSignedProvider.identifier]


def settings_form(**changes):
    data = {
        "join_url": MEETING_URL,
        "provider": "fakesigned",
        "fakesigned_salt": SECRET,
        "fakesigned_role": "VIEWER",
        "opens_minutes_before": "30",
        "instructions_0": "",
        "instructions_1": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_providers_own_settings_appear_in_the_form_and_are_stored_masked(
    admin_client, configured_event, signed_provider
):
    page = admin_client.get(BASE).content.decode()
    assert 'value="fakesigned"' in page and "Signed test service" in page
    assert 'name="fakesigned_salt"' in page and "Shared salt of the test service" in page

    response = admin_client.post(BASE, settings_form(fakesigned_salt=""), follow=True)
    assert "This field is required for the chosen meeting service." in response.content.decode()
    assert admin_client.post(BASE, settings_form()).status_code == 302
    with scopes_disabled():
        assert configured_event.settings.get("innowerkstatt_video_fakesigned_salt") == SECRET
        assert configured_event.settings.get("innowerkstatt_video_provider") == "fakesigned"
        [entry] = LogEntry.objects.filter(action_type="pretix_innowerkstatt.videolinks.settings.changed").order_by(
            "-pk"
        )[:1]
        # Masked by the plugin (pretix itself only masks names with "secret", "password" or "api_key").
        assert SECRET not in entry.data and entry.parsed_data["fakesigned_salt"] == "•••"
        assert entry.parsed_data["fakesigned_role"] == "VIEWER"

    page = admin_client.get(BASE).content.decode()
    assert SECRET not in page and SECRET_REDACTED in page  # shown masked, like pretix's own secrets
    admin_client.post(BASE, settings_form(fakesigned_salt=SECRET_REDACTED, fakesigned_role="MODERATOR"))
    with scopes_disabled():
        assert configured_event.settings.get("innowerkstatt_video_fakesigned_salt") == SECRET  # kept
        assert configured_event.settings.get("innowerkstatt_video_fakesigned_role") == "MODERATOR"


@pytest.mark.django_db
def test_join_post_calls_the_provider_at_click_time_and_mails_never_carry_its_url(
    admin_client, configured_event, item, signed_provider
):
    admin_client.post(BASE, settings_form())
    with scopes_disabled():
        configured_event.settings.attendee_emails_asked = True
        paid_item = configured_event.items.create(name="Ticket", default_price=Decimal("10.00"), admission=True)
        configured_event.quotas.first().items.add(paid_item)
        configured_event.organizer.enable_plugin("pretix.plugins.banktransfer")
        configured_event.organizer.save()
    order = place_order(configured_event, paid_item, [("Ada Lovelace", "ada@example.org")])
    djmail.outbox.clear()
    mark_paid(order)
    assert djmail.outbox, "the paid confirmation"
    assert FakeSignedProvider.calls == []  # nothing signed while mailing
    for message in djmail.outbox:
        assert "/innowerkstatt/join/" in message.body
        assert SIGNED_HOST not in message.body and MEETING_URL not in message.body
        assert SIGNED_HOST not in message.alternatives[0][0].get_payload()[0].get_payload(decode=True).decode()

    with scopes_disabled():
        position = order.positions.get()
        path = join_path(position)
    with freeze_time(configured_event.date_from - datetime.timedelta(minutes=5)):
        response = Client().post(path)
    assert response.status_code == 302
    [(config, called_with)] = FakeSignedProvider.calls
    assert called_with.pk == position.pk and called_with.order.code == order.code
    assert config.provider_settings == {"salt": SECRET, "role": "VIEWER"}
    query = f"meeting={quote(MEETING_URL, safe='')}&user={position.pk}&role=VIEWER"
    expected = hmac.new(SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()
    assert response["Location"] == f"{SIGNED_HOST}join?{query}&checksum={expected}"
