"""The regrade area of the Wagtail admin, and the quiz editor's warning about past attempts.

Pick a quiz, pick one of its questions, see what copying its current answer key into the past
attempts would change (the preview), then apply it (a confirmed POST), recorded as a ``Regrade``
and in the quiz page's history.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from wagtail.log_actions import log

from courses.models import CoursePage, ModulePage, QuizKind, default_locale_code
from enrollments import services
from enrollments.models import QuizAttempt, Regrade

REGRADE_PERMISSION = "enrollments.regrade_quiz"
LOG_ACTION = "lms.regrade"
QUESTION_ID_MAX = 64


def can_regrade(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(REGRADE_PERMISSION)))


def _check(request) -> None:
    if not can_regrade(request.user):
        raise PermissionDenied


def _quizzes():
    # Attempts are recorded on the default-locale quiz; a translation is regraded with it.
    return (
        ModulePage.objects.exclude(quiz_kind=QuizKind.NONE)
        .filter(locale__language_code=default_locale_code())
        .order_by("path")
    )


def _quiz(module_id: int) -> ModulePage:
    return get_object_or_404(_quizzes(), pk=module_id).specific


class QuizChoiceForm(forms.Form):
    module = forms.ModelChoiceField(
        queryset=ModulePage.objects.none(), label=_("Quiz"), empty_label=_("Choose a quiz")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = _quizzes()
        # The course codes in one query, not one per quiz.
        codes = dict(CoursePage.objects.values_list("path", "code"))
        self.fields["module"].label_from_instance = lambda module: (
            f"{codes.get(module.path[: -ModulePage.steplen], '?')} · {module.title}"
        )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the preview: change these attempts."),
        error_messages={"required": _("Tick the box to confirm the regrade.")},
    )


@require_safe
def index_view(request):
    """Choose a quiz; below, the regrades applied so far."""
    _check(request)
    form = QuizChoiceForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("enrollments_regrade:quiz", module_id=form.cleaned_data["module"].pk)
    return TemplateResponse(
        request,
        "enrollments/admin/regrade_index.html",
        {
            "form": form,
            "page_title": _("Regrade a quiz question"),
            "regrades": Regrade.objects.select_related("user", "module")[:50],
        },
        status=400 if form.errors else 200,
    )


@require_safe
def quiz_view(request, module_id):
    """The quiz's current questions, each with the number of attempts graded on it."""
    _check(request)
    module = _quiz(module_id)
    graded_on: dict[str, int] = {}
    for questions in QuizAttempt.objects.filter(module=module).values_list("questions", flat=True):
        for question in questions:
            graded_on[question["id"]] = graded_on.get(question["id"], 0) + 1
    questions = [
        {**question, "attempts": graded_on.get(question["id"], 0)}
        for question in services.question_snapshot(module)
    ]
    return TemplateResponse(
        request,
        "enrollments/admin/regrade_quiz.html",
        {"module": module, "course": module.get_course(), "questions": questions,
         "page_title": _("Regrade: %(title)s") % {"title": module.title}},
    )  # fmt: skip


def _plan(module: ModulePage, question_id: str) -> services.RegradePlan:
    if len(question_id) > QUESTION_ID_MAX:
        raise Http404
    try:
        return services.plan_regrade(module=module, question_id=question_id)
    except services.RegradeRefused as error:
        raise Http404(error.message) from None


def _preview(request, module, plan, form, *, status=200):
    return TemplateResponse(
        request,
        "enrollments/admin/regrade_preview.html",
        {"module": module, "course": module.get_course(), "plan": plan, "form": form,
         "page_title": _("Regrade preview: %(title)s") % {"title": module.title}},
        status=status,
    )  # fmt: skip


@require_safe
def preview_view(request, module_id, question_id):
    _check(request)
    module = _quiz(module_id)
    return _preview(request, module, _plan(module, question_id), ConfirmForm())


@require_POST
def apply_view(request, module_id, question_id):
    _check(request)
    module = _quiz(module_id)
    plan = _plan(module, question_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _preview(request, module, plan, form, status=400)
    try:
        regrade = services.apply_regrade(module=module, question_id=question_id, user=request.user)
    except services.RegradeRefused as error:
        form.add_error(None, error.message)
        return _preview(request, module, plan, form, status=400)
    log(
        instance=module,
        action=LOG_ACTION,
        user=request.user,
        data={
            "question_id": question_id,
            "attempts_changed": regrade.attempts_changed,
            "passed_before": regrade.passed_before,
            "passed_after": regrade.passed_after,
        },
    )
    messages.success(
        request,
        ngettext(
            "Regraded: %(count)d attempt changed score.",
            "Regraded: %(count)d attempts changed score.",
            regrade.attempts_changed,
        )
        % {"count": regrade.attempts_changed},
    )
    return redirect("enrollments_regrade:index")


admin_urlpatterns = [
    path("regrade/", index_view, name="index"),
    path("regrade/<id:module_id>/", quiz_view, name="quiz"),
    path("regrade/<id:module_id>/questions/<str:question_id>/", preview_view, name="preview"),
    path("regrade/<id:module_id>/questions/<str:question_id>/apply/", apply_view, name="apply"),
]


# --- The quiz editor's warning ----------------------------------------------------------------


def attempts_warning(module: ModulePage) -> str | None:
    count = QuizAttempt.objects.filter(module=module).count()
    if not count:
        return None
    return ngettext(
        "This quiz has %(count)d attempt; it keeps the questions it was graded on. To fix an "
        "answer key for past attempts use Regrade.",
        "This quiz has %(count)d attempts; they keep the questions they were graded on. To fix "
        "an answer key for past attempts use Regrade.",
        count,
    ) % {"count": count}


def warn_before_edit(request, page):
    """Opening the editor of a quiz with attempts says that editing it rewrites none of them."""
    if request.method != "GET" or not isinstance(page.specific, ModulePage):
        return None
    if page.specific.quiz_kind and (warning := attempts_warning(page.specific)):
        messages.warning(request, warning)
    return None


def warn_after_edit(request, page):
    """Saving changed questions of a quiz with attempts says so again."""
    module = page.specific
    if not isinstance(module, ModulePage) or not module.quiz_kind:
        return None
    latest = list(module.revisions.order_by("-created_at", "-pk")[:2])
    if len(latest) == 2:
        before = latest[1].as_object()
        after = latest[0].as_object()
        if services.question_snapshot(before) == services.question_snapshot(after):
            return None
    if warning := attempts_warning(module):
        messages.warning(request, warning)
    return None
