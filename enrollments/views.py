from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from courses import extension_points
from courses.models import CoursePage, ModulePage, localized_page, source_page
from enrollments import selectors, services
from enrollments.forms import EvaluationForm
from enrollments.models import Enrollment, QuizAttempt
from infrastructure import render_cache, shell


def _own_enrollment(request, enrollment_id) -> Enrollment:
    """The signed-in learner's enrollment; anyone else's is a 404, never a 403 (no probing)."""
    return get_object_or_404(
        Enrollment.objects.select_related("course"), pk=enrollment_id, user=request.user
    )


def _closed(request, enrollment: Enrollment, module_id: int):
    """A refusal page when an extension point closes the module (e.g. a terminated course)."""
    if not extension_points.denials_registered():
        return None
    module = services.course_modules(enrollment.course).filter(pk=module_id).first()
    if module is None:
        return None  # not in the course: the service answers that
    denial = extension_points.module_denial(request, module, course=enrollment.course)
    if denial is None:
        return None
    error = services.ModuleClosed(denial.message)
    return _refused(request, error, back_url=enrollment.course.url, title=_("Module closed"))


def _refused(request, error: services.LearningError, *, back_url: str, title: str):
    return render(
        request,
        "enrollments/refused.html",
        {"message": error.message, "back_url": back_url, "title": title},
        status=error.status,
    )


@require_POST
@login_required
def enroll_view(request, course_id):
    shown = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    # A translated course page is the same course: the enrollment is the source page's.
    course = source_page(shown)
    try:
        enrollment, created = services.enroll(user=request.user, course=course)
    except services.EnrollmentRefused as error:
        return _refused(request, error, back_url=shown.url, title=_("Enrollment refused"))
    if created:
        messages.success(
            request,
            _("You are enrolled in %(code)s %(title)s.")
            % {"code": shown.code, "title": shown.title},
        )
    progress = selectors.course_progress(enrollment)
    target = localized_page(progress.next_module) or shown
    return redirect(target.url)


@require_POST
@login_required
def complete_module_view(request, enrollment_id, module_id):
    enrollment = _own_enrollment(request, enrollment_id)
    if closed := _closed(request, enrollment, module_id):
        return closed
    try:
        services.complete_module(enrollment=enrollment, module_id=module_id)
    except services.ModuleNotInCourse:
        raise Http404(_("That module is not part of this course.")) from None
    except services.LearningError as error:
        return _refused(request, error, back_url=enrollment.course.url, title=_("Not completed"))
    progress = selectors.course_progress(enrollment)
    enrollment.refresh_from_db()
    if enrollment.is_completed:
        messages.success(request, _("Course complete. Well done!"))
        return redirect("enrollments:dashboard")
    if progress.next_module:
        return redirect(localized_page(progress.next_module).url)
    return redirect("enrollments:evaluation", enrollment_id=enrollment.pk)


@require_POST
@login_required
def submit_quiz_view(request, enrollment_id, module_id):
    enrollment = _own_enrollment(request, enrollment_id)
    if closed := _closed(request, enrollment, module_id):
        return closed
    answers = selectors.posted_answers(request.POST)
    try:
        attempt_number = int(request.POST.get("attempt", ""))
    except ValueError:
        error = services.InvalidAnswers(_("The submission did not say which attempt it was."))
        return _refused(request, error, back_url=enrollment.course.url, title=_("Not submitted"))
    try:
        attempt = services.submit_quiz(
            enrollment=enrollment, module_id=module_id, answers=answers,
            attempt_number=attempt_number,
        )  # fmt: skip
    except services.ModuleNotInCourse:
        raise Http404(_("That module is not part of this course.")) from None
    except services.UnansweredQuestions as error:
        return _quiz_again(request, module_id)
    except services.LearningError as error:
        module = ModulePage.objects.filter(pk=module_id).first()
        back = module.url if module else enrollment.course.url
        return _refused(request, error, back_url=back, title=_("Attempt not recorded"))
    return redirect(
        "enrollments:attempt",
        enrollment_id=enrollment.pk,
        module_id=attempt.module_id,  # the source module: a translated page's attempt is its
        number=attempt.number,
    )


def _quiz_again(request, module_id):
    """The quiz page again, every answer kept and the unanswered questions named; nothing used.

    The page's quiz form reads the answers back from this POST (enrollments.page_hooks).
    """
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id).specific
    response = module.serve(request)
    response.status_code = 400
    return response


@require_safe
@login_required
def attempt_view(request, enrollment_id, module_id, number):
    enrollment = _own_enrollment(request, enrollment_id)
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("module"),
        enrollment=enrollment,
        cycle=enrollment.cycle,
        module_id=module_id,
        number=number,
    )
    # The page around the review in the active language; the questions as the attempt was
    # graded on them, in the language it was taken in (never the module's current ones).
    module = localized_page(attempt.module.specific).specific
    graded = services.grade(attempt.questions, attempt.answers)
    state = selectors.quiz_state(enrollment, module)
    progress = selectors.course_progress(enrollment)
    enrollment.refresh_from_db()
    # A graded post-test keeps its answers secret while the learner may still try again:
    # otherwise attempt 2 is a copy of attempt 1's review and the attempt limit means nothing.
    reveal = not module.is_post_test or state["passed"] or state["remaining"] == 0
    return render(
        request,
        "enrollments/attempt.html",
        {
            "enrollment": enrollment,
            "course": enrollment.course,
            "module": module,
            "attempt": attempt,
            "graded": graded,
            "quiz": state,
            "reveal_answers": reveal,
            "progress": progress,
            "needs_evaluation": enrollment.course.evaluation_required
            and not selectors.has_evaluation(enrollment),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evaluation_view(request, enrollment_id):
    enrollment = _own_enrollment(request, enrollment_id)
    if selectors.has_evaluation(enrollment):
        error = services.EvaluationNotAllowed(_("You have already submitted the evaluation."))
        return _refused(request, error, back_url=enrollment.course.url, title=_("Evaluation"))
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(enrollment=enrollment, data=form.cleaned_data)
        except services.LearningError as error:
            return _refused(request, error, back_url=enrollment.course.url, title=_("Evaluation"))
        messages.success(request, _("Thank you: your evaluation was recorded."))
        return redirect("enrollments:dashboard")
    remaining = services.modules_remaining(enrollment)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enrollments/evaluation.html",
        {"enrollment": enrollment, "course": enrollment.course, "form": form,
         "remaining": remaining},
        status=status,
    )  # fmt: skip


@require_safe
@login_required
def dashboard_view(request):
    context = selectors.learner_dashboard(request.user)
    # Apps above enrollments (certificates) add links and a fragment per completed course.
    completed = context["completed"]
    links, rows, sections = extension_points.dashboard_additions(
        request, enrollments=[row.enrollment for row in completed]
    )
    context["links"] = links
    context["sections"] = sections
    context["completed"] = [
        replace(row, additions=rows.get(row.enrollment.pk, ())) for row in completed
    ]
    # The page around the learner's rows (head, header, footer) is shared: a shell per content
    # version and language, the rows its personal region (infrastructure.shell).
    key = render_cache.shared_key("dashboard")
    return shell.ShellTemplateResponse(
        request, "enrollments/dashboard.html", context, key=None if key is None else (key,)
    )


@require_POST
def preview_grade_view(request, module_id):
    """The quiz of a preview: graded and reviewed with every answer shown, recorded nowhere."""
    module = get_object_or_404(ModulePage, pk=module_id)
    if not can_preview(request.user, module):
        raise PermissionDenied
    draft = module.get_latest_revision_as_object()
    answers = {
        key.removeprefix("q-"): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q-")
    }
    try:
        result = services.grade_preview(module=draft, answers=answers)
    except services.LearningError as error:
        return _refused(
            request,
            services.InvalidAnswers(
                _("%(reason)s (Preview grading uses the last saved draft: save, then preview.)")
                % {"reason": error.message}
            ),
            back_url=reverse("wagtailadmin_pages:view_draft", args=[module.pk]),
            title=_("Preview not graded"),
        )
    request.is_preview = True  # the preview banner
    return render(
        request,
        "enrollments/preview_attempt.html",
        {"module": draft, "course": draft.get_course(), "result": result},
    )


def can_preview(user, module) -> bool:
    """Its editors, and the reviewers of the workflow it is in, may preview a module."""
    if module.permissions_for_user(user).can_edit():
        return True
    task = module.current_workflow_task
    return bool(task and task.specific.user_can_access_editor(module, user))
