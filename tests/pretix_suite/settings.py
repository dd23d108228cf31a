"""pretix's own test settings (``tests.settings`` of pretix's source) with this plugin installed.

pretix's test settings remove every installed plugin from ``INSTALLED_APPS`` so that its suite
sees pretix alone; the guard puts this one back. ``plugin.py`` enables it on every organiser
and event the tests create.
"""

from tests.settings import *  # NOQA: F401,F403 - pretix's tests package, not ours
from tests.settings import INSTALLED_APPS

INSTALLED_APPS.append("pretix_innowerkstatt")
