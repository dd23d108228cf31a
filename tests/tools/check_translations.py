"""Fails when a German catalogue has untranslated or fuzzy entries."""

import sys
from pathlib import Path

import polib

CATALOGUES = ("de", "de_Informal")


def problems(locale_dir: Path):
    for lang in CATALOGUES:
        for domain in ("django", "djangojs"):
            po_path = locale_dir / lang / "LC_MESSAGES" / f"{domain}.po"
            if not po_path.exists():
                if domain == "django":
                    yield f"{po_path}: missing"
                continue
            po = polib.pofile(str(po_path))
            for entry in po.untranslated_entries():
                yield f"{po_path}: untranslated: {entry.msgid!r}"
            for entry in po.fuzzy_entries():
                yield f"{po_path}: fuzzy: {entry.msgid!r}"


if __name__ == "__main__":
    found = list(problems(Path(sys.argv[1])))
    for line in found:
        print(line)
    if found:
        sys.exit(f"{len(found)} translation problem(s)")
    print("German catalogues complete.")
