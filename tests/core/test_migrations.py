"""Every model change comes with its migration."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from pretix.base.management.commands._migrations import monkeypatch_migrations


@pytest.mark.django_db
def test_models_and_migrations_agree():
    if not isinstance(settings.MIGRATION_MODULES, dict):
        pytest.skip("this run builds tables without migrations; make test-postgres applies them")
    # As pretix's makemigrations does: ignore purely cosmetic field attributes.
    monkeypatch_migrations()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(graph=loader.graph)
    # Only our app: pretix's own models may differ slightly from its migrations, which is pretix's business.
    assert "pretix_innowerkstatt" not in changes, [
        op.describe() for m in changes["pretix_innowerkstatt"] for op in m.operations
    ]
