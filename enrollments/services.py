"""The rules of enrollment, progress and completion. Views call these; nothing else writes."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.query import PageQuerySet

from accounts.models import User
from courses.models import CoursePage, ModulePage, QuizKind
from enrollments.models import (
    CourseEvaluation,
    Enrollment,
    EnrollmentStatus,
    ModuleProgress,
    QuizAttempt,
)
from enrollments.signals import course_completed
from infrastructure.caching import bump_user

logger = logging.getLogger(__name__)


class LearningError(Exception):
    """A request the rules refuse. ``status`` is the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EnrollmentRefused(LearningError):
    status = 403


class ModuleNotInCourse(LearningError):
    status = 404


class QuizRequired(LearningError):
    status = 400


class InvalidAnswers(LearningError):
    status = 400


class UnansweredQuestions(InvalidAnswers):
    """Some questions have no answer: the form comes back with the learner's answers kept."""

    def __init__(self, message: str, *, question_ids: list[str]):
        super().__init__(message)
        self.question_ids = question_ids


class AttemptLimitReached(LearningError):
    status = 403


class StaleSubmission(LearningError):
    status = 409


class EvaluationNotAllowed(LearningError):
    status = 409


class CycleNotFinished(LearningError):
    status = 409


class ModuleClosed(LearningError):
    """An extension point closed the module (see courses.extension_points.MODULE_ACCESS_DENIAL)."""

    status = 403


# --- Enrollment -------------------------------------------------------------------------------


def enrollment_blockers(*, user: User, course: CoursePage) -> list[str]:
    """Every reason ``user`` may not enroll in ``course`` now (empty when they may)."""
    reasons = []
    if not course.live:
        reasons.append(_("This course is not published."))
    if not course.enrollment_open:
        reasons.append(_("Enrollment in this course is closed."))
    newer = course.next_editions.live().only("code").first()
    if newer is not None:
        reasons.append(
            _("A newer edition replaces this course: enroll in %(code)s.") % {"code": newer.code}
        )
    # Only live prerequisites count (as on the course page): a draft one is ignored until it is
    # published, so it neither locks the course nor shows its title to learners.
    required = course.get_prerequisites()
    done = set(
        Enrollment.objects.filter(user=user, status=EnrollmentStatus.COMPLETED).values_list(
            "course_id", flat=True
        )
    )
    missing = [f"{c.code} {c.title}" for c in required if c.pk not in done]
    if missing:
        reasons.append(_("Complete the prerequisite first: %s.") % "; ".join(missing))
    return reasons


def enroll(*, user: User, course: CoursePage) -> tuple[Enrollment, bool]:
    """Enroll ``user`` once: the course must be live and open and its prerequisites completed.

    A repeated or concurrent request returns the existing enrollment (unique constraint).
    """
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    reasons = enrollment_blockers(user=user, course=course)
    if reasons:
        raise EnrollmentRefused(" ".join(reasons))
    try:
        with transaction.atomic():
            return Enrollment.objects.create(user=user, course=course), True
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course), False


# --- Progress ---------------------------------------------------------------------------------


def course_modules(course: CoursePage) -> PageQuerySet:
    return ModulePage.objects.live().child_of(course).defer_streamfields()


def _module_of(enrollment: Enrollment, module_id: int) -> ModulePage:
    """The course's (source) module ``module_id`` names: itself, or the one it translates."""
    module = course_modules(enrollment.course).filter(pk=module_id).first()
    if module is None:
        # A translated module page (e.g. the Spanish course's) stands for its source module.
        key = ModulePage.objects.filter(pk=module_id).values_list("translation_key", flat=True)
        module = course_modules(enrollment.course).filter(translation_key__in=key).first()
    if module is None:
        raise ModuleNotInCourse(_("That module is not part of this course."))
    return module


def _shown_module(module: ModulePage, module_id: int) -> ModulePage:
    """The module page the learner answered: a translation grades with its own text (same
    question ids and correct options, synchronised from the source)."""
    if module.pk == module_id:
        return module
    shown = ModulePage.objects.live().filter(pk=module_id).first()
    return shown or module


def _done_modules(enrollment: Enrollment) -> QuerySet[ModuleProgress]:
    """Progress rows of this cycle for modules still live in the course."""
    return ModuleProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module__in=course_modules(enrollment.course)
    )


def _recompute(enrollment: Enrollment) -> None:
    done = _done_modules(enrollment)
    totals = done.aggregate(minutes=Sum("module__estimated_minutes"))
    Enrollment.objects.filter(pk=enrollment.pk).update(
        modules_completed=done.count(),
        minutes_completed=totals["minutes"] or 0,
        last_activity_at=timezone.now(),
    )


def _record_progress(enrollment: Enrollment, module: ModulePage) -> bool:
    try:
        with transaction.atomic():
            ModuleProgress.objects.create(
                enrollment=enrollment, cycle=enrollment.cycle, module=module
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def complete_module(*, enrollment: Enrollment, module_id: int) -> ModuleProgress:
    """Mark a content module read. Quiz modules complete only by passing their quiz."""
    module = _module_of(enrollment, module_id)
    if module.quiz_kind:
        raise QuizRequired(_("This module completes when you pass its quiz."))
    _record_progress(enrollment, module)
    _recompute(enrollment)
    try_complete(enrollment=enrollment)
    return ModuleProgress.objects.get(enrollment=enrollment, cycle=enrollment.cycle, module=module)


# --- Quizzes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradedQuestion:
    id: str
    prompt: str
    options: list[dict]
    selected: list[int]
    correct: list[int]
    is_correct: bool
    explanation: object


def attempt_limit(enrollment: Enrollment, module: ModulePage) -> int | None:
    """Post-tests allow the course's attempts; knowledge checks may be retried freely."""
    return enrollment.course.attempt_limit if module.quiz_kind == QuizKind.POST_TEST else None


def _clean_answers(module: ModulePage, answers: dict[str, list[str]]) -> dict[str, list[int]]:
    questions = {block.id: block.value for block in module.questions}
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidAnswers(_("The answers name a question that is not in this quiz."))
    unanswered = [question_id for question_id in questions if not answers.get(question_id)]
    if unanswered:
        raise UnansweredQuestions(
            _("Answer every question before submitting."), question_ids=unanswered
        )
    cleaned = {}
    for question_id, value in questions.items():
        raw = answers[question_id]
        try:
            chosen = sorted({int(item) for item in raw})
        except (TypeError, ValueError):
            raise InvalidAnswers(_("An answer was not one of the options.")) from None
        if any(not 0 <= index < len(value["options"]) for index in chosen):
            raise InvalidAnswers(_("An answer was not one of that question's options."))
        if len(chosen) > 1 and sum(1 for o in value["options"] if o["correct"]) == 1:
            raise InvalidAnswers(_("Choose one option for single-answer questions."))
        cleaned[question_id] = chosen
    return cleaned


def grade(module: ModulePage, answers: dict[str, list[int]]) -> list[GradedQuestion]:
    graded = []
    for block in module.questions:
        correct = [i for i, option in enumerate(block.value["options"]) if option["correct"]]
        selected = answers.get(block.id, [])
        graded.append(
            GradedQuestion(
                id=block.id,
                prompt=block.value["prompt"],
                options=[
                    {"index": i, "text": o["text"]} for i, o in enumerate(block.value["options"])
                ],
                selected=selected,
                correct=correct,
                is_correct=sorted(selected) == correct,
                explanation=block.value["explanation"],
            )
        )
    return graded


def percent_correct(graded: Sequence[GradedQuestion]) -> Decimal:
    """The score: the share of questions answered exactly right, in percent, to two places.

    A question counts only when the selection equals its set of correct options (no partial
    credit for a multi-select question).
    """
    if not graded:
        return Decimal("0.00")
    correct = sum(1 for question in graded if question.is_correct)
    return (Decimal(100) * correct / len(graded)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def submit_quiz(
    *, enrollment: Enrollment, module_id: int, answers: dict[str, list[str]], attempt_number: int
) -> QuizAttempt:
    """Grade an attempt on the server and record it.

    ``attempt_number`` is the attempt the page was showing: a replayed or stale form (a number
    already used) is refused, and the unique constraint stops two concurrent submissions.
    Passing completes the module; the post-test's attempts are limited by the course.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    )
    module = _module_of(enrollment, module_id)
    if not module.quiz_kind:
        raise InvalidAnswers(_("This module has no quiz."))
    used = QuizAttempt.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module=module
    ).count()
    if attempt_number != used + 1:
        raise StaleSubmission(
            _("This attempt was already submitted; your result is recorded once.")
        )
    if ModuleProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module=module
    ).exists():
        raise StaleSubmission(_("You have already passed this quiz."))
    limit = attempt_limit(enrollment, module)
    if limit is not None and used >= limit:
        raise AttemptLimitReached(
            _("You have used all %(limit)d attempts at this post-test.") % {"limit": limit}
        )
    shown = _shown_module(module, module_id)
    cleaned = _clean_answers(shown, answers)
    graded = grade(shown, cleaned)
    correct = sum(1 for question in graded if question.is_correct)
    score = percent_correct(graded)
    passed = score >= enrollment.course.pass_mark
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrollment=enrollment,
                cycle=enrollment.cycle,
                module=module,
                number=attempt_number,
                answers=cleaned,
                correct_count=correct,
                question_count=len(graded),
                score=score,
                passed=passed,
            )
    except IntegrityError:
        raise StaleSubmission(
            _("This attempt was already submitted; your result is recorded once.")
        ) from None
    if module.quiz_kind == QuizKind.POST_TEST:
        best = enrollment.post_test_best_score
        Enrollment.objects.filter(pk=enrollment.pk).update(
            post_test_attempts=attempt_number,
            post_test_best_score=score if best is None else max(best, score),
        )
    if passed:
        _record_progress(enrollment, module)
    _recompute(enrollment)
    try_complete(enrollment=enrollment)
    return attempt


@dataclass(frozen=True)
class PreviewResult:
    graded: list[GradedQuestion]
    correct_count: int
    question_count: int
    score: Decimal
    passed: bool


def grade_preview(*, module: ModulePage, answers: dict[str, list[str]]) -> PreviewResult:
    """Grade a preview attempt exactly as ``submit_quiz`` would, and record nothing.

    ``module`` is the version being previewed (its latest revision): a reviewer checks the quiz
    they are asked to approve. Bad answers raise ``InvalidAnswers`` as they do for learners.
    """
    if not module.quiz_kind:
        raise InvalidAnswers(_("This module has no quiz."))
    graded = grade(module, _clean_answers(module, answers))
    correct = sum(1 for question in graded if question.is_correct)
    score = (Decimal(100) * correct / len(graded)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    course = module.get_course()
    return PreviewResult(graded, correct, len(graded), score, score >= course.pass_mark)


# --- Evaluation and completion ----------------------------------------------------------------


def modules_remaining(enrollment: Enrollment) -> int:
    return course_modules(enrollment.course).count() - _done_modules(enrollment).count()


@transaction.atomic
def submit_evaluation(*, enrollment: Enrollment, data: dict) -> CourseEvaluation:
    """Record the learner's evaluation once, after every module (and the post-test) is done."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if CourseEvaluation.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).exists():
        raise EvaluationNotAllowed(_("You have already submitted the evaluation."))
    if modules_remaining(enrollment):
        raise EvaluationNotAllowed(
            _("The evaluation opens once every module and the post-test are complete.")
        )
    try:
        with transaction.atomic():
            evaluation = CourseEvaluation.objects.create(
                enrollment=enrollment, cycle=enrollment.cycle, **data
            )
    except IntegrityError:
        raise EvaluationNotAllowed(_("You have already submitted the evaluation.")) from None
    try_complete(enrollment=enrollment)
    return evaluation


@transaction.atomic
def start_new_cycle(*, enrollment: Enrollment) -> Enrollment:
    """Take a completed course again (a renewal): the next cycle starts with no progress.

    Only a completed enrollment starts a new cycle. The earlier cycle's progress, attempts and
    evaluation stay on record (they carry their cycle); the enrollment's summary is reset.
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.COMPLETED:
        raise CycleNotFinished(_("Only a completed course can be taken again."))
    enrollment.cycle += 1
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.completed_at = None
    enrollment.modules_completed = 0
    enrollment.minutes_completed = 0
    enrollment.post_test_attempts = 0
    enrollment.post_test_best_score = None
    enrollment.save()
    return enrollment


def completion_blockers(enrollment: Enrollment) -> list[str]:
    """Why this enrollment is not complete yet (empty when it may be completed)."""
    reasons = []
    remaining = modules_remaining(enrollment)
    if remaining:
        reasons.append(f"{remaining} module(s) not complete")
    if (
        enrollment.course.evaluation_required
        and not CourseEvaluation.objects.filter(
            enrollment=enrollment, cycle=enrollment.cycle
        ).exists()
    ):
        reasons.append("evaluation not submitted")
    return reasons


def try_complete(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment exactly once when every requirement is met.

    The conditional UPDATE means only one of any number of concurrent callers wins; the winner
    announces ``course_completed`` after its transaction commits.
    """
    reasons = completion_blockers(enrollment)
    if reasons:
        logger.debug("Enrollment %s not complete: %s", enrollment.pk, ", ".join(reasons))
        return False
    won = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )
    if won:
        bump_user(enrollment.user_id)
        enrollment_id = enrollment.pk
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment_id=enrollment_id)
        )
        logger.info("Enrollment %s completed", enrollment_id)
    return bool(won)
