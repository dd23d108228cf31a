"""make test-pretix: a subset of pretix's own test suite with this plugin enabled everywhere.

pretix's source distribution ships its tests (``src/tests``). This script fetches the one of the
installed pretix release into ``.cache/pretix-src/<version>/`` (once; pip, no build), then runs
the subsets below there with pretix's own conftest and pytest configuration, plus
``plugin.py`` of this folder, which enables the plugin on every organiser and event and marks
the tests of ``allowlist.txt`` as expected failures. Any other failure fails the run.

usage: python tests/pretix_suite/run.py [pytest options, e.g. -n 2] [tests/… of pretix instead of all subsets]
"""

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pretix

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "pretix-src"

# What pretix does on the pages, mails, files and APIs the plugin hooks into.
SUBSETS = {
    "presale event, checkout and order pages": [
        "tests/presale/test_event.py",
        "tests/presale/test_checkout.py",
        "tests/presale/test_orders.py",
    ],
    "mails and placeholders": ["tests/base/test_mail.py", "tests/control/test_mail_settings_preview.py"],
    "sendmail": ["tests/plugins/sendmail", "tests/api/test_sendmail.py"],
    "event copy and clone (API and control)": [
        "tests/base/test_event_clone.py",
        "tests/api/test_events.py",
        "tests/control/test_events.py",
    ],
    "order creation API": ["tests/api/test_order_create.py"],
    "ticket and badge PDF output": ["tests/plugins/ticketoutputpdf", "tests/plugins/badges"],
    "check-in API": ["tests/api/test_checkin.py"],
    "dates (API and control)": ["tests/api/test_subevents.py", "tests/control/test_subevents.py"],
}


def pretix_source(version: str) -> Path:
    """``src/`` of pretix's source distribution for ``version``, downloaded and unpacked once."""
    target = CACHE / version
    src = target / f"pretix-{version}" / "src"
    if (src / "tests" / "conftest.py").exists():
        return src
    target.mkdir(parents=True, exist_ok=True)
    # --no-build-isolation: pip prepares the metadata with this environment (pretix's own
    # dependencies and tomli), instead of installing all of them again into an isolated one.
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-binary", "pretix", f"pretix=={version}", "--dest", str(target)],
        check=True,
    )  # fmt: skip
    # Only the tests and pytest's configuration: pretix itself must come from the environment.
    wanted = (f"pretix-{version}/src/tests/", f"pretix-{version}/src/setup.cfg")
    with tarfile.open(target / f"pretix-{version}.tar.gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(wanted)]
        archive.extractall(target, members=members, filter="data")
    return src


def main(args: list[str]) -> int:
    src = pretix_source(pretix.__version__)
    chosen = [arg for arg in args if arg.startswith("tests/")]
    paths = chosen or [path for subset in SUBSETS.values() for path in subset]
    args = [arg for arg in args if arg not in chosen]
    # tests/ of this repository, for pretix_suite.plugin and .settings; pretix's "tests" package
    # comes first from pytest's rootdir (src/).
    pythonpath = [str(REPO / "tests"), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, pythonpath)))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "pytest", "-p", "pretix_suite.plugin", "--ds", "pretix_suite.settings",
               "-p", "no:cacheprovider", "-q",
               # pretix's setup.cfg configures pytest-asyncio, which the subsets do not need
               "-W", "ignore:Unknown config option:pytest.PytestConfigWarning", "-rfE", *args, *paths]  # fmt: skip
    print(f"pretix {pretix.__version__} test subsets in {src}:", ", ".join(SUBSETS), flush=True)
    return subprocess.run(command, cwd=src, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
