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
