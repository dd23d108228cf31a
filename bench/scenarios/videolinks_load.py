"""Event start: a whole audience POSTs to its personal join links in the same minute.

pretix runs as in production (gunicorn with 4 workers, PostgreSQL, Redis for cache and sessions,
a Celery worker for the check-ins, which each join only notes in Redis for one deferred batch per
event); wrk drives it from loopback. 1,000 paid
attendees first open their join page (CSRF cookie and token), and 100 of them join once,
unmeasured, with their check-ins recorded (warm-up). Then bursts alternate: all 1,000
attendees POST to their join link once each, as fast as 20 connections allow, and 1,000 GETs of
pretix's own ``/healthcheck/`` with the same connections. Before each burst of joins the event
is back at its start (no check-ins, no rate-limit counters); after it, the Celery worker records
the check-ins (its batch starts a few seconds after the first join) before anything else is
measured, and their number is checked.

Goals (issue, section 9): zero errors, p99 < 500 ms, join throughput >= 70 % of healthcheck (the
median of the rounds' ratios: each round's join and healthcheck bursts run back to back),
1,000 distinct attendees joined within 10 seconds; and (issue 10, section 6) all their check-ins
recorded within 15 seconds of the last redirect (the check-in lag).

The work-phase burst (issue 12, section 6): a second event whose work phase runs now, 1,000
attendees in 10 groups, each group with its own meeting URL (generic provider); the same bursts
against ``/healthcheck/``, the same goals as the main burst (zero errors, p99 < 500 ms, >= 70 % of
healthcheck), and every redirect must lead into a group room (driver.lua counts the Location
headers per room). ``INNOWERKSTATT_LOAD_PROVIDERS`` (comma-separated) picks scenarios:
``generic``, ``jitsi``, ``bigbluebutton``, ``workgroups``; empty: all of them.
"""

import os
import statistics
import sys
import time

from bench.load import attendees, wrk
from bench.load.attendees import PageError
from bench.load.environment import GUNICORN_WORKERS, BenchEnvironment, ServerError
from bench.load.prepare import BBB_SECRET, WORK_GROUPS
from pretix_innowerkstatt.videolinks.domain.pending import FLUSH_DELAY_SECONDS, QUIET_SECONDS, SHARDS

# Fewer attendees or rounds for a quick look (smoke run), never for the README.
ATTENDEES = int(os.environ.get("INNOWERKSTATT_LOAD_ATTENDEES", 1000))
ROUNDS = int(os.environ.get("INNOWERKSTATT_LOAD_ROUNDS", 3))  # fewer for a quick look, never for the README
WARM_UP_ATTENDEES = min(100, ATTENDEES)  # join once before the measured rounds (_warm_up)
GOAL_SECONDS = 10
GOAL_P99_MS = 500
GOAL_RATIO = 0.70
GOAL_CHECKIN_LAG_SECONDS = 15
# The signed providers (issue 11, section 4): zero errors, p99 < 500 ms, >= 0.6 x /healthcheck/.
GOAL_RATIO_SIGNED = 0.60
PROVIDER_TITLES = {
    "generic": "generic provider (the meeting URL as it is)",
    "jitsi": "Jitsi with JWT (a token signed per POST, HS256)",
    "bigbluebutton": "BigBlueButton (create once per meeting and worker on the local stand-in server, signed join URL)",
}
SCENARIO_TITLES = {
    **PROVIDER_TITLES,
    "workgroups": f"work phase: attendees in {WORK_GROUPS} groups, each with its own meeting URL (generic provider)",
}


def _status(text: str):
    print(f"  videolinks_load: {text}", file=sys.stderr, flush=True)


def run_external() -> str:
    title = (
        f"videolinks: {ATTENDEES:,} attendees join at the start — gunicorn ({GUNICORN_WORKERS} workers, keep-alive), "
        f"PostgreSQL, Redis, Celery worker; wrk {wrk.THREADS} threads / {wrk.CONNECTIONS} connections; "
        f"{ROUNDS} alternating bursts of {ATTENDEES:,} requests each, medians"
    )
    if not wrk.available():
        return f"{title}\n  not run: wrk is not installed (`make bench-deps` installs it)"
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    env = BenchEnvironment()
    try:
        with env:
            try:
                text = _measure(env)
            except Exception:
                env.failed = True  # keep the logs
                raise
    except (ServerError, PageError, wrk.WrkError) as e:
        return f"{title}\n  FAILED: {e}\n  (logs kept in {env.dir})"
    return (
        f"{title}\n{text}\n  (whole benchmark: {time.monotonic() - started:.0f} s; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs)"
    )


def _measure(env: BenchEnvironment) -> str:
    env.ensure_database()
    env.flush_redis()
    _status("migrating and seeding the benchmark database …")
    scenarios = _providers()
    work = ["--workgroups", str(WORK_GROUPS)] if "workgroups" in scenarios else []
    prepared = env.run_prepare("--attendees", str(ATTENDEES), *work)
    _status("starting gunicorn and the Celery worker …")
    env.start()
    env.wait_for_tasks()  # what seeding queued (pretix's ticket cache after new group members)
    wrk.healthcheck(env.base_url, ATTENDEES)  # warm-up
    if not prepared["available"]:
        health = [wrk.healthcheck(env.base_url, ATTENDEES) for _ in range(ROUNDS)]
        return "\n".join([_table([("/healthcheck/", health)]), f"  {prepared['reason']}: join POSTs not measured"])

    sections = []
    if any(s in PROVIDER_TITLES for s in scenarios):
        _status(f"{ATTENDEES:,} attendees open their join pages …")
        attendees_file = attendees.prefetch(env.port, prepared["paths"], env.dir / "attendees.tsv")
    for provider in scenarios:
        if provider == "workgroups":
            _status(f"{ATTENDEES:,} attendees of the work-phase event open their join pages …")
            work_file = attendees.prefetch(env.port, prepared["work"]["paths"], env.dir / "attendees-work.tsv")
            rooms = prepared["work"]["rooms"]
            sections.append(_rounds(env, provider, work_file, prepared["work"]["checkin_list"], rooms))
            continue
        if provider != "generic":
            switch = ["--attendees", str(ATTENDEES), "--provider-only", "--provider", provider]
            if provider == "bigbluebutton":
                switch += ["--bbb-url", env.start_bbb(BBB_SECRET)]
            env.run_prepare(*switch)
        sections.append(_rounds(env, provider, attendees_file, prepared["checkin_list"]))
    lines = []
    for provider, text in zip(scenarios, sections, strict=True):
        lines += ["", f"  {SCENARIO_TITLES[provider]}", text]
    if env.failed:
        lines.append(f"  Logs of the servers kept in {env.dir}")
    return "\n".join(lines[1:])


def _providers() -> list[str]:
    """All scenarios (providers and the work phase), or those named in INNOWERKSTATT_LOAD_PROVIDERS
    (comma-separated) for a quicker run."""
    chosen = [p.strip() for p in os.environ.get("INNOWERKSTATT_LOAD_PROVIDERS", "").split(",") if p.strip()]
    return [p for p in SCENARIO_TITLES if not chosen or p in chosen]


def _cpu_per_request(env, burst):
    """Runs ``burst()``; returns its result and the servers' CPU ms per request (gunicorn, PostgreSQL)."""
    before = env.cpu_seconds()
    result = burst()
    used = env.cpu_used(before, env.cpu_seconds())
    per_request = {name: used.get(name, 0.0) * 1000 / max(result.requests, 1) for name in ("gunicorn", "postgres")}
    return result, per_request


def _warm_up(env, attendees_file, checkin_list):
    """Unmeasured join POSTs of the first ``WARM_UP_ATTENDEES``, their check-ins recorded.

    Each gunicorn worker's first joins of an event (its prepared statement, the event's settings
    and work-phase times) and the Celery worker's first batch of check-ins (pretix's task modules
    load on first use: seconds of CPU time, measured at 3.3 ms per request of the burst beside it)
    would otherwise land in the first measured round, as the healthcheck's first requests would
    without its warm-up burst.
    """
    lines = [line for line in attendees_file.read_text().splitlines() if line][:WARM_UP_ATTENDEES]
    warm_up_file = attendees_file.with_name(f"warm-up-{attendees_file.name}")
    warm_up_file.write_text("\n".join(lines) + "\n")
    env.forget_joins(checkin_list)
    wrk.join(env.base_url, warm_up_file)
    env.wait_for_checkins(checkin_list, len(lines))
    env.wait_for_tasks()


def _rounds(env, provider, attendees_file, checkin_list, rooms=None) -> str:
    """The alternating bursts of one scenario; ``rooms`` ({group room URL: members}): the work phase's."""
    health, joins, lags, drains, joined, room_joins = [], [], [], [], [], []
    cpu = {"health": [], "join": []}
    _status(f"{provider}: warm-up …")
    _warm_up(env, attendees_file, checkin_list)
    for i in range(ROUNDS):
        _status(f"{provider}: round {i + 1}/{ROUNDS} …")
        # Alternate which side goes first, so that neither always meets a warmer server.
        for side in ("health", "join") if i % 2 == 0 else ("join", "health"):
            if side == "health":
                result, used = _cpu_per_request(env, lambda: wrk.healthcheck(env.base_url, ATTENDEES))
                health.append(result)
                cpu["health"].append(used)
                continue
            env.forget_joins(checkin_list)
            result, used = _cpu_per_request(env, lambda: wrk.join(env.base_url, attendees_file))
            joins.append(result)
            cpu["join"].append(used)
            # Recording the check-ins is the worker's job, after the redirect: the check-in lag is
            # the time from the burst's last redirect until every attendee is checked in. Then the
            # worker finishes the rest (pretix's webhook tasks of the check-ins) before anything
            # else is measured, so that it neither burdens nor flatters the next burst.
            lags.append(env.wait_for_checkins(checkin_list, ATTENDEES))
            drains.append(lags[-1] + env.wait_for_tasks())
            joined.append(env.joined(checkin_list))
            if rooms:
                room_joins.append(env.joined_per_room(checkin_list))
    if any(r.errors for r in health + joins):
        env.failed = True  # keep gunicorn's log for the errors
    cpu_line = "  server CPU per request (median; gunicorn + PostgreSQL, robust against other load): " + ", ".join(
        f"{name} {statistics.median(c['gunicorn'] for c in cpu[side]):.2f} + "
        f"{statistics.median(c['postgres'] for c in cpu[side]):.2f} ms"
        for name, side in (("/healthcheck/", "health"), ("join POST", "join"))
    )
    lines = [
        _table([("/healthcheck/", health), ("join POST → 302" + (" (group room)" if rooms else ""), joins)]),
        "",
        _verdicts(provider, health, joins, joined, lags, rooms, room_joins),
        cpu_line,
        f"  Celery worker: check-ins recorded in {SHARDS} batches side by side, due {FLUSH_DELAY_SECONDS} s after "
        f"the first join and started once nobody joined for {QUIET_SECONDS} s; idle again "
        f"{statistics.median(drains):.1f} s (median) after the last redirect; distinct attendees checked in per "
        f"burst: {', '.join(map(str, joined))}.",
    ]
    return "\n".join(lines)


def _rooms_goals(joins, rooms, room_joins) -> list:
    """Every redirect of every burst led into a group room, and every member of every group joined.

    ``rooms``: {group room URL: members}; ``room_joins``: per burst {group room URL: members checked in}.
    wrk counts the Location headers of the answers it waited for (a few connections repeat early
    attendees at the end of a burst, so a room's count may be off by one or two); the check-ins
    per group show that each group's members all joined.
    """
    redirects = sum(r.statuses.get("302", 0) for r in joins)
    into_rooms = sum(n for r in joins for url, n in r.locations.items() if url in rooms)
    short = [url for burst in room_joins for url, members in rooms.items() if burst.get(url, 0) != members]
    per_room = [n for burst in room_joins for n in burst.values()] or [0]
    return [
        (
            f"every redirect into a group room ({len(rooms)} rooms)",
            f"{into_rooms:,} of {redirects:,}",
            redirects > 0 and into_rooms == redirects,
        ),
        (
            "every group's members joined (check-ins per group)",
            f"{min(per_room)}–{max(per_room)} per group and burst; {len(short)} short",
            bool(room_joins) and not short,
        ),
    ]


def _median(runs, attribute):
    return statistics.median(getattr(r, attribute) for r in runs)


def _table(sides) -> str:
    header = ("", "burst s", "req/s", "p50 ms", "p99 ms", "max ms", "requests", "errors", "unanswered", "statuses")
    rows = [header]
    for name, runs in sides:
        statuses = {}
        for r in runs:
            for status, n in r.statuses.items():
                statuses[status] = statuses.get(status, 0) + n
        rows.append(
            (
                name,
                f"{_median(runs, 'seconds'):.2f}",
                f"{_median(runs, 'throughput'):.1f}",
                f"{_median(runs, 'p50_us') / 1000:.1f}",
                f"{_median(runs, 'p99_us') / 1000:.1f}",
                f"{max(r.max_us for r in runs) / 1000:.1f}",
                str(sum(r.requests for r in runs)),
                str(sum(r.errors for r in runs)),
                str(sum(r.unanswered for r in runs)),
                " ".join(f"{s}×{n}" for s, n in sorted(statuses.items())),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _round_ratios(health, joins) -> list[float]:
    """Per round, the join burst's req/s over the healthcheck burst's; the verdict takes their median.

    A round's two bursts run one right after the other, so a change of the machine's speed
    between rounds (a shared machine's CPU time per request moved by up to half within one run)
    touches both sides alike; the ratio of the two sides' medians would set a fast round's
    healthchecks against a slow round's joins.
    """
    return [j.throughput / h.throughput if h.throughput else 0.0 for h, j in zip(health, joins, strict=True)]


def _verdicts(provider, health, joins, joined, lags, rooms=None, room_joins=()) -> str:
    # A request still unanswered when wrk gave up failed for that attendee as much as an error.
    errors = sum(r.errors + r.unanswered for r in joins + health)
    p99_ms = _median(joins, "p99_us") / 1000
    ratios = _round_ratios(health, joins)
    ratio = statistics.median(ratios)
    burst_seconds = _median(joins, "seconds")
    unanswered = sum(r.unanswered for r in joins)
    goal_ratio = GOAL_RATIO if provider in ("generic", "workgroups") else GOAL_RATIO_SIGNED
    goals = [
        ("zero errors (joins and healthchecks)", str(errors), errors == 0),
        (f"join p99 < {GOAL_P99_MS} ms", f"{p99_ms:.1f} ms", p99_ms < GOAL_P99_MS),
        (
            f"join req/s >= {goal_ratio:.0%} of healthcheck",
            f"{ratio:.0%} (rounds: {', '.join(f'{r:.0%}' for r in ratios)})",
            ratio >= goal_ratio,
        ),
    ]
    if provider == "generic":  # the burst and check-in goals are the main scenario's (issues 9 and 10)
        goals += [
            (
                f"{ATTENDEES:,} distinct attendees joined within {GOAL_SECONDS} s",
                f"{burst_seconds:.1f} s; {min(joined):,} checked in",
                burst_seconds <= GOAL_SECONDS and min(joined) == ATTENDEES and not unanswered,
            ),
            (
                f"all check-ins recorded within {GOAL_CHECKIN_LAG_SECONDS} s of the last redirect",
                f"{statistics.median(lags):.1f} s",
                statistics.median(lags) <= GOAL_CHECKIN_LAG_SECONDS,
            ),
        ]
    if rooms:
        goals += _rooms_goals(joins, rooms, room_joins)
    width = max(len(g[0]) for g in goals)
    measured_width = max(len(g[1]) for g in goals)
    return "\n".join(
        f"  {goal.ljust(width)}  {measured.ljust(measured_width)}  {'ok' if met else 'MISSED'}"
        for goal, measured, met in goals
    )
