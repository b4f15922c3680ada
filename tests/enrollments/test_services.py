"""The rules of enrollment, progress, quizzes, evaluation and completion."""

import pytest

from enrollments import services
from enrollments.models import (
    CourseEvaluation,
    Enrollment,
    EnrollmentStatus,
    ModuleProgress,
    QuizAttempt,
)
from tests.courses import factories
from tests.factories import correct_answers, wrong_answers

pytestmark = pytest.mark.django_db(transaction=False)

EVALUATION_DATA = {
    "overall": 5,
    "relevance": 4,
    "objectives_met": True,
    "free_of_bias": True,
    "would_recommend": True,
}


def test_enrolling_twice_gives_one_enrollment(learner, course):
    first, created = services.enroll(user=learner, course=course)
    second, created_again = services.enroll(user=learner, course=course)
    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_enrollment_refused_when_closed(learner, course):
    course.enrollment_open = False
    course.save_revision().publish()
    with pytest.raises(services.EnrollmentRefused, match="closed"):
        services.enroll(user=learner, course=course)
    assert Enrollment.objects.count() == 0


def test_enrollment_refused_when_unpublished(learner, course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(services.EnrollmentRefused, match="not published"):
        services.enroll(user=learner, course=course)


def test_enrollment_refused_until_the_prerequisite_is_completed(learner, course):
    advanced = factories.course(course.get_parent(), "CTN-301", modules=1)
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    with pytest.raises(services.EnrollmentRefused, match="CTN-101"):
        services.enroll(user=learner, course=advanced)
    enrollment, _ = services.enroll(user=learner, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.COMPLETED)
    _, created = services.enroll(user=learner, course=advanced)
    assert created is True


def test_quiz_module_cannot_be_marked_complete(learner, course, modules):
    enrollment, _ = services.enroll(user=learner, course=course)
    with pytest.raises(services.QuizRequired):
        services.complete_module(enrollment=enrollment, module_id=modules[-1].pk)
    assert ModuleProgress.objects.count() == 0


def test_module_of_another_course_is_refused(learner, course):
    other = factories.course(course.get_parent(), "CTN-999", modules=1)
    enrollment, _ = services.enroll(user=learner, course=course)
    foreign = other.get_children().first()
    with pytest.raises(services.ModuleNotInCourse):
        services.complete_module(enrollment=enrollment, module_id=foreign.pk)
    assert ModuleProgress.objects.count() == 0


def test_grading_is_on_the_server_and_limits_attempts(learner, course, modules):
    enrollment, _ = services.enroll(user=learner, course=course)
    post_test = modules[-1]
    for number in (1, 2, 3):
        attempt = services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk,
            answers=wrong_answers(post_test), attempt_number=number,
        )  # fmt: skip
        assert (attempt.passed, attempt.score) == (False, 0)
    with pytest.raises(services.AttemptLimitReached):
        services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk,
            answers=correct_answers(post_test), attempt_number=4,
        )  # fmt: skip
    assert QuizAttempt.objects.count() == 3
    assert not ModuleProgress.objects.filter(module=post_test).exists()


def test_a_replayed_submission_does_not_count_twice(learner, course, modules):
    enrollment, _ = services.enroll(user=learner, course=course)
    post_test = modules[-1]
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk,
        answers=wrong_answers(post_test), attempt_number=1,
    )  # fmt: skip
    with pytest.raises(services.StaleSubmission):
        services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk,
            answers=correct_answers(post_test), attempt_number=1,
        )  # fmt: skip
    assert QuizAttempt.objects.count() == 1


def test_answers_naming_another_questions_option_are_refused(learner, course, modules):
    enrollment, _ = services.enroll(user=learner, course=course)
    post_test = modules[-1]
    other_quiz = factories.module(course, "Check", quiz_kind="knowledge_check",
                                  questions=[factories.question()])  # fmt: skip
    answers = correct_answers(post_test)
    answers[other_quiz.questions[0].id] = ["0"]
    with pytest.raises(services.InvalidAnswers):
        services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk, answers=answers, attempt_number=1
        )
    bad_index = correct_answers(post_test)
    bad_index[post_test.questions[0].id] = ["9"]
    with pytest.raises(services.InvalidAnswers):
        services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk, answers=bad_index, attempt_number=1
        )
    assert QuizAttempt.objects.count() == 0


def test_multiple_correct_questions_need_every_correct_option(learner, course):
    quiz = factories.module(
        course, "Check", quiz_kind="knowledge_check",
        questions=[factories.question(correct=(0, 2))],
    )  # fmt: skip
    enrollment, _ = services.enroll(user=learner, course=course)
    question_id = quiz.questions[0].id
    partial = services.submit_quiz(
        enrollment=enrollment, module_id=quiz.pk, answers={question_id: ["0"]}, attempt_number=1
    )
    full = services.submit_quiz(
        enrollment=enrollment, module_id=quiz.pk, answers={question_id: ["0", "2"]},
        attempt_number=2,
    )  # fmt: skip
    assert (partial.passed, full.passed) == (False, True)


def test_completion_needs_modules_post_test_and_evaluation_and_happens_once(
    learner, course, modules, completions, django_capture_on_commit_callbacks
):
    enrollment, _ = services.enroll(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for module in modules[:-1]:
            services.complete_module(enrollment=enrollment, module_id=module.pk)
        services.submit_quiz(
            enrollment=enrollment, module_id=modules[-1].pk,
            answers=correct_answers(modules[-1]), attempt_number=1,
        )  # fmt: skip
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE  # evaluation still missing
    assert completions == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_evaluation(enrollment=enrollment, data=EVALUATION_DATA)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None
    assert (enrollment.modules_completed, enrollment.minutes_completed) == (3, 45)
    assert completions == [enrollment.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.try_complete(enrollment=enrollment) is False
    assert completions == [enrollment.pk]


def test_evaluation_only_once_and_only_after_the_modules(learner, course, modules):
    enrollment, _ = services.enroll(user=learner, course=course)
    with pytest.raises(services.EvaluationNotAllowed, match="opens once"):
        services.submit_evaluation(enrollment=enrollment, data=EVALUATION_DATA)
    for module in modules[:-1]:
        services.complete_module(enrollment=enrollment, module_id=module.pk)
    services.submit_quiz(
        enrollment=enrollment, module_id=modules[-1].pk,
        answers=correct_answers(modules[-1]), attempt_number=1,
    )  # fmt: skip
    services.submit_evaluation(enrollment=enrollment, data=EVALUATION_DATA)
    with pytest.raises(services.EvaluationNotAllowed, match="already"):
        services.submit_evaluation(enrollment=enrollment, data=EVALUATION_DATA)
    assert CourseEvaluation.objects.count() == 1


def test_course_without_required_evaluation_completes_on_the_post_test(
    learner, completions, django_capture_on_commit_callbacks
):
    program = factories.program("cmiit")
    course = factories.course(program, "CMIIT-101", post_test=True, evaluation_required=False)
    post_test = course.get_children().specific().get()
    enrollment, _ = services.enroll(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_quiz(
            enrollment=enrollment, module_id=post_test.pk,
            answers=correct_answers(post_test), attempt_number=1,
        )  # fmt: skip
    enrollment.refresh_from_db()
    assert enrollment.is_completed is True
    assert completions == [enrollment.pk]


def test_a_new_cycle_starts_only_after_completion_and_keeps_the_earlier_records(
    learner, course, modules
):
    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)
    with pytest.raises(services.CycleNotFinished):
        services.start_new_cycle(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert (enrollment.cycle, enrollment.modules_completed) == (1, 1)
    for module in modules[1:-1]:
        services.complete_module(enrollment=enrollment, module_id=module.pk)
    services.submit_quiz(
        enrollment=enrollment, module_id=modules[-1].pk,
        answers=correct_answers(modules[-1]), attempt_number=1,
    )  # fmt: skip
    services.submit_evaluation(enrollment=enrollment, data=EVALUATION_DATA)
    renewed = services.start_new_cycle(enrollment=enrollment)
    renewed.refresh_from_db()
    assert (renewed.cycle, renewed.status, renewed.completed_at) == (
        2, EnrollmentStatus.ACTIVE, None,
    )  # fmt: skip
    assert (renewed.modules_completed, renewed.minutes_completed) == (0, 0)
    assert (renewed.post_test_attempts, renewed.post_test_best_score) == (0, None)
    assert ModuleProgress.objects.filter(enrollment=enrollment, cycle=1).count() == 3
    assert services.modules_remaining(renewed) == 3
