"""The post-test summary backfill (enrollments 0003) agrees with the attempts it summarises."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from enrollments import services
from enrollments.models import Enrollment, QuizAttempt
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import correct_answers, wrong_answers

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
    # Attempts the summary must leave out: a knowledge check's, and a renewed course's old cycle.
    check = factories.module(course, "Check", quiz_kind="knowledge_check",
                             questions=[factories.question()])  # fmt: skip
    for number, answers in enumerate((wrong_answers, wrong_answers, correct_answers), start=1):
        services.submit_quiz(
            enrollment=enrollment, module_id=check.pk, answers=answers(check), attempt_number=number
        )
    renewed = services.enroll(user=UserFactory(email="renewed@example.org"), course=course)[0]
    services.submit_quiz(
        enrollment=renewed, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    Enrollment.objects.filter(pk=renewed.pk).update(cycle=2)
    # As a database upgraded to 0002 had them: defaults, whatever the attempts say.
    Enrollment.objects.update(post_test_attempts=0, post_test_best_score=None)

    backfill(apps, None)

    enrollment.refresh_from_db()
    untouched.refresh_from_db()
    post_tests = QuizAttempt.objects.filter(enrollment=enrollment, module=post_test).count()
    assert post_tests == 2
    assert QuizAttempt.objects.filter(enrollment=enrollment).count() == 5
    assert enrollment.post_test_attempts == post_tests
    assert enrollment.post_test_best_score == Decimal("100.00")
    assert (untouched.post_test_attempts, untouched.post_test_best_score) == (0, None)
    renewed.refresh_from_db()
    assert (renewed.post_test_attempts, renewed.post_test_best_score) == (0, None)


def factories_course(course):
    return factories.course(course.get_parent().specific, "CTN-102", modules=1, post_test=True)
