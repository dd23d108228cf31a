"""Every name of pretix, hierarkey or Django that is not public plugin API, in one place.

The plugin supports a range of pretix releases (see ``pyproject.toml``). Whatever it needs beyond
pretix's documented plugin interface (signals, models, services, ``pretix.base.settings``) is
reached through this module only, each use with a note on what it relies on. Where releases
differ, the branch lives here and nowhere else. ``tests/core/test_compat.py`` checks every
assumption against the installed pretix and fails with a message that names the one that broke.
"""

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

