"""The maintainer generates migrations from these models: every field must be serialisable."""

from django.db.migrations.writer import MigrationWriter

from pretix_innowerkstatt.formats.models import Edition, Format


def test_fields_and_constraints_can_be_written_into_a_migration():
    for model in (Format, Edition):
        for field in model._meta.concrete_fields:
            MigrationWriter.serialize(field.deconstruct()[3])  # raises ValueError if not
        for constraint in model._meta.constraints:
            MigrationWriter.serialize(constraint)
    assert [tuple(c.fields) for c in Edition._meta.constraints] == [("format", "key")]


def test_new_format_gets_the_default_name_pattern():
    assert Format().name_pattern.localize("de") == "{name} {quarter}/{year}"
