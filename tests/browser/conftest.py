"""A real headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

The browser is never downloaded: Playwright gets ``executable_path``. If it cannot start, the
tests fail loudly instead of skipping, so CI can't go green without having run them.
"""

import os
import threading

import pytest
from django.test.testcases import ThreadedWSGIServer
from pytest_django import live_server_helper

CHROMIUM = os.environ.get("INNOWERKSTATT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class OneRequestAtATimeWSGIServer(ThreadedWSGIServer):
    """Django's live server, but only one request at a time runs through Django.

    Connections are still accepted in threads (Chromium opens idle spare connections a
    single-threaded server would wait on). With SQLite in memory every thread shares the
    test's one database connection, and two requests at once (the login form and the login
    page's origin report, for example) would start a transaction inside the other's.
    """

    def set_app(self, application):
        self.request_lock = lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (same address options) with requests run one at a time."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = live_server_helper.LiveServer(addr, start=False)
    server.thread.server_class = OneRequestAtATimeWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (installs Debian's chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    page = context.new_page()
    # Any JavaScript dialog (alert/confirm/prompt) would mean injected script ran.
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    # A request the closed page left running must finish before the test's database is flushed.
    with live_server.thread.httpd.request_lock:
        pass


def browser_login(page, live_server, email, password="dummy-password"):
    page.goto(f"{live_server.url}/control/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/control/**")
