"""Every name of pretix, hierarkey or Django that is not public plugin API, in one place.

The plugin supports a range of pretix releases (see ``pyproject.toml``). Whatever it needs beyond
pretix's documented plugin interface (signals, models, services, ``pretix.base.settings``) is
reached through this module only, each use with a note on what it relies on. Where releases
differ, the branch lives here and nowhere else. ``tests/core/test_compat.py`` checks every
assumption against the installed pretix and fails with a message that names the one that broke.
"""
