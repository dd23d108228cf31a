"""Fails when the built sdist or wheel lacks templates, static files or compiled translations."""

import sys
import tarfile
import zipfile
from pathlib import Path

REQUIRED_IN_WHEEL = {
    "templates": "pretix_innowerkstatt/templates/pretix_innowerkstatt/",
    "static files": "pretix_innowerkstatt/static/pretix_innowerkstatt/",
    "German catalogue (compiled)": "pretix_innowerkstatt/locale/de/LC_MESSAGES/django.mo",
    "informal German catalogue (compiled)": "pretix_innowerkstatt/locale/de_Informal/LC_MESSAGES/django.mo",
    "migrations": "pretix_innowerkstatt/migrations/0001_initial.py",
    "entry point": "entry_points.txt",
}
REQUIRED_IN_SDIST = {
    "templates": "pretix_innowerkstatt/templates/pretix_innowerkstatt/",
    "static files": "pretix_innowerkstatt/static/pretix_innowerkstatt/",
    "German catalogue (source)": "pretix_innowerkstatt/locale/de/LC_MESSAGES/django.po",
}


def missing(names, required):
    return [label for label, needle in required.items() if not any(needle in n for n in names)]


def main(dist: Path):
    wheels = list(dist.glob("*.whl"))
    sdists = list(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        sys.exit(f"expected one wheel and one sdist in {dist}, found {wheels + sdists}")
    wheel_names = zipfile.ZipFile(wheels[0]).namelist()
    sdist_names = tarfile.open(sdists[0]).getnames()
    errors = [f"wheel lacks {x}" for x in missing(wheel_names, REQUIRED_IN_WHEEL)]
    errors += [f"sdist lacks {x}" for x in missing(sdist_names, REQUIRED_IN_SDIST)]
    entry_points = next(n for n in wheel_names if n.endswith("entry_points.txt"))
    if b"pretix_innowerkstatt" not in zipfile.ZipFile(wheels[0]).read(entry_points):
        errors.append("wheel has no pretix.plugin entry point")
    for e in errors:
        print(e)
    if errors:
        sys.exit(1)
    print(f"{wheels[0].name}: {len(wheel_names)} files, {sdists[0].name}: {len(sdist_names)} files - complete")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
