"""URL configuration, assembled from each capability's ``urls.py``.

pretix mounts ``urlpatterns`` (backend and API) at the root, ``event_patterns`` under
``/<organizer>/<event>/`` and ``organizer_patterns`` under ``/<organizer>/``; the latter two
answer 404 unless the plugin is active there.
"""

from .agenda import urls as agenda
from .core import urls as core
from .followers import urls as followers
from .formats import urls as formats
from .slots import urls as slots
from .videolinks import urls as videolinks
from .workgroups import urls as workgroups

# videolinks first: its first root route is the join POST on the main domain, which Django and
# pretix's middlewares resolve four times per request, each trying every route before it.
_capabilities = (videolinks, core, agenda, formats, followers, slots, workgroups)

urlpatterns = [p for c in _capabilities for p in getattr(c, "urlpatterns", [])]
event_patterns = [p for c in _capabilities for p in getattr(c, "event_patterns", [])]
organizer_patterns = [p for c in _capabilities for p in getattr(c, "organizer_patterns", [])]
