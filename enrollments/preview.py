"""What enrollments add to a preview: the quiz form, graded by a view that records nothing.

Every preview renders a course or module as an enrolled learner with no progress yet sees it; the
quiz posts to ``preview_grade`` instead of ``submit_quiz``.
"""

from collections.abc import Sequence

from django.http import HttpRequest
from django.urls import reverse

from courses.extension_points import Fragment, PageAdditions
from courses.models import CoursePage, ModulePage, QuizKind
from enrollments import selectors

PANEL = "enrollments/preview_panel.html"


def course_page(
    request: HttpRequest, course: CoursePage, *, modules: Sequence[ModulePage]
) -> PageAdditions:
    return PageAdditions(panel=Fragment(PANEL, {"modules": list(modules)}))


def module_page(
    request: HttpRequest, module: ModulePage, *, course: CoursePage, modules: Sequence[ModulePage]
) -> PageAdditions:
    panel = Fragment(PANEL, {"modules": list(modules)})
    if not module.quiz_kind:
        return PageAdditions(panel=panel)
    limit = course.attempt_limit if module.quiz_kind == QuizKind.POST_TEST else None
    context = {
        "quiz_action": reverse("enrollments_preview:grade", args=[module.pk]),
        "quiz_questions": selectors.quiz_questions(module),
        "quiz_unanswered": [],
        "quiz": {
            "attempts": [],
            "next_attempt": 1,
            "limit": limit,
            "remaining": limit,
            "passed": False,
            "best": None,
        },
    }
    return PageAdditions(panel=panel, quiz=Fragment("enrollments/quiz_form.html", context))
