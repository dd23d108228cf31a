"""Plain-text forms of an agenda, as used in mails, calendar descriptions and PDF tickets."""

from django.utils.formats import time_format

from .selection import speakers_of


def item_line(item, tz) -> str:
    """``18:10 Wir vs. Virus Hackathon – ein Best Practice (Adriana Groh)``"""
    start = time_format(item.start.astimezone(tz), "H:i")
    names = ", ".join(link.speaker.name for link in item.speaker_links.all())
    return f"{start} {item.title}" + (f" ({names})" if names else "")


def agenda_text(items, tz) -> str:
    """One line per item, in the event's timezone."""
    return "\n".join(item_line(item, tz) for item in items)


def speakers_text(items) -> str:
    """``Adriana Groh – Co-Organisatorin Wir vs. Virus Hackathon, Project Lead Prototype Fund``"""
    lines = []
    for speaker in speakers_of(items):
        role = str(speaker.role or "").strip()
        lines.append(f"{speaker.name} – {role}" if role else speaker.name)
    return "\n".join(lines)
