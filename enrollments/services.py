"""The rules of enrollment, progress and completion. Views call these; nothing else writes."""

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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
    QuizDraw,
    Regrade,
)
from enrollments.signals import (
    course_completed,
    enrolled,
    enrollment_completed,
    module_completed,
    quiz_attempted,
)

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
            enrollment = Enrollment.objects.create(user=user, course=course)
            enrolled.send(sender=Enrollment, enrollment=enrollment)
            return enrollment, True
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


def _shown_module(module: ModulePage, module_id: int) -> ModulePage | None:
    """The translation of ``module`` the learner answered (``module_id``), or None when it was
    ``module`` itself."""
    if module.pk == module_id:
        return None
    return (
        ModulePage.objects.live()
        .filter(pk=module_id, translation_key=module.translation_key)
        .first()
    )


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
    module_completed.send(sender=ModuleProgress, enrollment=enrollment, module=module)
    return True


@transaction.atomic
def complete_module(*, enrollment: Enrollment, module_id: int) -> ModuleProgress:
    """Mark a content module read. Quiz modules complete only by passing their quiz."""
    module = _module_of(enrollment, module_id)
    if module.scorm_package_id is not None:
        raise QuizRequired(_("This module completes when its SCORM package reports it."))
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


Question = dict[str, Any]
"""One question as an attempt records it (``QuizAttempt.questions``): ``{"id", "prompt",
"explanation" (rich text HTML), "options": [{"index" (in the block), "text", "correct"}]}``."""


def _rich_text_source(value: object) -> str:
    return str(getattr(value, "source", value) or "")


def question_snapshot(module: Any) -> list[Question]:
    """Every question of ``module`` in its order, options in theirs: what an attempt keeps.

    ``module`` needs only ``questions`` (blocks with ``id`` and ``value``). The attempt is graded
    and reviewed from this copy alone, so a later edit of the quiz leaves it as it was.
    """
    return [
        {
            "id": str(block.id),
            "prompt": str(block.value["prompt"]),
            "explanation": _rich_text_source(block.value["explanation"]),
            "options": [
                {"index": index, "text": str(option["text"]), "correct": bool(option["correct"])}
                for index, option in enumerate(block.value["options"])
            ],
        }
        for block in module.questions
    ]


def draw_questions(module: Any, *, rng: random.Random | None = None) -> list[Question]:
    """The questions one attempt shows: ``draw_count`` of the pool at random (kept in the
    pool's order), each question's options shuffled when ``shuffle_options`` is set.

    ``rng``: a seeded ``random.Random`` to reproduce a draw; by default the system's source.
    """
    rng = rng or random.SystemRandom()
    questions = question_snapshot(module)
    count = getattr(module, "draw_count", None)
    if count and count < len(questions):
        chosen = sorted(rng.sample(range(len(questions)), count))
        questions = [questions[position] for position in chosen]
    if getattr(module, "shuffle_options", False):
        for question in questions:
            rng.shuffle(question["options"])
    return questions


def localize_questions(questions: list[Question], shown: Any | None) -> list[Question]:
    """``questions`` (a snapshot or draw of the source module) in the words of ``shown``, a
    translation of that module: each question found by its id, each option by its index.

    The draw's order, shuffle and answer key stay: a translation's questions, options and
    correct flags are synchronised from the source (wagtail-localize), so grading is the same in
    every language. A question the translation lacks, or whose options differ in number (a
    translation not yet synchronised), stays in the source's words.
    """
    if shown is None or not questions:
        return questions
    blocks = {str(block.id): block.value for block in shown.questions}
    localized = []
    for question in questions:
        value = blocks.get(question["id"])
        options = list(value["options"]) if value is not None else []
        if value is None or any(o["index"] >= len(options) for o in question["options"]):
            localized.append(question)
            continue
        localized.append(
            {
                **question,
                "prompt": str(value["prompt"]),
                "explanation": _rich_text_source(value["explanation"]),
                "options": [
                    {**option, "text": str(options[option["index"]]["text"])}
                    for option in question["options"]
                ],
            }
        )
    return localized


def start_attempt(
    *, enrollment: Enrollment, module: ModulePage, shown: ModulePage | None = None
) -> list[Question]:
    """The questions of the learner's next attempt at ``module``, drawn once and stored.

    Asked when the quiz page is shown. Only quizzes that draw (``ModulePage.draws_questions``)
    store a draw; the others show, and grade against, all their questions. ``module`` is the
    source (default-language) module the attempt is recorded on; ``shown``, a translation of it
    the learner reads, gives the questions' words (``localize_questions``).
    """
    if shown is not None and shown.pk == module.pk:
        shown = None
    if not module.draws_questions:
        return localize_questions(question_snapshot(module), shown)
    number = (
        QuizAttempt.objects.filter(
            enrollment=enrollment, cycle=enrollment.cycle, module=module
        ).count()
        + 1
    )
    key = {"enrollment": enrollment, "cycle": enrollment.cycle, "module": module, "number": number}
    draw = QuizDraw.objects.filter(**key).first()
    if draw is None:
        try:
            with transaction.atomic():
                draw = QuizDraw.objects.create(**key, questions=draw_questions(module))
        except IntegrityError:  # a concurrent first view drew it
            draw = QuizDraw.objects.get(**key)
    return localize_questions(list(draw.questions), shown)


def _attempt_questions(
    enrollment: Enrollment, module: ModulePage, attempt_number: int
) -> list[Question]:
    """What attempt ``attempt_number`` is graded on: its stored draw, or every question."""
    if not module.draws_questions:
        return question_snapshot(module)
    draw = QuizDraw.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module=module, number=attempt_number
    ).first()
    if draw is None:
        raise InvalidAnswers(
            _("This attempt was not started: open the quiz and answer the questions it shows.")
        )
    return list(draw.questions)


def _clean_answers(
    questions: Sequence[Question], answers: dict[str, list[str]]
) -> dict[str, list[int]]:
    """The answers as option indices, checked against exactly the questions the attempt shows."""
    by_id = {question["id"]: question for question in questions}
    unknown = set(answers) - set(by_id)
    if unknown:
        raise InvalidAnswers(_("The answers name a question that is not in this quiz."))
    unanswered = [question_id for question_id in by_id if not answers.get(question_id)]
    if unanswered:
        raise UnansweredQuestions(
            _("Answer every question before submitting."), question_ids=unanswered
        )
    cleaned = {}
    for question_id, question in by_id.items():
        raw = answers[question_id]
        try:
            chosen = sorted({int(item) for item in raw})
        except (TypeError, ValueError):
            raise InvalidAnswers(_("An answer was not one of the options.")) from None
        indices = {option["index"] for option in question["options"]}
        if any(index not in indices for index in chosen):
            raise InvalidAnswers(_("An answer was not one of that question's options."))
        if len(chosen) > 1 and sum(1 for o in question["options"] if o["correct"]) == 1:
            raise InvalidAnswers(_("Choose one option for single-answer questions."))
        cleaned[question_id] = chosen
    return cleaned


def grade(questions: Sequence[Question], answers: dict[str, list[int]]) -> list[GradedQuestion]:
    """Grade ``answers`` against a snapshot of questions (never the module's current ones)."""
    graded = []
    for question in questions:
        correct = sorted(option["index"] for option in question["options"] if option["correct"])
        selected = sorted(answers.get(question["id"], []))
        graded.append(
            GradedQuestion(
                id=question["id"],
                prompt=question["prompt"],
                options=[
                    {"index": option["index"], "text": option["text"]}
                    for option in question["options"]
                ],
                selected=selected,
                correct=correct,
                is_correct=selected == correct,
                explanation=question["explanation"],
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
    if not module.quiz_kind or module.scorm_package_id is not None:
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
    # Drawn from (and graded by) the source module; kept in the words of the page answered.
    questions = localize_questions(
        _attempt_questions(enrollment, module, attempt_number), _shown_module(module, module_id)
    )
    cleaned = _clean_answers(questions, answers)
    graded = grade(questions, cleaned)
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
                questions=questions,
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
    quiz_attempted.send(sender=QuizAttempt, enrollment=enrollment, module=module, attempt=attempt)
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


@transaction.atomic
def record_package_result(
    *, enrollment: Enrollment, module_id: int, complete: bool, score: Decimal | None = None
) -> QuizAttempt | None:
    """What a SCORM package reported at the end of an attempt (or as the learner went).

    ``complete`` is the module's completion rule applied by the caller (``scorm``); ``score`` (a
    percentage) is given once per finished attempt of a post-test. A post-test's score is recorded
    as a QuizAttempt (its number the next one), counted in ``post_test_attempts`` and
    ``post_test_best_score``, and completes the module only when it reaches the course's pass
    mark; the course's attempt limit applies as it does to our own post-tests.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    )
    module = _module_of(enrollment, module_id)
    if module.scorm_package_id is None:
        raise InvalidAnswers(_("This module is not played from a SCORM package."))
    done = ModuleProgress.objects.filter(
        enrollment=enrollment, cycle=enrollment.cycle, module=module
    ).exists()
    attempt = None
    if module.quiz_kind == QuizKind.POST_TEST:
        if score is None or done:
            return None
        used = QuizAttempt.objects.filter(
            enrollment=enrollment, cycle=enrollment.cycle, module=module
        ).count()
        limit = attempt_limit(enrollment, module)
        if limit is not None and used >= limit:
            raise AttemptLimitReached(
                _("You have used all %(limit)d attempts at this post-test.") % {"limit": limit}
            )
        score = score.quantize(Decimal("0.01"), ROUND_HALF_UP)
        passed = score >= enrollment.course.pass_mark
        attempt = QuizAttempt.objects.create(
            enrollment=enrollment,
            cycle=enrollment.cycle,
            module=module,
            number=used + 1,
            answers={},
            score=score,
            passed=passed,
        )
        best = enrollment.post_test_best_score
        Enrollment.objects.filter(pk=enrollment.pk).update(
            post_test_attempts=used + 1,
            post_test_best_score=score if best is None else max(best, score),
        )
        complete = passed
    if complete and not done:
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
    questions = question_snapshot(module)
    graded = grade(questions, _clean_answers(questions, answers))
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
    enrolled.send(sender=Enrollment, enrollment=enrollment)
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


@transaction.atomic(savepoint=False)  # the caller's transaction when there is one
def try_complete(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment exactly once when every requirement is met.

    The conditional UPDATE means only one of any number of concurrent callers wins; the winner
    sends ``enrollment_completed`` in its transaction and announces ``course_completed`` after
    it commits.
    """
    reasons = completion_blockers(enrollment)
    if reasons:
        logger.debug("Enrollment %s not complete: %s", enrollment.pk, ", ".join(reasons))
        return False
    won = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )
    if won:
        enrollment_completed.send(sender=Enrollment, enrollment=enrollment)
        enrollment_id = enrollment.pk
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment_id=enrollment_id)
        )
        logger.info("Enrollment %s completed", enrollment_id)
    return bool(won)


# --- Regrading --------------------------------------------------------------------------------


class RegradeRefused(LearningError):
    status = 400


@dataclass(frozen=True)
class RegradeChange:
    """One attempt whose result a regrade changes."""

    attempt_id: int
    enrollment_id: int
    learner: str
    cycle: int
    number: int
    score_before: Decimal
    score_after: Decimal
    passed_before: bool
    passed_after: bool


@dataclass(frozen=True)
class RegradePlan:
    """What regrading one question would do, before anything is written."""

    module: ModulePage
    question_id: str
    prompt: str
    correct: list[int]
    attempts_considered: int
    passed_before: int
    passed_after: int
    changes: list[RegradeChange]
    now_passing: list[str]  # learners (current cycle) with no passed attempt before, one after
    now_failing: list[str]  # learners (current cycle) whose only passes the regrade takes away


def _current_question(module: ModulePage, question_id: str) -> Question:
    for question in question_snapshot(module):
        if question["id"] == question_id:
            return question
    raise RegradeRefused(_("That question is not in this quiz."))


def _regraded(
    attempt: QuizAttempt, question: Question, pass_mark: Decimal | int
) -> tuple[list[Question], int, Decimal, bool]:
    """The attempt's snapshot with the question's current key, and its new result."""
    correct = {option["index"] for option in question["options"] if option["correct"]}
    snapshot = []
    for item in attempt.questions:
        if item["id"] == question["id"]:
            item = {
                **item,
                "options": [
                    {**option, "correct": option["index"] in correct} for option in item["options"]
                ],
            }
        snapshot.append(item)
    answers = {key: [int(i) for i in value] for key, value in attempt.answers.items()}
    graded = grade(snapshot, answers)
    count = sum(1 for question_graded in graded if question_graded.is_correct)
    score = percent_correct(graded)
    return snapshot, count, score, score >= pass_mark


def _attempts_with(module: ModulePage, question_id: str) -> list[QuizAttempt]:
    attempts = QuizAttempt.objects.filter(module=module).select_related(
        "enrollment__user", "enrollment__course"
    )
    return [a for a in attempts.order_by("pk") if any(q["id"] == question_id for q in a.questions)]


def plan_regrade(*, module: ModulePage, question_id: str) -> RegradePlan:
    """What copying the current answer key of ``question_id`` into every attempt graded on it
    would change: scores, passes, and learners who move between failed and passed.

    Learners are counted on their current cycle; a renewed course's earlier cycles are regraded
    too but move nobody.
    """
    if not module.quiz_kind:
        raise RegradeRefused(_("This page has no quiz."))
    question = _current_question(module, question_id)
    pass_mark = module.get_course().pass_mark
    attempts = _attempts_with(module, question_id)
    changes = []
    passed_after = 0
    # enrollment -> [(passed before, passed after)] over the attempts of its current cycle
    current: dict[int, list[tuple[bool, bool]]] = {}
    learners = {}
    for attempt in attempts:
        _, _, score, passed = _regraded(attempt, question, pass_mark)
        passed_after += passed
        learners[attempt.enrollment_id] = str(attempt.enrollment.user)
        if attempt.cycle == attempt.enrollment.cycle:
            current.setdefault(attempt.enrollment_id, []).append((attempt.passed, passed))
        if score != attempt.score or passed != attempt.passed:
            changes.append(
                RegradeChange(
                    attempt.pk,
                    attempt.enrollment_id,
                    learners[attempt.enrollment_id],
                    attempt.cycle,
                    attempt.number,
                    attempt.score,
                    score,
                    attempt.passed,
                    passed,
                )  # fmt: skip
            )
    now_passing, now_failing = [], []
    for enrollment_id, pairs in current.items():
        had = any(before for before, _ in pairs)
        has = any(after for _, after in pairs)
        if has and not had:
            now_passing.append(learners[enrollment_id])
        elif had and not has:
            now_failing.append(learners[enrollment_id])
    return RegradePlan(
        module=module,
        question_id=question_id,
        prompt=question["prompt"],
        correct=sorted(o["index"] for o in question["options"] if o["correct"]),
        attempts_considered=len(attempts),
        passed_before=sum(1 for attempt in attempts if attempt.passed),
        passed_after=passed_after,
        changes=changes,
        now_passing=sorted(now_passing),
        now_failing=sorted(now_failing),
    )


@transaction.atomic
def apply_regrade(*, module: ModulePage, question_id: str, user: User) -> Regrade:
    """Copy the current answer key of ``question_id`` into every attempt graded on it, and
    recompute each attempt's score and pass, and its enrollment's best post-test score.

    A learner whose current cycle now has a passed attempt completes the module, and the course
    through ``try_complete`` when nothing else is missing (``course_completed`` follows, and the
    certificate). A learner who now fails keeps the module's progress and any certificate (an
    administrator may revoke it). Recorded as a ``Regrade``; the plan is worked out again here,
    under the enrollments' row locks, so a stale preview changes nothing it did not show.
    """
    if not module.quiz_kind:
        raise RegradeRefused(_("This page has no quiz."))
    question = _current_question(module, question_id)
    enrollment_ids = (
        QuizAttempt.objects.filter(module=module).values_list("enrollment_id", flat=True).distinct()
    )
    list(Enrollment.objects.select_for_update().filter(pk__in=list(enrollment_ids)).order_by("pk"))
    plan = plan_regrade(module=module, question_id=question_id)
    if not plan.attempts_considered:
        raise RegradeRefused(_("No attempt was graded on this question."))
    pass_mark = module.get_course().pass_mark
    touched: dict[int, Enrollment] = {}
    for attempt in _attempts_with(module, question_id):
        snapshot, count, score, passed = _regraded(attempt, question, pass_mark)
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            questions=snapshot, correct_count=count, score=score, passed=passed
        )
        touched[attempt.enrollment_id] = attempt.enrollment
    for enrollment in touched.values():
        cycle_attempts = QuizAttempt.objects.filter(
            enrollment=enrollment, cycle=enrollment.cycle, module=module
        )
        if module.quiz_kind == QuizKind.POST_TEST:
            best = max((a.score for a in cycle_attempts), default=None)
            Enrollment.objects.filter(pk=enrollment.pk).update(post_test_best_score=best)
        if cycle_attempts.filter(passed=True).exists() and _record_progress(enrollment, module):
            _recompute(enrollment)
            try_complete(enrollment=enrollment)
    regrade = Regrade.objects.create(
        user=user,
        module=module,
        question_id=question_id,
        question_prompt=plan.prompt,
        correct_options=plan.correct,
        attempts_considered=plan.attempts_considered,
        attempts_changed=len(plan.changes),
        passed_before=plan.passed_before,
        passed_after=plan.passed_after,
        learners_now_passing=len(plan.now_passing),
        learners_now_failing=len(plan.now_failing),
    )
    logger.info(
        "Regrade %s of question %s in module %s by user %s: %d attempts changed",
        regrade.pk, question_id, module.pk, user.pk, len(plan.changes),
    )  # fmt: skip
    return regrade
