"""Django looks for an app's models here; each capability defines its own."""

from .agenda.models import *  # NOQA: F401,F403
from .followers.models import *  # NOQA: F401,F403
from .formats.models import *  # NOQA: F401,F403
from .slots.models import *  # NOQA: F401,F403
from .videolinks.models import *  # NOQA: F401,F403
from .workgroups.models import *  # NOQA: F401,F403
