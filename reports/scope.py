"""Who may see which reports: administrators everything, instructors their own programs."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
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
    """Tree paths under which the user may report (None: everywhere)."""
    if user.is_superuser:
        return None
    return list(
        GroupPagePermission.objects.filter(group__user=user)
        .values_list("page__path", flat=True)
        .distinct()
    )


def scope_q(user, field: str) -> Q:
    """A filter on ``field`` (a course path) limiting rows to the user's programs."""
    paths = course_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query
