"""Imported by ``PluginApp.ready()``: everything that registers itself with pretix or with core.

pretix finds a plugin's signal receivers by importing ``<plugin>.signals``. Each capability
keeps its receivers (``@receiver`` functions) in its own ``signals.py``; its ``overview.py``
registers its card on the plugin's overview page with ``core.overview``. This module only
imports them, so that core never has to import a capability.
"""

from .agenda import overview as agenda_overview  # NOQA: F401
from .agenda import signals as agenda_signals  # NOQA: F401
from .core import signals as core_signals  # NOQA: F401
from .followers import signals as followers_signals  # NOQA: F401
from .formats import overview as formats_overview  # NOQA: F401
from .formats import signals as formats_signals  # NOQA: F401
from .slots import overview as slots_overview  # NOQA: F401
from .slots import signals as slots_signals  # NOQA: F401
from .videolinks import overview as videolinks_overview  # NOQA: F401
from .videolinks import signals as videolinks_signals  # NOQA: F401
from .workgroups import overview as workgroups_overview  # NOQA: F401
from .workgroups import signals as workgroups_signals  # NOQA: F401
