"""Demo data of this capability, seeded by `make demo` after the formats demo (idempotent).

The format "Innovationswerkstatt" is public (the formats demo does that), so its page answers;
two demo followers have followed and confirmed. Taking the next edition live in the backend
sends them the announcement, which the demo's mail sink writes to ``.demo-data/mails/``.
"""

from django.db import connection

from ..formats.demo import SLUG
from ..formats.models import Format
from .domain import following
from .interfaces.pages import public_page_url
from .models import Follower

FOLLOWERS = (("lena.schmidt@verein.example", "de"), ("sam.taylor@civic.example", "en"))


def seed(demo):
    if Follower._meta.db_table not in connection.introspection.table_names():
        demo.lines.append("Followers: skipped, the plugin's tables are missing (migrations not generated yet).")
        return
    fmt = Format.objects.filter(organizer=demo.organizer, slug=SLUG).first()
    if fmt is None or not fmt.public:
        demo.lines.append("Followers: skipped, the demo format is missing or not public.")
        return
    for email, locale in FOLLOWERS:
        follower = following.follow(fmt, email, locale)
        if follower is not None:
            following.confirm(follower)
    next_edition = fmt.editions.filter(event__live=False).select_related("event").order_by("rule_start").first()
    demo.lines.append(f"Followers: {len(FOLLOWERS)} confirmed; public page {public_page_url(fmt)}")
    if next_edition is not None:
        demo.lines.append(
            f"           take {next_edition.event.slug} live in the backend: both get the announcement "
            "in .demo-data/mails/"
        )
