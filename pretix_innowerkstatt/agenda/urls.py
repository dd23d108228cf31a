urlpatterns = []
event_patterns = []
organizer_patterns = []
