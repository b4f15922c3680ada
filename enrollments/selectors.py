"""Reads across enrollments and the catalog: the dashboard, a course's and a module's state."""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_
from typing import Any
from weakref import WeakKeyDictionary

from django.db.models import Q
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext

from accounts.models import User
from courses.models import MODULE_LISTING_FIELDS, CoursePage, ModulePage
from enrollments.models import CourseEvaluation, Enrollment, ModuleProgress, QuizAttempt
from enrollments.services import Question, attempt_limit
from infrastructure import render_cache


@dataclass
class CourseProgress:
    enrollment: Enrollment | None  # None: a learner preview's made-up progress
    modules: list = field(default_factory=list)
    done_ids: set = field(default_factory=set)
    # What apps above add to the dashboard row (courses.extension_points.DASHBOARD).
    additions: tuple = ()

    # Computed once per row: the templates ask for each several times (read-only rows).
    @cached_property
    def total_modules(self) -> int:
        return len(self.modules)

    @cached_property
    def completed_modules(self) -> int:
        return sum(1 for module in self.modules if module.pk in self.done_ids)

    @cached_property
    def percent_modules(self) -> int:
        return round(100 * self.completed_modules / self.total_modules) if self.modules else 0

    @cached_property
    def total_minutes(self) -> int:
        return sum(module.estimated_minutes for module in self.modules)

    @cached_property
    def percent_time(self) -> int:
        done = sum(m.estimated_minutes for m in self.modules if m.pk in self.done_ids)
        return round(100 * done / self.total_minutes) if self.total_minutes else 0

    @cached_property
    def next_module(self) -> ModulePage | None:
        return next((m for m in self.modules if m.pk not in self.done_ids), None)

    @property
    def modules_label(self) -> str:
        """ "2 of 5 modules" (the progress bar's text for screen readers)."""
        return gettext("%(done)s of %(total)s modules") % {
            "done": self.completed_modules,
            "total": self.total_modules,
        }

    @property
    def progress_label(self) -> str:
        """ "2 of 5 modules · 40% · 35% of 90 min" (under the progress bar)."""
        modules = gettext("%(done)s of %(total)s modules · %(percent)s%%") % {
            "done": self.completed_modules,
            "total": self.total_modules,
            "percent": self.percent_modules,
        }
        time = gettext("%(percent)s%% of %(minutes)s min") % {
            "percent": self.percent_time,
            "minutes": self.total_minutes,
        }
        return f"{modules} · {time}"


def _modules_by_course(courses: Iterable[CoursePage]) -> dict[int, list[ModulePage]]:
    """Live modules of several courses in one query, keyed by course id, in tree order."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    condition = reduce(or_, (Q(path__startswith=path) for path in by_path))
    modules = (
        ModulePage.objects.live()
        .filter(condition, depth=courses[0].depth + 1)
        .defer_streamfields()
        .only(*MODULE_LISTING_FIELDS)
        .order_by("path")
    )
    grouped: dict[int, list] = {pk: [] for pk in by_path.values()}
    for module in modules:
        grouped[by_path[module.path[: -ModulePage.steplen]]].append(module)
    return grouped


def learner_dashboard(user: User) -> dict[str, list[CourseProgress]]:
    """Everything "My learning" shows, in a fixed number of queries."""
    enrollments = list(Enrollment.objects.for_user(user).order_by("-last_activity_at"))
    # The courses and their outlines are everyone's: read once per content version (publishing
    # moves it), so the learner's own rows are all this page queries.
    courses = render_cache.per_version_many(
        "dashboard-course",
        {e.course_id for e in enrollments},
        lambda ids: CoursePage.objects.in_bulk(ids),
    )
    # Their outlines too, under the course page's own key (``CoursePage.get_outline``); the
    # ones not kept yet in one query (a translation's, in its source order, by the page itself).
    default_locale_id = render_cache.default_locale_id()
    modules = render_cache.per_version_many(
        "outline",
        [pk for pk, course in courses.items() if course.locale_id == default_locale_id],
        lambda ids: _modules_by_course(courses[pk] for pk in ids),
    )
    for enrollment in enrollments:
        enrollment.course = copy.copy(courses[enrollment.course_id])
        if enrollment.course_id not in modules:
            modules[enrollment.course_id] = enrollment.course.get_outline()
    done: dict[int, set] = {e.pk: set() for e in enrollments}
    cycles = {e.pk: e.cycle for e in enrollments}
    for enrollment_id, cycle, module_id in ModuleProgress.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "cycle", "module_id"):
        if cycles[enrollment_id] == cycle:
            done[enrollment_id].add(module_id)
    rows = [(e, CourseProgress(e, modules.get(e.course_id, []), done[e.pk])) for e in enrollments]
    completed = sorted(
        (pair for pair in rows if pair[0].is_completed),
        # A completed enrollment has its completed_at; enrolled_at only satisfies the types.
        key=lambda pair: pair[0].completed_at or pair[0].enrolled_at,
        reverse=True,
    )
    return {
        "in_progress": [row for enrollment, row in rows if not enrollment.is_completed],
        "completed": [row for _, row in completed],
    }


# The learner's enrollment per request and course: the course page's hooks (enrollments' panel,
# certificates' line) and a module's access and page all ask; one query answers them.
_asked: "WeakKeyDictionary[HttpRequest, dict[Any, Enrollment | None]]" = WeakKeyDictionary()


# Every page view of an enrolled learner asks this: written out once, not compiled per request.
_ENROLLMENT_WITH_PROGRESS = (
    f"SELECT e.*, p.module_id AS done_id FROM {Enrollment._meta.db_table} e"
    f" LEFT JOIN {ModuleProgress._meta.db_table} p ON p.enrollment_id = e.id AND p.cycle = e.cycle"
    " WHERE e.user_id = %s AND e.course_id = %s ORDER BY e.id, p.module_id"
)


def enrollment_for(request: HttpRequest, course: CoursePage) -> Enrollment | None:
    """The signed-in learner's enrollment in ``course`` (or in the course it translates)."""
    user = request.user
    if not isinstance(user, User):  # anonymous: no enrollment
        return None
    asked = _asked.setdefault(request, {})
    key = (user.pk, course.translation_key)
    if key not in asked:
        asked[key] = _enrollment(user, course)
    return asked[key]


def _enrollment(user: User, course: CoursePage) -> Enrollment | None:
    if course.locale_id == render_cache.default_locale_id():
        # The course itself: the page in hand stands for the enrollment's course, and the modules
        # done in this cycle come in the same query, a row each (selectors.course_progress).
        rows = list(Enrollment.objects.raw(_ENROLLMENT_WITH_PROGRESS, [user.pk, course.pk]))
        if not rows:
            return None
        enrollment = rows[0]
        enrollment.course = course
        done = frozenset(getattr(row, "done_id") for row in rows if getattr(row, "done_id"))  # noqa: B009
        enrollment.done_module_ids = done  # type: ignore[attr-defined]
        return enrollment
    # Through the translation key: on a translated course page the learner's enrollment (always
    # on the source page) is found by the same single query.
    return (
        Enrollment.objects.filter(user=user, course__translation_key=course.translation_key)
        .select_related("course")
        .first()
    )


def course_progress(
    enrollment: Enrollment, modules: list[ModulePage] | None = None
) -> CourseProgress:
    """``modules``: the course's live modules when the caller has them already."""
    if modules is None:
        modules = _modules_by_course([enrollment.course]).get(enrollment.course_id, [])
    # By translation key: ``modules`` may be a translation's (the Spanish course page), while
    # progress is recorded against the source modules.
    done_ids = getattr(enrollment, "done_module_ids", None)  # read with it (page_hooks)
    if done_ids is not None:  # the source course's own modules, by id
        done = {module.pk for module in modules if module.pk in done_ids}
        return CourseProgress(enrollment, modules, done)
    done_keys = set(
        ModuleProgress.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).values_list(
            "module__translation_key", flat=True
        )
    )
    done = {module.pk for module in modules if module.translation_key in done_keys}
    return CourseProgress(enrollment, modules, done)


def quiz_state(enrollment: Enrollment, module: ModulePage) -> dict[str, Any]:
    attempts = list(
        QuizAttempt.objects.filter(
            enrollment=enrollment,
            cycle=enrollment.cycle,
            module__translation_key=module.translation_key,
        )
    )

    limit = attempt_limit(enrollment, module)
    passed = any(attempt.passed for attempt in attempts)
    return {
        "attempts": attempts,
        "next_attempt": len(attempts) + 1,
        "limit": limit,
        "remaining": None if limit is None else max(limit - len(attempts), 0),
        "passed": passed,
        "best": max((attempt.score for attempt in attempts), default=None),
    }


def has_evaluation(enrollment: Enrollment) -> bool:
    return CourseEvaluation.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).exists()


@dataclass
class QuizSubmission:
    """What a learner sent for a quiz that came back unrecorded: kept to fill the form again."""

    answers: dict[str, list[str]] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)


def posted_answers(data: QueryDict) -> dict[str, list[str]]:
    """A quiz form's answers by question id (fields ``q-<id>``), as sent."""
    return {key.removeprefix("q-"): data.getlist(key) for key in data if key.startswith("q-")}


def quiz_submission(questions: list[Question], data: QueryDict) -> QuizSubmission:
    """A quiz form sent back unrecorded: its answers, and the questions it left unanswered."""
    answers = posted_answers(data)
    unanswered = [question["id"] for question in questions if not answers.get(question["id"])]
    return QuizSubmission(answers=answers, unanswered=unanswered)


def quiz_questions(
    questions: list[Question], submission: QuizSubmission | None = None
) -> list[dict]:
    """The questions of an attempt as the form shows them (no correctness), in their order,
    each with the options the learner had chosen and whether it is unanswered (only after a
    submission came back)."""
    submission = submission or QuizSubmission()
    shown = []
    for number, question in enumerate(questions, start=1):
        chosen = set(submission.answers.get(question["id"], []))
        shown.append(
            {
                "id": question["id"],
                "prompt": question["prompt"],
                "multiple": sum(1 for option in question["options"] if option["correct"]) > 1,
                "number": number,
                "unanswered": question["id"] in submission.unanswered,
                "options": [
                    {
                        "index": option["index"],
                        "text": option["text"],
                        "checked": str(option["index"]) in chosen,
                    }
                    for option in question["options"]
                ],
            }
        )
    return shown
