"""Plain-text forms of an agenda, as used in mails, calendar descriptions and PDF tickets.

They take an ``agenda_outline`` (start, title, people): one query of plain rows is all they need.
Times are in the language's own format (``core.dates``), as on the event page.
"""

from ...core.dates import date_and_time, time_of_day
from .selection import people_of


def opens_a_day(starts) -> list[bool]:
    """Per local start: whether it is the first of its day in an agenda over several days."""
    if len({start.date() for start in starts}) < 2:
        return [False] * len(starts)
    return [index == 0 or starts[index - 1].date() != start.date() for index, start in enumerate(starts)]


def outline_rows(outline, tz) -> list[tuple[str, str, str]]:
    """``("18:10", "Wir vs. Virus Hackathon – ein Best Practice", "Adriana Groh")`` per item, texts unescaped.

    An agenda over several days names the day at the first item of each day
    ("Dec. 5, 2026, 09:00" / "5. Dezember 2026, 09:00"), so no time stands without its day.
    """
    starts = [item.start.astimezone(tz) for item in outline]
    return [
        (
            date_and_time(start) if new_day else time_of_day(start),
            str(item.title),
            ", ".join(p.name for p in item.people),
        )
        for item, start, new_day in zip(outline, starts, opens_a_day(starts), strict=True)
    ]


def agenda_text(outline, tz) -> str:
    """One line per item in the event's timezone: ``18:10 Wir vs. Virus – ein Best Practice (Adriana Groh)``"""
    return "\n".join(
        f"{time} {title} ({names})" if names else f"{time} {title}" for time, title, names in outline_rows(outline, tz)
    )


def speaker_lines(outline) -> list[tuple[str, str]]:
    """``(name, role)`` of each person once, role as text (may be empty)."""
    return [(person.name, str(person.role or "").strip()) for person in people_of(outline)]


def speakers_text(outline) -> str:
    """``Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund``"""
    return "\n".join(f"{name} – {role}" if role else name for name, role in speaker_lines(outline))
