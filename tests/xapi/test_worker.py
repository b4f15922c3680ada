"""End to end with a real Celery worker and a real LRS: the store is down while a learner finishes
a course (the certificate issued by the worker too); the statements wait in the outbox, arrive
once the store is back and the beat's sweep runs, and none is duplicated, even sent again.

PostgreSQL and Redis only (CI): the worker subprocess shares the test database.
"""

import os
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from celery_app import app
from certificates.models import Certificate, CertificateStatus
from enrollments import services
from tests import factories
from tests.conftest import IN_CI
from tests.worker import celery_worker, wait_for
from xapi.models import DeliveryStatus, OutboxStatement, StatementKind
from xapi.tasks import sweep

_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
_SERVICES = _POSTGRES and os.environ.get("REDIS_URL")

pytestmark = [
    pytest.mark.worker,
    # Decided before the database is set up: on SQLite a serialized rollback can collide with
    # what another transactional test left, and this test would be skipped anyway.
    pytest.mark.skipif(
        not (_SERVICES or IN_CI), reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if IN_CI:
            pytest.fail("CI runs the xAPI worker test on PostgreSQL and Redis")
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")


@pytest.fixture
def private_queue():
    queue = f"xapi-{os.getpid()}-{time.monotonic_ns()}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous
        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(queue)


def _worker_env(lrs, queue) -> dict[str, str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "PRIVATE_STORAGE_ROOT": str(django_settings.PRIVATE_STORAGE_ROOT),
        "SITE_URL": django_settings.SITE_URL,  # the certificate's statement is built there
        "XAPI_ENDPOINT": lrs.endpoint,
        "XAPI_USERNAME": lrs.username,
        "XAPI_PASSWORD": lrs.password,
        "XAPI_RETRY_BASE_SECONDS": "1",
        "XAPI_RETRY_MAX_SECONDS": "2",
        # What the worker enqueues (the certificate's statement's delivery) comes back to it.
        "LMS_TEST_CELERY_QUEUE": queue,
    }


def _statuses() -> dict[str, int]:
    rows = OutboxStatement.objects.values_list("status", "attempts")
    return {
        "rows": len(rows),
        "tried": sum(1 for _, attempts in rows if attempts),
        "delivered": sum(1 for status, _ in rows if status == DeliveryStatus.DELIVERED),
    }


def test_with_the_store_down_the_worker_keeps_statements_until_it_is_back(xapi_on, private_queue):
    lrs = xapi_on
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1, post_test=True,
                              evaluation_required=False)  # fmt: skip
    lesson, post_test = course.get_children().live().specific().order_by("path")
    learner = factories.UserFactory(email="worker-xapi@example.org")

    lrs.stop()
    try:
        with celery_worker(private_queue, env=_worker_env(lrs, private_queue)):
            enrollment, _ = services.enroll(user=learner, course=course)
            services.complete_module(enrollment=enrollment, module_id=lesson.pk)
            right = factories.correct_answers(post_test)
            services.submit_quiz(
                enrollment=enrollment, module_id=post_test.pk, answers=right, attempt_number=1
            )
            # The worker issues the certificate (its statement joins the outbox there) and
            # tries to send every statement after its event committed: the store is down.
            assert wait_for(
                lambda: Certificate.objects.filter(status=CertificateStatus.ISSUED).exists(), 90
            )
            assert wait_for(lambda: _statuses() == {"rows": 6, "tried": 6, "delivered": 0}, 60)
            kinds = list(OutboxStatement.objects.order_by("pk").values_list("kind", flat=True))
            assert kinds == [
                StatementKind.ENROLLED,
                StatementKind.MODULE_COMPLETED,
                StatementKind.QUIZ_PASSED,
                StatementKind.MODULE_COMPLETED,
                StatementKind.COURSE_COMPLETED,
                StatementKind.CERTIFICATE_ISSUED,
            ]
            assert set(OutboxStatement.objects.values_list("status", flat=True)) == {"failed"}
            assert all(
                "ConnectionError" in error
                for error in OutboxStatement.objects.values_list("last_error", flat=True)
            )

            lrs.start()
            time.sleep(2.5)  # past the rows' retry delay
            sweep.apply_async(queue=private_queue)  # what the beat sends every minute
            assert wait_for(lambda: _statuses()["delivered"] == 6, 60)

            rows = list(OutboxStatement.objects.order_by("pk"))
            for row in rows:
                assert len(lrs.by_id(row.statement_id)) == 1

            # Sent again (a worker lost after its POST and before recording it): still one each.
            OutboxStatement.objects.update(
                status=DeliveryStatus.PENDING, delivered_at=None, next_attempt_at=timezone.now()
            )
            sweep.apply_async(queue=private_queue)
            assert wait_for(lambda: _statuses()["delivered"] == 6, 60)
    finally:
        lrs.start()
    for row in rows:
        assert len(lrs.by_id(row.statement_id)) == 1
    registration = rows[0].statement["context"]["registration"]
    assert len(lrs.get(registration=registration)) == 6
