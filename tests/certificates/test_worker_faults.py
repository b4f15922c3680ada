"""Faults with real processes: a worker SIGKILLed mid-task, and Redis down when a course completes.

PostgreSQL and Redis only (CI). Each test runs its own Celery worker subprocess against the test
database; the Redis-down test runs its own redis-server, so stopping it disturbs no other test.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from celery_app import app
from certificates import services
from certificates.models import Certificate, CertificateEvent, CertificateFile, CertificateStatus
from enrollments import services as enrollment_services
from tests.accounts.factories import UserFactory
from tests.conftest import IN_CI
from tests.courses import factories
from tests.factories import completed_enrollment
from tests.helpers import ROOT
from tests.worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL (PostgreSQL)")
    if not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL")
    if missing:
        if IN_CI:
            pytest.fail(f"CI runs the fault tests on real services; missing {missing}")
        pytest.skip(f"needs {', '.join(missing)}")


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url(),
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "CELERY_VISIBILITY_TIMEOUT": "2",
        **extra,
    }


@pytest.fixture
def private_queue():
    queue = f"faults-{os.getpid()}-{time.monotonic_ns()}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous


def status_of(certificate_id) -> str:
    return Certificate.objects.filter(pk=certificate_id).values_list("status", flat=True).first()


def waiting_on_a_lock(dsn_kwargs) -> bool:
    with psycopg.connect(**dsn_kwargs, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [connection.settings_dict["NAME"]],
        ).fetchone()
    return row[0] > 0


def test_worker_killed_mid_task_then_restarted_issues_exactly_one_certificate(private_queue):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1)
    enrollment = completed_enrollment(UserFactory(email="killed@example.org"), course)
    db = connection.settings_dict
    dsn = {"dbname": db["NAME"], "user": db["USER"], "host": db["HOST"] or "127.0.0.1",
           "port": db["PORT"] or 5432}  # fmt: skip
    # Hold the certificate's row lock so the task is provably in flight when the worker dies.
    blocker = psycopg.connect(**dsn)
    certificate = services.create_pending_certificate(enrollment_id=enrollment.pk)
    blocker.execute(
        "SELECT id FROM certificates_certificate WHERE id = %s FOR UPDATE", [certificate.pk]
    )
    try:
        with celery_worker(private_queue, env=worker_env()) as (worker, _):
            assert wait_for(lambda: waiting_on_a_lock(dsn), timeout=60) is True
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
    finally:
        blocker.rollback()
        blocker.close()
    assert status_of(certificate.pk) == CertificateStatus.PENDING
    time.sleep(2.5)  # past the visibility timeout: the restarted worker takes the task back
    with celery_worker(private_queue, env=worker_env()) as (worker, _):
        issued = wait_for(lambda: status_of(certificate.pk) == CertificateStatus.ISSUED, 90)
    assert issued is True
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert CertificateFile.objects.filter(certificate=certificate).count() == 1
    assert CertificateEvent.objects.filter(certificate=certificate, action="emailed").count() == 1


def test_two_workers_issuing_the_same_certificate_at_once_make_one(private_queue):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1)
    enrollment = completed_enrollment(UserFactory(email="twice@example.org"), course)
    certificate = services.create_pending_certificate(enrollment_id=enrollment.pk)
    services.enqueue_issue(certificate.pk)  # the same task delivered twice
    services.enqueue_issue(certificate.pk)
    with celery_worker(private_queue, env=worker_env(), concurrency=2):
        assert wait_for(lambda: status_of(certificate.pk) == CertificateStatus.ISSUED, 90)
        time.sleep(1.5)  # let the duplicate run too
    assert CertificateFile.objects.filter(certificate=certificate).count() == 1
    assert CertificateEvent.objects.filter(certificate=certificate, action="issued").count() == 1
    assert CertificateEvent.objects.filter(certificate=certificate, action="emailed").count() == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    assert wait_for(answers, timeout=10) is True
    return process


COMPLETE_THROUGH_THE_VIEW = """
import time
from django.test import Client
from django.contrib.auth import get_user_model
client = Client()
client.force_login(get_user_model().objects.get(email={email!r}))
started = time.monotonic()
response = client.post({url!r})
print(response.status_code, round(time.monotonic() - started, 3))
"""


def test_completion_while_redis_is_down_is_fast_and_the_sweep_issues_it_later():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for this test")
    port = _free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1, evaluation_required=False)
    module = course.get_children().get()
    learner = UserFactory(email="redis-down@example.org")
    enrollment, _ = enrollment_services.enroll(user=learner, course=course)
    url = f"/learning/enrollments/{enrollment.pk}/modules/{module.pk}/complete/"
    env = {**os.environ, **worker_env(REDIS_URL=redis_url),
           "DJANGO_SETTINGS_MODULE": "lms.settings.test"}  # fmt: skip

    # Redis is down (nothing listens on the port) when the learner completes the course.
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         COMPLETE_THROUGH_THE_VIEW.format(email=learner.email, url=url)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    status, seconds = result.stdout.split()[-2:]
    assert status == "302"
    assert float(seconds) < 2.0
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status == CertificateStatus.PENDING

    redis = _start_redis(port)
    try:
        with celery_worker(
            "celery",
            env=worker_env(REDIS_URL=redis_url, CERTIFICATES_STALE_PENDING_SECONDS="0"),
        ):
            sweep = subprocess.run(
                [sys.executable, "manage.py", "shell", "-c",
                 "from certificates.tasks import sweep_certificates; "
                 "print(sweep_certificates.delay().get(timeout=60))"],
                cwd=ROOT, env={**env, "CERTIFICATES_STALE_PENDING_SECONDS": "0"},
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert "'requeued': 1" in sweep.stdout
            issued = wait_for(lambda: status_of(certificate.pk) == CertificateStatus.ISSUED, 90)
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    assert issued is True
    assert CertificateFile.objects.filter(certificate=certificate).count() == 1
