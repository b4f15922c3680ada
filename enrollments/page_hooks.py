"""What enrollments add to the catalog's pages: access to modules, progress, quiz forms."""

from courses.access import ModuleAccess
from enrollments import selectors
from enrollments.models import Enrollment
from enrollments.services import enrollment_blockers


def _enrollment(request, course_id):
    if not request.user.is_authenticated:
        return None
    cache = request.__dict__.setdefault("_lms_enrollments", {})
    if course_id not in cache:
        cache[course_id] = (
            Enrollment.objects.filter(user=request.user, course_id=course_id)
            .select_related("course")
            .first()
        )
    return cache[course_id]


def module_access(request, module):
    course = module.get_course()
    enrollment = _enrollment(request, course.pk)
    if enrollment is None:
        return None
    return ModuleAccess(can_view_content=True, reason="enrolled", extra={"enrollment": enrollment})


def course_context(request, course, context):
    context["course_panel_template"] = "enrollments/course_panel.html"
    enrollment = _enrollment(request, course.pk)
    context["enrollment"] = enrollment
    if enrollment:
        context["progress"] = selectors.course_progress(enrollment, context["modules"])
    elif request.user.is_authenticated:
        context["enroll_blockers"] = enrollment_blockers(user=request.user, course=course)


def module_context(request, module, context):
    course = context["course"]
    context["course_panel_template"] = "enrollments/course_panel.html"
    enrollment = _enrollment(request, course.pk)
    context["enrollment"] = enrollment
    if enrollment is None:
        if request.user.is_authenticated:
            context["enroll_blockers"] = enrollment_blockers(user=request.user, course=course)
        return
    progress = selectors.course_progress(enrollment, context["modules"])
    context["progress"] = progress
    context["module_done"] = module.pk in progress.done_ids
    context["module_actions_template"] = "enrollments/module_actions.html"
    if module.quiz_kind:
        context["quiz_template"] = "enrollments/quiz_form.html"
        context["quiz"] = selectors.quiz_state(enrollment, module)
    if progress.next_module is None and course.evaluation_required:
        context["evaluation_due"] = not selectors.has_evaluation(enrollment)
