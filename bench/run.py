"""``make bench``: run every scenario in bench/scenarios/ and print one table.

Scenarios run against pretix's test settings on a fresh SQLite database, with Celery eager
and no cache, so that both sides of a comparison do exactly the same work. A scenario module
exposes ``SCENARIOS`` (a list of harness.Scenario) and/or ``run_external()`` for benchmarks
that need their own servers (e.g. the gunicorn load test), which returns printable text.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.testutils.settings")


def main(selected: list[str]):
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.harness import format_table

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    import bench.scenarios as package

    results, external = [], []
    for info in pkgutil.iter_modules(package.__path__):
        if selected and not any(s in info.name for s in selected):
            continue
        module = importlib.import_module(f"bench.scenarios.{info.name}")
        for scenario in getattr(module, "SCENARIOS", []):
            print(f"running {scenario.name} …", file=sys.stderr, flush=True)
            results.append(scenario.run())
        if hasattr(module, "run_external"):
            print(f"running {info.name} (external) …", file=sys.stderr, flush=True)
            external.append(module.run_external())
    print(format_table(results))
    for text in external:
        print()
        print(text)


if __name__ == "__main__":
    main(sys.argv[1:])
