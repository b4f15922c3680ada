"""A regrade that turns a failed learner into a passed one ends in an issued certificate, through
the real path: try_complete -> course_completed -> certificates receiver -> a real Celery worker.

PostgreSQL and Redis only (CI), like the other worker tests.
"""

import pytest

from certificates.models import Certificate, CertificateStatus
from enrollments import services
from enrollments.models import Enrollment
from tests import factories
from tests.certificates.test_worker_faults import (  # noqa: F401 (fixtures)
    _needs_postgres_and_redis,
    private_queue,
    worker_env,
)
from tests.enrollments.test_regrade import ANSWERS, fix_q0
from tests.worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_regrade_that_passes_a_learner_issues_their_certificate(private_queue):  # noqa: F811
    program = factories.program("ctn")
    course = factories.course(program, "CTN-201", modules=1, post_test=True, pass_mark=80,
                              evaluation_required=False)  # fmt: skip
    lesson, post_test = course.get_children().specific().order_by("path")
    user = factories.UserFactory(email="ben@example.org")
    enrollment = services.enroll(user=user, course=course)[0]
    services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    chosen = ANSWERS["ben@example.org"]  # 60%: failed
    answers = {block.id: [str(chosen[i])] for i, block in enumerate(post_test.questions)}
    attempt = services.submit_quiz(enrollment=enrollment, module_id=post_test.pk,
                                   answers=answers, attempt_number=1)  # fmt: skip
    assert (attempt.score, attempt.passed) == (60, False)
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    question_id = fix_q0(post_test)

    with celery_worker(private_queue, env=worker_env()):
        services.apply_regrade(module=post_test, question_id=question_id,
                               user=factories.superuser())  # fmt: skip
        issued = wait_for(
            lambda: Certificate.objects.filter(
                enrollment=enrollment, status=CertificateStatus.ISSUED
            ).exists(),
            90,
        )
    assert issued
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    assert enrollment.is_completed
    assert str(enrollment.post_test_best_score) == "80.00"
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
