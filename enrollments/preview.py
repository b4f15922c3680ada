"""What enrollments add to a preview: the quiz form, graded by a view that records nothing.

Every preview renders a course or module as an enrolled learner sees it: with no progress in the
default preview mode, or with the first modules done in the others (``learner_preview_done``). The
progress is made up for the page and recorded nowhere; the quiz posts to ``preview_grade`` instead
of ``submit_quiz``.
"""

from collections.abc import Sequence

from django.http import HttpRequest
from django.urls import reverse

from courses.extension_points import Fragment, PageAdditions
from courses.models import CoursePage, ModulePage, QuizKind, learner_preview_done
from enrollments import selectors
from enrollments.services import question_snapshot

PANEL = "enrollments/preview_panel.html"
ACTIONS = "enrollments/preview_module_actions.html"


def _progress(request: HttpRequest, modules: Sequence[ModulePage]) -> selectors.CourseProgress:
    modules = list(modules)
    return selectors.CourseProgress(None, modules, set(learner_preview_done(request, modules)))


def course_page(
    request: HttpRequest, course: CoursePage, *, modules: Sequence[ModulePage]
) -> PageAdditions:
    progress = _progress(request, modules)
    return PageAdditions(
        panel=Fragment(PANEL, {"modules": progress.modules, "progress": progress}),
        tracks_progress=True,
        done_modules=frozenset(progress.done_ids),
    )


def module_page(
    request: HttpRequest, module: ModulePage, *, course: CoursePage, modules: Sequence[ModulePage]
) -> PageAdditions:
    progress = _progress(request, modules)
    context = {
        "modules": progress.modules,
        "progress": progress,
        "module_done": module.pk is not None and module.pk in progress.done_ids,
    }
    done = frozenset(progress.done_ids)
    panel = Fragment(PANEL, context)
    # A module the mode counts as done says so, and where the learner continues.
    actions = Fragment(ACTIONS, context) if context["module_done"] else None
    if not module.quiz_kind:
        return PageAdditions(panel=panel, actions=actions, tracks_progress=True, done_modules=done)
    limit = course.attempt_limit if module.quiz_kind == QuizKind.POST_TEST else None
    context = {
        "quiz_action": reverse("enrollments_preview:grade", args=[module.pk]),
        "quiz_questions": selectors.quiz_questions(question_snapshot(module)),
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
    return PageAdditions(
        panel=panel,
        quiz=Fragment("enrollments/quiz_form.html", context),
        actions=actions,
        tracks_progress=True,
        done_modules=done,
    )
