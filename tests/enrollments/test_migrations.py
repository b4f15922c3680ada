"""The post-test summary backfill (enrollments 0003) agrees with the attempts it summarises."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from enrollments import services
from enrollments.models import Enrollment, QuizAttempt
from tests.enrollments.conftest import correct_answers, wrong_answers

pytestmark = pytest.mark.django_db
backfill = importlib.import_module(
    "enrollments.migrations.0003_backfill_post_test_summary"
).backfill


def test_backfill_restores_attempt_counts_and_best_scores(course, modules, learner):
    post_test = modules[-1]
    enrollment = services.enroll(user=learner, course=course)[0]
    untouched = services.enroll(user=learner, course=factories_course(course))[0]
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=wrong_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=2,
    )  # fmt: skip
    # As a database upgraded to 0002 had them: defaults, whatever the attempts say.
    Enrollment.objects.update(post_test_attempts=0, post_test_best_score=None)

    backfill(apps, None)

    enrollment.refresh_from_db()
    untouched.refresh_from_db()
    attempts = QuizAttempt.objects.filter(enrollment=enrollment).count()
    assert attempts == 2
    assert enrollment.post_test_attempts == attempts
    assert enrollment.post_test_best_score == Decimal("100.00")
    assert (untouched.post_test_attempts, untouched.post_test_best_score) == (0, None)


def factories_course(course):
    from tests.courses import factories

    return factories.course(course.get_parent().specific, "CTN-102", modules=1, post_test=True)
