"""Who may announce to which course, and who receives an announcement."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from announcements.models import Announcement
from courses.models import CoursePage
from courses.permissions import permitted_page_paths, within
from enrollments.models import Enrollment


def announceable_courses(user: User) -> QuerySet[CoursePage]:
    """The courses ``user`` may mail: an instructor's programs' courses, all for administrators;
    none for anyone without admin access."""
    # Learners' enrollments are on the default-locale page: a translation is the same course.
    courses = CoursePage.objects.in_default_locale()
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return courses.none()
    paths = permitted_page_paths(user)
    if paths is not None:
        courses = courses.filter(within(paths))
    return courses.defer_streamfields().order_by("code")


def may_announce(user: User, course: CoursePage) -> bool:
    return announceable_courses(user).filter(pk=course.pk).exists()


def recipients(course: CoursePage) -> QuerySet[User]:
    """Learners enrolled in the course (any status) whose account is active and who have not
    turned course announcements off in their profile, by id."""
    enrolled = Enrollment.objects.filter(course=course).values("user_id")
    return User.objects.filter(
        pk__in=enrolled, is_active=True, receives_announcements=True
    ).order_by("pk")


def announcements_for(user: User) -> QuerySet[Announcement]:
    """The log an instructor sees: announcements to their programs' courses (all for admins)."""
    return (
        Announcement.objects.filter(course__in=announceable_courses(user).values("pk"))
        .select_related("sender", "course")
        .order_by("-created_at", "-pk")
    )
