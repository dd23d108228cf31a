"""The installed plugin loads in the installed pretix, whose migrations and ours then apply.

Run by ``make check-wheel-oldest`` in a fresh virtualenv holding only the oldest supported pretix
and the built wheel: pretix's startup refuses a plugin whose ``compatibility`` excludes the
release, and ``migrate`` fails if a migration of ours asks for one pretix does not have yet.

usage: python check_install.py <expected pretix version>
"""

import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path


def main(expected_pretix: str) -> None:
    installed = metadata.version("pretix")
    assert installed == expected_pretix, f"pretix {installed} installed, expected {expected_pretix}"
    plugin = metadata.distribution("pretix-innowerkstatt")
    assert "site-packages" in str(plugin.locate_file("pretix_innowerkstatt")), "the plugin is not installed as a wheel"
    data = Path(tempfile.mkdtemp(prefix="innowerkstatt-wheel-check-"))
    config = data / "pretix.cfg"
    config.write_text(f"[pretix]\ndatadir={data}\n\n[database]\nbackend=sqlite3\n")
    os.environ["PRETIX_CONFIG_FILE"] = str(config)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pretix.settings"

    import django

    django.setup()  # pretix's PluginConfig exits here on an incompatible release
    from django.core.management import call_command
    from pretix.base.plugins import get_all_plugins

    assert "pretix_innowerkstatt" in {p.module for p in get_all_plugins()}, "pretix does not list the plugin"
    call_command("migrate", verbosity=0, interactive=False)
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder.Migration.objects.filter(app="pretix_innowerkstatt").count()
    assert applied, "no migration of the plugin applied"
    print(f"pretix-innowerkstatt {plugin.version} (wheel) loads in pretix {installed}; {applied} migrations applied")


if __name__ == "__main__":
    main(sys.argv[1])
