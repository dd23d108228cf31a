"""Plain-text forms of an agenda, as used in mails, calendar descriptions and PDF tickets.

They take an ``agenda_outline`` (start, title, people): one query of plain rows is all they need.
"""

from .selection import people_of


def outline_rows(outline, tz) -> list[tuple[str, str, str]]:
    """``("18:10", "Wir vs. Virus Hackathon – ein Best Practice", "Adriana Groh")`` per item, texts unescaped."""
    # strftime: the same as Django's "H:i" time format, without its formatter per line.
    return [
        (item.start.astimezone(tz).strftime("%H:%M"), str(item.title), ", ".join(p.name for p in item.people))
        for item in outline
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
