"""The demo command creates a superuser with a known password: only on a demo installation."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled
from pretix.base.models import Organizer, User

from pretix_innowerkstatt.core import demo as core_demo


@pytest.mark.django_db
def test_demo_command_refuses_to_create_the_known_superuser_without_debug_or_confirmation(settings):
    settings.DEBUG = False
    # pretix's own migrations create admin@localhost on a migrated database (PostgreSQL suite),
    # so the check is that the refused command changed no user, not that none exists.
    users_before = list(User.objects.order_by("pk").values_list("email", "password", "is_staff"))
    with pytest.raises(CommandError, match="--yes-i-am-a-demo"):
        call_command("innowerkstatt_demo", stdout=io.StringIO())
    assert list(User.objects.order_by("pk").values_list("email", "password", "is_staff")) == users_before
    with scopes_disabled():
        assert not Organizer.objects.filter(slug="innovationsbuero").exists()


@pytest.mark.django_db
def test_demo_command_runs_when_confirmed_as_a_demo(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("innowerkstatt_demo", "--yes-i-am-a-demo", stdout=out)
    assert User.objects.get(email=core_demo.ADMIN_EMAIL).is_staff
    assert f"{core_demo.ADMIN_EMAIL} / {core_demo.ADMIN_PASSWORD}" in out.getvalue()


@pytest.mark.django_db
def test_demo_command_runs_in_debug_mode_without_confirmation(settings):
    settings.DEBUG = True
    call_command("innowerkstatt_demo", stdout=io.StringIO())
    assert User.objects.filter(email=core_demo.ADMIN_EMAIL).exists()
