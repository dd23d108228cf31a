"""The demo's line that shows the work-phase redirect (`make demo`): a command with the clock inside the work phase.

Call ``seed(demo)`` after the groups' demo data (workgroups/demo.py) and the video links' demo order
(Ada Lovelace's ticket). It adds nothing to the database, only the line.
"""

import datetime
import os
import shlex
import sys

from django.utils.timezone import localtime

from ..videolinks.demo import DEMO_EMAIL
from .domain.selection import group_of

COMMAND = "python -m pretix innowerkstatt_join_preview"


def runner() -> str:
    """How to run pretix's commands against this installation.

    ``make demo`` runs pretix with its own configuration file (``PRETIX_CONFIG_FILE``) and the
    project's virtualenv: the printed command carries both, so that it works when pasted into
    another terminal in the project's directory. Elsewhere, pretix's plain ``python -m pretix``.
    """
    config = os.environ.get("PRETIX_CONFIG_FILE")
    if not config:
        return COMMAND
    python = os.path.relpath(sys.executable)
    return f"PRETIX_CONFIG_FILE={shlex.quote(config)} {shlex.quote(python)}{COMMAND.removeprefix('python')}"


def preview_command(event, position, at) -> str:
    moment = localtime(at, event.timezone).strftime("%Y-%m-%d %H:%M")
    return (
        f"{runner()} --organizer {event.organizer.slug} --event {event.slug} --order {position.order.code} "
        f'--position {position.positionid} --at "{moment}"'
    )


def seed(demo):
    event = demo.innowerkstatt
    order = event.orders.filter(email=DEMO_EMAIL).order_by("pk").first()
    position = order.positions.order_by("positionid").first() if order else None
    group = group_of(position) if position else None
    if group is None:
        return
    at = group.item.start + datetime.timedelta(minutes=5)
    demo.lines.append(
        f"Work-phase join (clock at {localtime(at, event.timezone):%H:%M}, {group.name}): "
        f"{preview_command(event, position, at)}"
    )
