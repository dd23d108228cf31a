"""Meeting services that sign each join at click time: BigBlueButton and Jitsi with JWT.

Both implement ``domain.providers.Provider`` and are registered there. Each computes the
redirect for an attendee (``join_url``) and for a host (``host_join_url``, as moderator).
"""
