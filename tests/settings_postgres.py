"""pretix's test settings on the PostgreSQL server this machine runs, with real migrations.

pretix's own test settings use SQLite and skip migrations; this module keeps everything else
and applies every migration, pretix's and the plugin's, as a production upgrade would.
"""

import os

from pretix.testutils.settings import *  # NOQA: F401,F403
from pretix.testutils.settings import DATABASES

DATABASES["default"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": os.environ.get("INNOWERKSTATT_PG_NAME", "test"),
    "USER": os.environ.get("INNOWERKSTATT_PG_USER", "postgres"),
    "PASSWORD": os.environ.get("INNOWERKSTATT_PG_PASSWORD", ""),
    "HOST": os.environ.get("INNOWERKSTATT_PG_HOST", "127.0.0.1"),
    "PORT": os.environ.get("INNOWERKSTATT_PG_PORT", "5432"),
    "CONN_MAX_AGE": 0,
    "TEST": {},
}

MIGRATION_MODULES = {}

if os.environ.get("INNOWERKSTATT_PG_SKIP_MIGRATIONS"):
    # Faster local runs while models are still moving: tables straight from the models.
    from pretix.testutils.settings import DisableMigrations

    MIGRATION_MODULES = DisableMigrations()
