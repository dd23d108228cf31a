"""Organiser text as sanitised plain text, for files that carry text and never HTML.

Markdown is compiled and cleaned by pretix's own ``rich_text`` (the same as on every page) and
then flattened to text; whatever still looks like a tag is stripped, so no calendar, schedule
file or imported plain field ever carries markup.
"""

import functools
import html
import re
from html.parser import HTMLParser

import bleach
from pretix.base.templatetags.rich_text import rich_text

_BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr"}


class _TextExtractor(HTMLParser):
    """Text of sanitised HTML: paragraphs and line breaks kept, link targets written out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._links = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self.parts[start:]).strip()
            if href.startswith(("http://", "https://")) and href.rstrip("/") != label.rstrip("/"):
                self.parts.append(f" ({href})")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(value) -> str:
    """A plain field (title, room, name) without anything that looks like markup."""
    return _plain_text(str(value or ""))


def markdown_text(source) -> str:
    """Organiser Markdown as sanitised plain text (links as ``label (url)``, no HTML at all)."""
    return _markdown_text(str(source or ""))


# Both only depend on the text (and pretix's settings): public files render the same agenda again
# and again, and Markdown is the expensive part of them.
@functools.lru_cache(maxsize=2048)
def _plain_text(text: str) -> str:
    # bleach strips tags and escapes the rest; unescaping gives back the plain characters. Until
    # nothing changes any more: "&lt;script&gt;" unescapes to a tag, which the next round strips.
    for _round in range(5):
        cleaned = html.unescape(bleach.clean(text, tags=set(), strip=True))
        if cleaned == text:
            break
        text = cleaned
    else:
        text = text.replace("<", "").replace(">", "")  # nested deeper than anyone types
    return text.strip()


@functools.lru_cache(maxsize=2048)
def _markdown_text(source: str) -> str:
    if not source.strip():
        return ""
    extractor = _TextExtractor()
    extractor.feed(str(rich_text(source, safelinks=False)))
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return plain_text(text)
