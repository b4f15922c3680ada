"""Sending the outbox to a real LRS: batches, a store that is down, refusals, no duplicates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enrollments import services
from tests import factories
from xapi import services as xapi_services
from xapi.models import DeliveryStatus, OutboxStatement
from xapi.selectors import outbox_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    program = factories.program("ctn")
    return factories.course(program, "CTN-101", modules=3, evaluation_required=False)


def _learners_progress(course, learners=2):
    """Each learner enrolls and reads the first module: two statements per learner."""
    lesson = course.get_children().live().order_by("path").first()
    for _ in range(learners):
        enrollment, _ = services.enroll(user=factories.UserFactory(), course=course)
        services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    return list(OutboxStatement.objects.order_by("pk"))


def test_retry_delay_doubles_up_to_an_hour(settings):
    settings.XAPI_RETRY_BASE_SECONDS = 30
    settings.XAPI_RETRY_MAX_SECONDS = 3600
    delays = [xapi_services.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_batches_of_the_configured_size_oldest_first(xapi_on, course, settings):
    settings.XAPI_BATCH_SIZE = 3
    rows = _learners_progress(course, learners=4)
    assert len(rows) == 8
    report = xapi_services.deliver_due()
    assert (report.delivered, report.failed) == (8, 0)
    for row in rows:
        assert len(xapi_on.by_id(row.statement_id)) == 1
    delivered = OutboxStatement.objects.order_by("pk").values_list("delivered_at", flat=True)
    assert list(delivered) == sorted(delivered)  # oldest batch first
    assert outbox_counts() == {"pending": 0, "failed": 0, "delivered": 8}


def test_with_the_store_down_statements_wait_and_arrive_once_when_it_is_back(
    xapi_on, course, settings
):
    lrs = xapi_on
    settings.XAPI_RETRY_BASE_SECONDS = 30
    rows = _learners_progress(course)
    lrs.stop()
    try:
        now = timezone.now()
        report = xapi_services.deliver_due(now=now)
        assert (report.delivered, report.failed) == (0, 4)
        waiting = list(OutboxStatement.objects.order_by("pk"))
        assert {row.status for row in waiting} == {DeliveryStatus.FAILED}
        assert {row.attempts for row in waiting} == {1}
        assert {row.next_attempt_at for row in waiting} == {now + timedelta(seconds=30)}
        assert all("ConnectionError" in row.last_error for row in waiting)
        assert outbox_counts() == {"pending": 0, "failed": 4, "delivered": 0}
        # Before their delay has passed, nobody sends them again.
        assert xapi_services.deliver_due(now=now + timedelta(seconds=29)).failed == 0
        # Still down after the delay: the second attempt doubles it.
        report = xapi_services.deliver_due(now=now + timedelta(seconds=30))
        assert report.failed == 4
        row = OutboxStatement.objects.get(pk=rows[0].pk)
        assert (row.attempts, row.next_attempt_at) == (
            2,
            now + timedelta(seconds=30 + 60),
        )
    finally:
        lrs.start()
    report = xapi_services.deliver_due(now=now + timedelta(seconds=90))
    assert (report.delivered, report.failed) == (4, 0)
    for row in rows:
        assert len(lrs.by_id(row.statement_id)) == 1
    assert outbox_counts() == {"pending": 0, "failed": 0, "delivered": 4}
    assert set(OutboxStatement.objects.values_list("attempts", flat=True)) == {3}
    assert set(OutboxStatement.objects.values_list("last_error", flat=True)) == {""}


def test_sending_again_what_the_store_has_duplicates_nothing(xapi_on, course):
    """A worker that dies after the POST and before recording it sends the batch again."""
    rows = _learners_progress(course)
    assert xapi_services.deliver_due().delivered == 4
    OutboxStatement.objects.update(
        status=DeliveryStatus.PENDING, delivered_at=None, next_attempt_at=timezone.now()
    )
    assert xapi_services.deliver_due().delivered == 4  # the store answers 204: it has them
    for row in rows:
        assert len(xapi_on.by_id(row.statement_id)) == 1


def test_a_refused_statement_waits_alone_and_the_rest_of_its_batch_goes(xapi_on, course):
    rows = _learners_progress(course)
    broken = rows[1]
    broken.statement = {key: value for key, value in broken.statement.items() if key != "actor"}
    broken.save()
    report = xapi_services.deliver_due()
    assert (report.delivered, report.failed) == (3, 1)
    broken.refresh_from_db()
    assert broken.status == DeliveryStatus.FAILED
    assert broken.last_error.startswith(("HTTP 400", "HTTP 422")), broken.last_error
    assert "actor" in broken.last_error
    assert xapi_on.by_id(broken.statement_id) == []
    for row in rows:
        if row.pk != broken.pk:
            assert len(xapi_on.by_id(row.statement_id)) == 1


def test_a_statement_the_store_holds_under_its_id_counts_as_delivered(xapi_on, course):
    """409 Conflict: the store already has a statement with that id (ours are stable)."""
    rows = _learners_progress(course)
    assert xapi_services.deliver_due().delivered == 4
    changed = rows[0]
    changed.statement = {**changed.statement, "timestamp": "2026-01-01T00:00:00+00:00"}
    changed.status = DeliveryStatus.PENDING
    changed.next_attempt_at = timezone.now()
    changed.save()
    report = xapi_services.deliver_due()
    assert (report.delivered, report.failed) == (1, 0)
    changed.refresh_from_db()
    assert changed.status == DeliveryStatus.DELIVERED
    assert changed.last_error.startswith("HTTP 409")
    assert len(xapi_on.by_id(changed.statement_id)) == 1


def test_wrong_credentials_fail_the_batch_and_stop_the_run(xapi_on, course, settings):
    settings.XAPI_BATCH_SIZE = 2
    _learners_progress(course)
    settings.XAPI_PASSWORD = "wrong"
    report = xapi_services.deliver_due()
    assert (report.delivered, report.failed) == (0, 2)  # the second batch is not tried
    assert report.errors[0].startswith("HTTP 401")
    assert outbox_counts() == {"pending": 2, "failed": 2, "delivered": 0}


def test_one_delivery_is_enqueued_per_transaction(
    xapi_on, course, settings, django_capture_on_commit_callbacks
):
    first, second, last = course.get_children().live().order_by("path")
    # The earlier events with statements off: this test's own transaction never commits, so
    # their callbacks would still be waiting in it.
    endpoint, settings.XAPI_ENDPOINT = settings.XAPI_ENDPOINT, ""
    enrollment, _created = services.enroll(user=factories.UserFactory(), course=course)
    services.complete_module(enrollment=enrollment, module_id=first.pk)
    services.complete_module(enrollment=enrollment, module_id=second.pk)
    settings.XAPI_ENDPOINT = endpoint
    before = OutboxStatement.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        services.complete_module(enrollment=enrollment, module_id=last.pk)
    assert before == 0
    assert OutboxStatement.objects.count() == 2  # module completed, course completed
    assert [c for c in callbacks if c is xapi_services.enqueue_delivery] == [
        xapi_services.enqueue_delivery
    ]
