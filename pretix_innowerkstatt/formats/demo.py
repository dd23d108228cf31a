"""Demo data of this capability, seeded by `make demo` (idempotent)."""


def seed(demo):
    """Add this capability's demo data to ``demo`` (see core/demo.py); may run many times."""
