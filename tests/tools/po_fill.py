"""Fill German translations into both catalogues from a JSON file.

The JSON maps an English msgid to either one string (used for ``de`` and ``de_Informal``)
or to ``{"de": "...", "de_Informal": "..."}`` where the informal "du" differs from "Sie".
Plural entries take ``{"de": ["Einzahl", "Mehrzahl"], ...}`` or a two-element list.
Entries are matched by msgid (and msgctxt, written as "context\\u0004msgid").
Run ``make localegen`` first so that the msgids exist; fuzzy flags of filled entries are removed.
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "pretix_innowerkstatt" / "locale"


def fill(mapping: dict) -> dict:
    counts = {}
    for lang in ("de", "de_Informal"):
        for domain in ("django", "djangojs"):
            path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                continue
            po = polib.pofile(str(path))
            filled = 0
            for entry in po:
                key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
                if key not in mapping:
                    continue
                value = mapping[key]
                if isinstance(value, dict):
                    value = value.get(lang, value.get("de"))
                if entry.msgid_plural:
                    singular, plural = value if isinstance(value, list) else (value, value)
                    entry.msgstr_plural = {0: singular, 1: plural}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                    entry.previous_msgid_plural = None  # a lone "#| msgid_plural" is a syntax error for msgfmt
                    entry.previous_msgctxt = None
                filled += 1
            po.metadata["Language"] = lang
            po.metadata["Project-Id-Version"] = "pretix-innowerkstatt"
            po.metadata["Language-Team"] = "German" if lang == "de" else "German (informal)"
            po.metadata_is_fuzzy = False
            po.save(str(path))
            counts[f"{lang}/{domain}"] = filled
    return counts


if __name__ == "__main__":
    data = {}
    for name in sys.argv[1:]:
        data.update(json.loads(Path(name).read_text(encoding="utf-8")))
    print(fill(data))
