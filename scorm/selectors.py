"""Who may open a package, and the learner's enrollment behind a SCORM module."""

from typing import Any

from courses.models import ModulePage, ScormPackage
from enrollments.models import Enrollment


def may_open_package(user: Any, package: ScormPackage) -> bool:
    """An editor (who may see SCORM packages in the admin: preview), or a learner enrolled in a
    course with a live module that plays this package."""
    if user.is_superuser or user.has_perm("courses.view_scormpackage"):
        return True
    module_paths = (
        ModulePage.objects.live().filter(scorm_package=package).values_list("path", flat=True)
    )
    parent_paths = {path[: -ModulePage.steplen] for path in module_paths}
    if not parent_paths:
        return False
    return Enrollment.objects.filter(user=user, course__path__in=parent_paths).exists()


def enrollment_for_module(user: Any, module_id: int) -> Enrollment | None:
    """The user's enrollment in the course holding this live SCORM module (None: not theirs)."""
    module = (
        ModulePage.objects.live()
        .filter(pk=module_id, scorm_package__isnull=False)
        .only("path")
        .first()
    )
    if module is None:
        return None
    return (
        Enrollment.objects.filter(user=user, course__path=module.path[: -ModulePage.steplen])
        .select_related("course")
        .first()
    )
