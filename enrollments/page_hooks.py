"""What enrollments add to the catalog's pages: access to modules, progress, quiz forms.

Implementations of ``courses.extension_points`` (registered in ``enrollments/wagtail_hooks.py``).
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.http import HttpRequest
from django.urls import reverse

from courses.extension_points import AccessGrant, Fragment, ModuleAccess, PageAdditions
from courses.models import (
    CoursePage,
    ModulePage,
    in_default_language,
    is_learner_preview,
    source_page,
)
from enrollments import preview, selectors
from enrollments.models import Enrollment, EnrollmentStatus
from enrollments.services import enrollment_blockers, start_attempt

PANEL = "enrollments/course_panel.html"
_P = TypeVar("_P", CoursePage, ModulePage)


def module_access(
    request: HttpRequest, module: ModulePage, *, course: CoursePage
) -> AccessGrant | None:
    """Enrolled learners read the modules of their course."""
    enrollment = selectors.enrollment_for(request, course)
    if enrollment is None:
        return None
    return AccessGrant(reason="enrolled", record=enrollment)


def course_page(
    request: HttpRequest, course: CoursePage, *, modules: Sequence[ModulePage]
) -> PageAdditions:
    """The course panel: enroll (or why not yet), or progress and the next step."""
    if is_learner_preview(request):
        return preview.course_page(request, course, modules=modules)
    enrollment = selectors.enrollment_for(request, course)
    context: dict[str, Any] = {"enrollment": enrollment}
    if enrollment:
        progress = selectors.course_progress(enrollment, list(modules))
        context["progress"] = progress
        return PageAdditions(
            panel=Fragment(PANEL, context),
            tracks_progress=True,
            done_modules=frozenset(progress.done_ids),
        )
    if request.user.is_authenticated:
        context["enroll_blockers"] = enrollment_blockers(user=request.user, course=_source(course))
    return PageAdditions(panel=Fragment(PANEL, context))


def _source(page: _P) -> _P:
    """The default-language page a translated course or module stands for (records are kept
    on it)."""
    return page if in_default_language() else source_page(page)


def module_page(
    request: HttpRequest,
    module: ModulePage,
    *,
    course: CoursePage,
    modules: Sequence[ModulePage],
    access: ModuleAccess,
) -> PageAdditions:
    """The panel of a locked module; for the enrolled: progress, quiz form, mark complete."""
    if is_learner_preview(request):
        return preview.module_page(request, module, course=course, modules=modules)
    # module_access (above) looked the enrollment up already: no second query.
    enrollment: Enrollment | None
    if access.grant is not None and isinstance(access.grant.record, Enrollment):
        enrollment = access.grant.record
    elif access.grants_asked and access.grant is None:
        enrollment = None  # module_access was asked and found none
    else:
        enrollment = selectors.enrollment_for(request, course)
    if enrollment is None:
        context: dict[str, Any] = {"enrollment": None}
        if request.user.is_authenticated:
            context["enroll_blockers"] = enrollment_blockers(
                user=request.user, course=_source(course)
            )
        return PageAdditions(panel=Fragment(PANEL, context))
    progress = selectors.course_progress(enrollment, list(modules))
    context = {
        "enrollment": enrollment,
        "progress": progress,
        "module_done": module.pk in progress.done_ids,
    }
    if module.has_quiz:
        quiz = selectors.quiz_state(enrollment, module)
        context["quiz"] = quiz
        # The attempt starts when its form is shown: a pool quiz draws (and stores) its set now.
        questions = (
            start_attempt(enrollment=enrollment, module=_source(module), shown=module)
            if not quiz["passed"] and quiz["remaining"] != 0
            else []
        )
        # Served for a POST only when the quiz view sends an incomplete attempt back: the
        # learner's answers are read from it, so none is lost.
        submission = (
            selectors.quiz_submission(questions, request.POST) if request.method == "POST" else None
        )
        context["quiz_questions"] = selectors.quiz_questions(questions, submission)
        context["quiz_unanswered"] = [q for q in context["quiz_questions"] if q["unanswered"]]
    if progress.next_module is None and course.evaluation_required:
        context["evaluation_due"] = not selectors.has_evaluation(enrollment)
    return PageAdditions(
        panel=Fragment(PANEL, context),
        quiz=Fragment("enrollments/quiz_form.html", context) if module.has_quiz else None,
        actions=Fragment("enrollments/module_actions.html", context),
        tracks_progress=True,
        done_modules=frozenset(progress.done_ids),
        # On a lesson not yet done, "Mark complete and continue" records it and moves on.
        actions_move_on=not module.quiz_kind and not module.is_scorm and not context["module_done"],
    )


def login_redirect(request: HttpRequest) -> str | None:
    """A learner with a course in progress lands on My learning, with "Continue" at the top."""
    if not request.user.is_authenticated:
        return None
    if Enrollment.objects.filter(user=request.user, status=EnrollmentStatus.ACTIVE).exists():
        return reverse("enrollments:dashboard")
    return None
