"""The fault suite's fixtures and its closing table.

It runs only through ``make faults`` (``python -m tests.faults``), which gives it a PostgreSQL
cluster and a redis-server of its own: the tests stop, kill and restart both.
"""

import os
import textwrap
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.utils.crypto import get_random_string

from certificates import services as certificate_services
from certificates.models import Certificate
from enrollments import services as enrollment_services
from enrollments.models import Enrollment, EnrollmentStatus
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.faults.infra import PrivatePostgres, PrivateRedis
from tests.faults.processes import Poller, Seen, Session

ROWS = pytest.StashKey[list]()


def pytest_configure(config):
    if not os.environ.get("FAULTS_PG_CLUSTER"):
        raise pytest.UsageError(
            "The fault suite runs through `make faults` (python -m tests.faults): it needs a "
            "PostgreSQL cluster and a redis-server of its own, which that starts."
        )
    config.stash[ROWS] = []


# --- The private services -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres(django_db_setup) -> PrivatePostgres:
    cluster = PrivatePostgres(os.environ["FAULTS_PG_CLUSTER"], os.environ["FAULTS_PG_VERSION"])
    # Never restart a cluster the tests' database does not live in.
    assert str(connection.settings_dict["PORT"]) == os.environ["FAULTS_PG_PORT"]
    assert cluster.port == int(os.environ["FAULTS_PG_PORT"])
    return cluster


@pytest.fixture(scope="session")
def redis_server():
    server = PrivateRedis(
        int(os.environ["FAULTS_REDIS_PORT"]), Path(os.environ["FAULTS_WORKDIR"]) / "redis"
    )
    assert settings.CELERY_BROKER_URL == server.url()
    server.start(persistent=True)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_redis(redis_server):
    """Every test starts on a running, persistent, empty Redis (its own: FLUSHALL is safe)."""
    if not redis_server.ping() or not redis_server.persistent:
        redis_server.stop()
        redis_server.start(persistent=True)
    redis_server.flush()


def restart_postgres(cluster: PrivatePostgres, down_seconds: float) -> None:
    cluster.stop()
    time.sleep(down_seconds)
    cluster.start()
    # This process's own connection died with the server: the next query opens a new one.
    connections.close_all()


# --- Environment of the processes a test starts -------------------------------------------------


@dataclass
class Stage:
    """Where a test's processes write (mail, logs) and the environment they all share."""

    directory: Path
    env: dict[str, str]

    @property
    def mail_dir(self) -> Path:
        return Path(self.env["FAULTS_MAIL_DIR"])

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-40:])
            for path in sorted(self.directory.glob("*.log"))
        )


def tests_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def stage(settings, tmp_path, redis_server) -> Stage:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    return Stage(
        logs,
        {
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "DATABASE_URL": tests_database_url(),
            "REDIS_URL": redis_server.url(),
            "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "FAULTS_MAIL_DIR": str(mail_dir),
            # The poller asks for the verification page far more often than a person would.
            "LMS_VERIFY_RATE_LIMIT": "100000",
            "CELERY_VISIBILITY_TIMEOUT": "30",
        },
    )


# --- Data ---------------------------------------------------------------------------------------


@dataclass
class Cohort:
    """Learners enrolled in one one-module course: completing the module completes the course."""

    course: object
    module_id: int
    enrollments: list[Enrollment]

    def complete_url(self, enrollment: Enrollment) -> str:
        return f"/learning/enrollments/{enrollment.pk}/modules/{self.module_id}/complete/"


def cohort(size: int, code: str = "CTN-101", prefix: str = "learner") -> Cohort:
    program = factories.program(code.split("-")[0].lower())
    course = factories.course(program, code, modules=1, evaluation_required=False)
    module = course.get_children().get()
    enrollments = [
        enrollment_services.enroll(
            user=UserFactory(email=f"{prefix}{index:02d}@example.org"), course=course
        )[0]
        for index in range(size)
    ]
    return Cohort(course, module.pk, enrollments)


def complete_directly(enrollment: Enrollment) -> Enrollment:
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED, completed_at=enrollment.enrolled_at
    )
    enrollment.refresh_from_db()
    return enrollment


def pending_certificate(enrollment: Enrollment) -> Certificate:
    """A pending certificate with no task sent for it (the test sends what it means to)."""
    return Certificate.objects.create(enrollment=complete_directly(enrollment))


def issued_in_process(enrollment: Enrollment) -> Certificate:
    certificate = pending_certificate(enrollment)
    return certificate_services.issue_certificate(certificate_id=certificate.pk)


def signed_in(user) -> Session:
    client = Client()
    client.force_login(user)
    return Session(client.cookies[settings.SESSION_COOKIE_NAME].value, get_random_string(32))


def site_pages(course, witness: Certificate) -> dict:
    """What the poller asks for: public pages, a signed-in page, and the health check."""
    return {
        "home": ("/", None),
        "catalog": ("/catalog/", None),
        "course": (course.url, None),
        "verify": (f"/certificates/verify/{witness.code}/", None),
        "dashboard": ("/learning/", signed_in(witness.enrollment.user)),
        "healthz": ("/healthz", None),
    }


# --- The table ----------------------------------------------------------------------------------


@dataclass
class Row:
    scenario: str
    done: str = ""
    certificates: str = "-"
    pdfs: str = "-"
    mails: str = "-"
    http: str = "-"
    found: str = ""
    seconds: float = 0.0
    nodeid: str = ""
    outcome: str = "not run"

    def record(self, result) -> None:
        self.certificates = result.certificates
        self.pdfs = str(result.pdfs)
        self.mails = str(result.mails)

    def record_http(self, poller: Poller, posts: list[int] = (), allowed=lambda seen: False):
        """Count what the server answered; return the 5xx a fault may not explain, by page.

        ``allowed`` says which 5xx the fault explains (a 503 while a dependency is down).
        """
        seen = [*poller.seen, *(Seen("post", status, False, 0.0) for status in posts)]
        fives = [s for s in seen if s.status >= 500]
        unexplained = [s for s in fives if not allowed(s)]
        healthz = sum(1 for s in fives if s.label == "healthz" and allowed(s))
        pages = len(fives) - len(unexplained) - healthz
        parts = [f"{len(seen)} req", f"{len(unexplained)} bad 5xx"]
        if healthz:
            parts.append(f"healthz 503 x{healthz}")
        if pages:
            parts.append(f"pages 503 x{pages} while db down")
        unanswered = sum(1 for s in seen if not s.status)
        if unanswered:
            parts.append(f"{unanswered} unanswered")
        if poller.seen:
            parts.append(f"slowest {max(s.seconds for s in poller.seen):.1f} s")
        self.http = ", ".join(parts)
        return dict(Counter((s.label, s.status) for s in unexplained))


@pytest.fixture
def row(request):
    entry = Row(scenario=request.node.function.__doc__.strip().splitlines()[0].rstrip("."))
    entry.nodeid = request.node.nodeid
    request.config.stash[ROWS].append(entry)
    started = time.monotonic()
    yield entry
    entry.seconds = time.monotonic() - started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    for entry in item.config.stash.get(ROWS, []):
        if entry.nodeid != item.nodeid:
            continue
        if report.failed:
            entry.outcome = "FAILED" if report.when == "call" else f"ERROR ({report.when})"
        elif report.when == "call":
            entry.outcome = "skipped" if report.skipped else "passed"
    return report


HEADERS = ("#", "scenario", "what was done", "certs exp/issued/dup", "PDFs", "mails",
           "HTTP", "s", "result")  # fmt: skip
WIDTHS = (2, 26, 46, 10, 4, 5, 22, 4, 7)


def _table(rows: list[Row]) -> list[str]:
    lines = []

    def emit(cells):
        wrapped = [textwrap.wrap(str(c), w) or [""] for c, w in zip(cells, WIDTHS, strict=True)]
        for i in range(max(len(c) for c in wrapped)):
            parts = [
                (c[i] if i < len(c) else "").ljust(w) for c, w in zip(wrapped, WIDTHS, strict=True)
            ]
            lines.append(("| " + " | ".join(parts) + " |").rstrip())

    rule = "+-" + "-+-".join("-" * w for w in WIDTHS) + "-+"
    lines.append(rule)
    emit(HEADERS)
    lines.append(rule.replace("-", "="))
    for number, entry in enumerate(rows, 1):
        emit((number, entry.scenario, entry.done, entry.certificates, entry.pdfs, entry.mails,
              entry.http, f"{entry.seconds:.0f}", entry.outcome))  # fmt: skip
        if entry.found:
            emit(("", "", "found: " + entry.found, "", "", "", "", "", ""))
        lines.append(rule)
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = config.stash.get(ROWS, [])
    if not rows:
        return
    terminalreporter.write_sep("=", "fault suite: what was done and what was found")
    for line in _table(rows):
        terminalreporter.write_line(line)
