"""The installed plugin loads in the installed pretix, and its migrations fit pretix's.

Run by ``make check-wheel-oldest`` in a fresh virtualenv holding only the oldest supported pretix
and the built wheel: pretix's startup refuses a plugin whose ``compatibility`` excludes the
release, and Django's migration graph fails if a migration of ours asks for one pretix does not
have. With ``--migrate`` it also applies all migrations to a new SQLite database (about 90 s on
an idle 2-core machine, which CI leaves out).

usage: python check_install.py <expected pretix version> [--migrate]
"""

import os
import sys
import tempfile
from importlib import metadata
from pathlib import Path


def main(expected_pretix: str, migrate: bool) -> None:
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
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)  # builds the graph: fails on a missing dependency
    ours = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "pretix_innowerkstatt"]
    plan = executor.migration_plan(ours, clean_start=True)
    assert any(m.app_label == "pretix_innowerkstatt" for m, _ in plan), "no migration of the plugin planned"
    done = f"{len(plan)} migrations planned"
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
        done = f"{len(plan)} migrations applied"
    print(f"pretix-innowerkstatt {plugin.version} (wheel) loads in pretix {installed}; {done}")


if __name__ == "__main__":
    main(sys.argv[1], "--migrate" in sys.argv[2:])
