"""The plugin's background work on pretix's scale-out engine, not in pretix's eager test mode.

pretix runs as in production (see conftest.py): two gunicorn workers and a Celery worker, Redis
as cache, Celery broker and result backend, PostgreSQL, a real SMTP server. Every request goes
over HTTP as a browser sends it; the results are read from the database and the SMTP server.
"""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bench.load import attendees
from bench.load.attendees import TOKEN

pytestmark = pytest.mark.scaleout

TASK_TIMEOUT = 120


def form_token(response) -> str:
    assert response.status_code == 200, f"GET {response.url}: HTTP {response.status_code}"
    match = TOKEN.search(response.text)
    assert match, f"GET {response.url}: no form with a csrfmiddlewaretoken"
    return match.group(1)


def logged_in(stack) -> requests.Session:
    """A backend session of the seeded user, logged in through pretix's login form."""
    session = requests.Session()
    user = stack.seeded["user"]
    login_url = f"{stack.url}/control/login"
    token = form_token(session.get(login_url))
    response = session.post(
        login_url, data={"csrfmiddlewaretoken": token, "email": user["email"], "password": user["password"]}
    )
    assert response.status_code == 200 and "/control/login" not in response.url, "login failed"
    return session


def run_async_action(stack, session, page: str, action: str, data=None, on_status=None) -> tuple[dict, list[dict]]:
    """POSTs ``action`` with the token of the form on ``page`` as pretix's asynctask JavaScript does,
    then polls the task status URL from the answer until the task is done.

    ``on_status(status)`` sees every status before the last. Returns the last status and every
    status seen before it.
    """
    token = form_token(session.get(f"{stack.url}{page}"))
    response = session.post(
        f"{stack.url}{action}",
        data={"csrfmiddlewaretoken": token, "ajax": "1", **(data or {})},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200, f"POST {action}: HTTP {response.status_code}"
    status = response.json()
    check_url = status["check_url"]
    assert check_url.startswith(action + "?async_id="), check_url
    seen = []
    deadline = time.monotonic() + TASK_TIMEOUT
    while not status["ready"]:
        assert time.monotonic() < deadline, f"task not done after {TASK_TIMEOUT} s: {seen[-3:]}\n{stack.logs()}"
        seen.append(status)
        if on_status:
            on_status(status)
        time.sleep(0.2)
        status = session.get(f"{stack.url}{check_url}", headers={"X-Requested-With": "XMLHttpRequest"}).json()
    return status, seen


def test_a_format_creates_its_editions_on_the_celery_worker_with_progress_on_the_task_status_url(stack):
    session = logged_in(stack)
    organizer = stack.prepared["organizer"]
    fmt = stack.seeded["format"]
    base = f"/control/organizer/{organizer}/innowerkstatt/formats/{fmt['slug']}"

    # The second edition waits on a held claim, so the status shows the run part-way, whatever
    # the machine's speed; the claim is let go once the status URL has shown that.
    with stack.edition_claim_held(fmt["id"], fmt["second_key"]) as release:

        def release_once_part_way(status):
            if status.get("started") and 0 < status["percentage"] < 100:
                release()

        status, seen = run_async_action(
            stack, session, f"{base}/preview/", f"{base}/create/", {"extend": "0"}, on_status=release_once_part_way
        )

    assert status["success"], f"{status}\n{stack.logs()}"
    assert status["message"] == f"{fmt['editions']} editions have been created."
    assert status["redirect"].endswith(f"{base}/preview/")
    progress = [s["percentage"] for s in seen if s.get("started")]
    assert progress, f"the task status URL never showed the running task: {seen}"
    assert progress == sorted(progress) and round(100 / fmt["editions"]) in progress, progress
    editions = stack.rows(
        "SELECT e.slug, e.date_from FROM pretix_innowerkstatt_edition ed "
        "JOIN pretixbase_event e ON e.id = ed.event_id WHERE ed.format_id = %s ORDER BY e.date_from",
        [fmt["id"]],
    )
    assert len(editions) == fmt["editions"]
    run_prefix = fmt["slug"].removeprefix("scaleout-")
    assert all(slug.startswith(f"so{run_prefix}-") for slug, _start in editions), editions


def _join(stack, line: str) -> requests.Response:
    """One attendee's click on "Join now", on a connection of its own, as from the attendee's browser."""
    path, cookie, form = line.split("\t")
    return requests.post(
        f"{stack.url}{path}",
        data=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"},
        allow_redirects=False,
        timeout=30,
    )


def test_joins_answered_by_both_web_processes_become_check_ins_through_the_workers_deferred_flush(stack):
    paths = stack.prepared["paths"]
    join_prefix = paths[0].split("/innowerkstatt/join/")[0] + "/innowerkstatt/join/"
    lines = attendees.prefetch(stack.env.port, paths, stack.env.dir / "attendees.tsv").read_text().split("\n")[:-1]
    assert stack.env.joined(stack.prepared["checkin_list"]) == 0

    # Everyone at once, each on a connection of its own; until both web workers have answered
    # joins (the kernel hands out the connections), everyone clicks again (rate limit: 10 a minute).
    with ThreadPoolExecutor(len(lines)) as pool:
        for _round in range(4):
            responses = list(pool.map(lambda line: _join(stack, line), lines))
            last_redirect = time.monotonic()
            assert [r.status_code for r in responses] == [302] * len(lines), [r.text[:300] for r in responses]
            assert all(r.headers["Location"] == stack.seeded["meeting_url"] for r in responses)
            if len(stack.web_workers_of("POST", join_prefix)) == 2:
                break
    assert len(stack.web_workers_of("POST", join_prefix)) == 2, "all joins were answered by the same web worker"

    waited = stack.env.wait_for_tasks(timeout=90)
    lag = time.monotonic() - last_redirect
    print(f"\nscaleout: check-ins recorded {lag:.1f} s after the last redirect (waited {waited:.1f} s)")
    assert stack.env.joined(stack.prepared["checkin_list"]) == len(paths), stack.logs()


def test_the_updated_access_information_mail_reaches_every_buyer_through_the_celery_worker(stack):
    session = logged_in(stack)
    prepared = stack.prepared
    page = f"/control/event/{prepared['organizer']}/{prepared['event']}/innowerkstatt/video/"

    status, _seen = run_async_action(stack, session, page, f"{page}notify/")

    assert status["success"], f"{status}\n{stack.logs()}"
    told = stack.rows(
        "SELECT count(*) FROM pretix_innowerkstatt_accessupdatenotification n "
        "JOIN pretixbase_orderposition p ON p.id = n.position_id "
        "JOIN pretixbase_order o ON o.id = p.order_id WHERE o.event_id = "
        "(SELECT e.id FROM pretixbase_event e JOIN pretixbase_organizer g ON g.id = e.organizer_id "
        "WHERE e.slug = %s AND g.slug = %s)",
        [prepared["event"], prepared["organizer"]],
    )
    assert told == [(len(prepared["paths"]),)]
    # pretix hands each mail to its own mail task: wait until the worker has sent them all.
    stack.env.wait_for_tasks(timeout=60)
    mails = [m for m in stack.mails.messages() if "innowerkstatt/join/" in m.get_body(("plain",)).get_content()]
    assert sorted(m["To"] for m in mails) == stack.seeded["buyers"], stack.logs()
    linked = {path for m in mails for path in prepared["paths"] if path in m.get_body(("plain",)).get_content()}
    assert linked == set(prepared["paths"]), "a ticket's personal join link is missing from its buyer's mail"
