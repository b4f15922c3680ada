"""The outbox: statements written with their event, sent to the learning record store later.

Writing (``record_*``, called by ``xapi.receivers`` inside the event's transaction) does nothing
while ``XAPI_ENDPOINT`` is unset: no row, no query. Sending (``deliver_due``, run by the worker
after each event and by the beat sweep) POSTs due rows in batches, oldest first; a store that is
down or refuses leaves them undelivered with a doubling delay (``next_attempt_at``), so nothing
is lost and each statement is eventually accepted once (its id is stable: a store keeps a
repeated statement once, answering 204 or 409).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certificates.models import Certificate
from courses.models import ModulePage
from enrollments.models import Enrollment, QuizAttempt
from xapi import statements as xs
from xapi.models import DeliveryStatus, OutboxStatement, StatementKind

logger = logging.getLogger(__name__)

# Batches one run sends at most (a run then ends; the next picks up where it stopped).
MAX_BATCHES_PER_RUN = 20
# A claimed row is left alone this long by other runs while its request is in flight.
CLAIM_SECONDS = 120


def enabled() -> bool:
    return bool(settings.XAPI_ENDPOINT)


# --- Writing (inside the event's transaction) -------------------------------------------------


def _write(*, kind: StatementKind, statement: xs.Statement, user_id: int, object_id: str) -> None:
    now = timezone.now()
    # ignore_conflicts: the same event recorded twice (a replay) keeps its one row.
    OutboxStatement.objects.bulk_create(
        [
            OutboxStatement(
                statement_id=statement["id"],
                kind=kind,
                statement=statement,
                user_id=user_id,
                object_id=object_id,
                next_attempt_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    # One delivery per transaction, however many statements it wrote (a passed post-test
    # writes three).
    pending = transaction.get_connection().run_on_commit
    if not any(callback is enqueue_delivery for _, callback, _ in pending):
        transaction.on_commit(enqueue_delivery)


def _course_activity(course: Any) -> dict[str, Any]:
    return xs.activity(
        xs.page_url(course), activity_type=xs.TYPE_COURSE, name=f"{course.code} {course.title}"
    )


def _module_activity(module: ModulePage) -> dict[str, Any]:
    kind = xs.TYPE_ASSESSMENT if module.quiz_kind else xs.TYPE_MODULE
    return xs.activity(xs.page_url(module), activity_type=kind, name=module.title)


def record_enrolled(*, enrollment: Enrollment) -> None:
    """registered: the learner enrolled in the course (or began a new cycle of it)."""
    if not enabled():
        return
    course = enrollment.course
    obj = _course_activity(course)
    statement_id = xs.name_based_id(StatementKind.ENROLLED, enrollment.pk, enrollment.cycle)
    _write(
        kind=StatementKind.ENROLLED,
        statement=xs.statement(
            statement_id=statement_id,
            user_id=enrollment.user_id,
            verb=xs.VERB_REGISTERED,
            obj=obj,
            timestamp=timezone.now(),
            registration_id=xs.registration(enrollment.pk, enrollment.cycle),
        ),
        user_id=enrollment.user_id,
        object_id=obj["id"],
    )


def record_module_completed(*, enrollment: Enrollment, module: ModulePage) -> None:
    """completed: a module is done (read, or its quiz passed), within its course."""
    if not enabled():
        return
    obj = _module_activity(module)
    statement_id = xs.name_based_id(
        StatementKind.MODULE_COMPLETED, enrollment.pk, enrollment.cycle, module.pk
    )
    _write(
        kind=StatementKind.MODULE_COMPLETED,
        statement=xs.statement(
            statement_id=statement_id,
            user_id=enrollment.user_id,
            verb=xs.VERB_COMPLETED,
            obj=obj,
            timestamp=timezone.now(),
            registration_id=xs.registration(enrollment.pk, enrollment.cycle),
            parent=_course_activity(enrollment.course),
            result={"completion": True},
        ),
        user_id=enrollment.user_id,
        object_id=obj["id"],
    )


def record_quiz_attempt(
    *, enrollment: Enrollment, module: ModulePage, attempt: QuizAttempt
) -> None:
    """passed or failed: one graded quiz attempt, with its score."""
    if not enabled():
        return
    kind = StatementKind.QUIZ_PASSED if attempt.passed else StatementKind.QUIZ_FAILED
    obj = _module_activity(module)
    statement_id = xs.name_based_id(
        kind, enrollment.pk, attempt.cycle, module.pk, f"attempt-{attempt.number}"
    )
    _write(
        kind=kind,
        statement=xs.statement(
            statement_id=statement_id,
            user_id=enrollment.user_id,
            verb=xs.VERB_PASSED if attempt.passed else xs.VERB_FAILED,
            obj=obj,
            timestamp=timezone.now(),
            registration_id=xs.registration(enrollment.pk, attempt.cycle),
            parent=_course_activity(enrollment.course),
            result=xs.quiz_result(
                correct=attempt.correct_count,
                questions=attempt.question_count,
                score_percent=attempt.score,
                passed=attempt.passed,
            ),
            extensions={xs.EXTENSION_ATTEMPT: attempt.number},
        ),
        user_id=enrollment.user_id,
        object_id=obj["id"],
    )


def record_course_completed(*, enrollment: Enrollment) -> None:
    """completed: every requirement of the course is met (once per cycle)."""
    if not enabled():
        return
    obj = _course_activity(enrollment.course)
    statement_id = xs.name_based_id(StatementKind.COURSE_COMPLETED, enrollment.pk, enrollment.cycle)
    _write(
        kind=StatementKind.COURSE_COMPLETED,
        statement=xs.statement(
            statement_id=statement_id,
            user_id=enrollment.user_id,
            verb=xs.VERB_COMPLETED,
            obj=obj,
            timestamp=timezone.now(),
            registration_id=xs.registration(enrollment.pk, enrollment.cycle),
            result={"completion": True, "success": True},
        ),
        user_id=enrollment.user_id,
        object_id=obj["id"],
    )


def record_certificate_issued(*, certificate: Certificate) -> None:
    """earned: the certificate of a completed course was issued."""
    if not enabled():
        return
    enrollment = certificate.enrollment
    course = _course_activity(enrollment.course)
    obj = xs.activity(
        f"{course['id']}#certificate",
        activity_type=xs.TYPE_CERTIFICATE,
        name=f"Certificate: {enrollment.course.code} {enrollment.course.title}",
    )
    statement_id = xs.name_based_id(StatementKind.CERTIFICATE_ISSUED, certificate.pk)
    _write(
        kind=StatementKind.CERTIFICATE_ISSUED,
        statement=xs.statement(
            statement_id=statement_id,
            user_id=enrollment.user_id,
            verb=xs.VERB_EARNED,
            obj=obj,
            timestamp=timezone.now(),
            registration_id=xs.registration(enrollment.pk, certificate.cycle),
            parent=course,
            result={"completion": True, "success": True},
        ),
        user_id=enrollment.user_id,
        object_id=obj["id"],
    )


def enqueue_delivery() -> bool:
    """Ask the worker to send now, without waiting on a broker that is down (the sweep will)."""
    from xapi.tasks import deliver

    try:
        deliver.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - the beat sweep sends whatever this could not
        logger.warning("Could not enqueue xAPI delivery (%s); the sweep will send", exc)
        return False
    return True


# --- Sending (by the worker) ------------------------------------------------------------------


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class StoreUnavailable(Exception):
    """The store did not answer, or answered that it cannot take anything now."""


def retry_delay(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, ... doubling after each failed attempt, up to the maximum (1 hour)."""
    seconds = settings.XAPI_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.XAPI_RETRY_MAX_SECONDS))


def statements_url() -> str:
    return f"{settings.XAPI_ENDPOINT}statements"


def _post(session: requests.Session, payload: Sequence[xs.Statement]) -> requests.Response:
    try:
        return session.post(
            statements_url(), json=list(payload), timeout=settings.XAPI_TIMEOUT_SECONDS
        )
    except requests.RequestException as exc:
        raise StoreUnavailable(f"{exc.__class__.__name__}: {exc}"[:1000]) from exc


def _accepted(response: requests.Response) -> bool:
    # 409: the store already holds a statement with this id (ours: ids are stable).
    return response.status_code in (200, 204, 409)


def _refusal(response: requests.Response) -> str:
    return f"HTTP {response.status_code}: {response.text[:500]}"


def _store_is_failing(response: requests.Response) -> bool:
    """Answers about the store or our credentials, not about a statement: stop, retry later."""
    return response.status_code in (401, 403, 408, 429) or response.status_code >= 500


def _mark_delivered(rows: Sequence[OutboxStatement], now: datetime, note: str = "") -> None:
    OutboxStatement.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=DeliveryStatus.DELIVERED,
        delivered_at=now,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
        last_error=note,
    )


def _mark_failed(row: OutboxStatement, now: datetime, error: str) -> None:
    attempts = row.attempts + 1
    OutboxStatement.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.FAILED,
        attempts=attempts,
        last_attempt_at=now,
        next_attempt_at=now + retry_delay(attempts),
        last_error=error[:2000],
    )


def _claim(now: datetime) -> list[OutboxStatement]:
    """The oldest due rows, set aside for this run (another run skips them meanwhile)."""
    with transaction.atomic():
        ids = list(
            OutboxStatement.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.XAPI_BATCH_SIZE]
        )
        OutboxStatement.objects.filter(pk__in=ids).update(
            next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    return list(OutboxStatement.objects.filter(pk__in=ids).order_by("pk"))


def _send_batch(
    session: requests.Session, rows: list[OutboxStatement], report: DeliveryReport, now: datetime
) -> None:
    try:
        response = _post(session, [row.statement for row in rows])
    except StoreUnavailable as exc:
        for row in rows:
            _mark_failed(row, now, str(exc))
        report.failed += len(rows)
        report.errors.append(str(exc))
        raise
    if response.status_code in (200, 204):
        _mark_delivered(rows, now)
        report.delivered += len(rows)
        return
    if _store_is_failing(response) or (len(rows) == 1 and not _accepted(response)):
        for row in rows:
            _mark_failed(row, now, _refusal(response))
        report.failed += len(rows)
        report.errors.append(_refusal(response))
        if _store_is_failing(response):
            raise StoreUnavailable(_refusal(response))
        return
    if len(rows) == 1:  # 409 for the one statement: the store has it
        _mark_delivered(rows, now, note=_refusal(response))
        report.delivered += 1
        return
    # The store refused the batch (one bad or conflicting statement): send them one by one, so
    # the others go through and the refused one carries its own answer.
    for row in rows:
        _send_batch(session, [row], report, now)


def deliver_due(*, now: datetime | None = None) -> DeliveryReport:
    """Send every due statement, oldest first, in batches of ``XAPI_BATCH_SIZE``.

    Stops at the first batch the store cannot take (down, overloaded, refusing our credentials):
    that batch's rows wait their doubled delay; rows not reached keep theirs.
    """
    report = DeliveryReport()
    if not enabled():
        return report
    session = requests.Session()
    if settings.XAPI_USERNAME:
        session.auth = (settings.XAPI_USERNAME, settings.XAPI_PASSWORD)
    session.headers.update({"X-Experience-API-Version": xs.XAPI_VERSION})
    with session:
        for _ in range(MAX_BATCHES_PER_RUN):
            started = now or timezone.now()
            rows = _claim(started)
            if not rows:
                break
            try:
                _send_batch(session, rows, report, started)
            except StoreUnavailable as exc:
                logger.warning("Learning record store unavailable: %s", exc)
                break
    if report.delivered or report.failed:
        logger.info("xAPI: %d delivered, %d failed", report.delivered, report.failed)
    return report
