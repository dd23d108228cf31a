"""The plugin's switchboard.

pretix only looks for signal receivers in ``<plugin>.signals`` via ``ready()``. Each
capability keeps its own switchboard in ``<capability>/signals.py`` that connects pretix's
signals to handlers in ``<capability>/receivers.py``; importing them here is all it takes.
"""

from .agenda import signals as agenda_signals  # NOQA: F401
from .core import signals as core_signals  # NOQA: F401
from .formats import signals as formats_signals  # NOQA: F401
from .videolinks import signals as videolinks_signals  # NOQA: F401
