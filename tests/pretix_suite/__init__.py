"""pretix's own test suite as a guard: runs with this plugin installed and enabled (make test-pretix)."""
