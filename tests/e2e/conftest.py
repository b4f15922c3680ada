"""Browser tests: the system Chromium driven through Playwright's sync API against live_server.

Playwright and Chromium start once per session; every test gets a fresh browser context, so no
cookies leak between tests.
"""

import email
import email.policy
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from celery_app import app as celery_app
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateStatus
from tests.conftest import IN_CI
from tests.helpers import ROOT
from tests.worker import celery_worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "test" / "e2e-screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ACTION_TIMEOUT_MS = 15_000
EXPECT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session", autouse=True)
def chromium():
    """The system Chromium, launched once; a missing browser fails in CI and skips elsewhere."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI runs the browser tests; {CHROMIUM} is missing")
        pytest.skip(f"browser tests need {CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    # Once Playwright's sync API has started, this greenlet runs in its dispatcher's contextvars
    # context, where Django's per-context connection handles start out empty: a fresh connection
    # object would lack the test database's serialized data (serialized_rollback restores nothing
    # and the flush leaves no Wagtail tree) whenever another test built the database first, as
    # it does in a full run. Hand the new context the connection objects this process already has.
    handles = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, handle in handles.items():
            connections[alias] = handle
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Browser:
    """One browser context and page, with the server errors it saw and numbered screenshots."""

    def __init__(self, page, base_url: str, screenshots: Path):
        self.page = page
        self.base_url = base_url
        self.screenshots = screenshots
        self.server_errors: list[str] = []
        self._shots = 0
        page.on("response", self._record_server_error)

    def _record_server_error(self, response):
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def resize(self, viewport: str):
        self.page.set_viewport_size(VIEWPORTS[viewport])

    def screenshot(self, name: str) -> Path:
        self._shots += 1
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{self._shots:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def ui(chromium, live_server, request):
    """A fresh browser context; screenshots go to var/test/e2e-screenshots/<test name>/."""
    screenshots = SCREENSHOTS / request.node.name.removeprefix("test_")
    shutil.rmtree(screenshots, ignore_errors=True)
    context = chromium.new_context(
        viewport=VIEWPORTS["desktop"], accept_downloads=True, locale="en-US"
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield Browser(page, live_server.url, screenshots)
    context.close()


class Mailbox:
    """Mail written to files by Django's file-based backend, one file per connection."""

    def __init__(self, path: Path):
        self.path = path

    def newest(self) -> email.message.EmailMessage:
        files = sorted(self.path.iterdir(), key=lambda file: file.stat().st_mtime_ns)
        assert files != []
        raw = files[-1].read_bytes()
        # The backend separates messages with a line of 79 dashes; the newest file holds one.
        first = raw.split(b"\n" + b"-" * 79 + b"\n")[0]
        return email.message_from_bytes(first, policy=email.policy.default)

    def link(self, message, path_prefix: str) -> str:
        """The path of the first link in the message whose path starts with path_prefix."""
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", body)
        assert match is not None
        return match.group(1)


@pytest.fixture
def mailbox(settings, tmp_path):
    """Mail goes to files; the live server runs in a thread of this process and sees the setting."""
    path = tmp_path / "mail"
    path.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(path)
    return Mailbox(path)


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CertificateIssuing:
    """Who issues the certificate: a real Celery worker, or this process when none can."""

    def __init__(self, queue: str, worker):
        self.queue = queue
        self.worker = worker

    def issue_in_process_if_no_worker(self, *, enrollment_id: int) -> None:
        if self.worker is not None:
            return  # the worker consumes the task the completion enqueued
        # SQLite in-memory test DB: a worker process cannot see it, so the task's service runs
        # here, exactly as the worker would run it (the enqueued message waits, unconsumed, on the
        # private queue and is purged afterwards).
        certificate = Certificate.objects.get(enrollment_id=enrollment_id)
        assert certificate.status == CertificateStatus.PENDING
        certificate_services.issue_certificate(certificate_id=certificate.pk)


@pytest.fixture
def certificate_issuing(settings):
    """Route Celery tasks to a private queue; on PostgreSQL + Redis, a real worker consumes it.

    The worker starts before the journey, so it is warm when the course is completed.
    """
    real_services = connection.vendor == "postgresql" and bool(os.environ.get("REDIS_URL"))
    if IN_CI and not real_services:
        pytest.fail("CI runs the browser journey against PostgreSQL and Redis")
    queue = f"e2e-{os.getpid()}-{time.monotonic_ns()}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        if real_services:
            env = {
                "DATABASE_URL": _test_database_url(),
                "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            }
            with celery_worker(queue, env=env) as (worker, _):
                yield CertificateIssuing(queue, worker)
        else:
            yield CertificateIssuing(queue, None)
    finally:
        celery_app.conf.task_default_queue = previous
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)
