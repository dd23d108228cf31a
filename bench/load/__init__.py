"""Load benchmark against a real pretix: gunicorn, PostgreSQL, Redis, a Celery worker, driven by wrk.

``environment`` builds and runs the servers, ``prepare`` (run inside the bench pretix) migrates
and seeds the database, ``attendees`` fetches each attendee's CSRF token and cookie, ``wrk``
runs and parses the load tool with ``driver.lua``.
"""
