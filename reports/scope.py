"""Who may see which reports: administrators everything, instructors their own programs."""

from django.core.exceptions import PermissionDenied
from wagtail.models import GroupPagePermission

PERMISSION = "reports.view_learning_reports"


def can_view_reports(user) -> bool:
    """Administrators, holders of the permission, and instructors (for their own programs)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.has_perm(PERMISSION):
        return True
    return user.has_perm("wagtailadmin.access_admin") and bool(course_paths(user))


def require_reports(user) -> None:
    if not can_view_reports(user):
        raise PermissionDenied


def course_paths(user) -> list[str] | None:
    """Tree paths under which the user may report (None: everywhere). ``selectors.ReportScope``
    turns them into the filter every report applies."""
    if user.is_superuser:
        return None
    return list(
        GroupPagePermission.objects.filter(group__user=user)
        .values_list("page__path", flat=True)
        .distinct()
    )
