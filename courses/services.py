"""Writes on the catalog that carry a rule: making a new edition of a course."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.copy_page import CopyPageAction, CopyPagePermissionError

from courses.models import CoursePage


class EditionError(Exception):
    """A new edition the rules refuse; ``field`` names the form field to show it on."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def edition_blockers(*, course: CoursePage, code: str, slug: str) -> dict[str, str]:
    """Why an edition with this code and slug cannot be made (empty when it can)."""
    reasons = {}
    if CoursePage.objects.filter(code__iexact=code).exists():
        reasons["code"] = _("The course code %(code)s is already in use.") % {"code": code}
    if course.get_parent().get_children().filter(slug=slug).exists():
        reasons["slug"] = _("Another page in this program already uses the slug %(slug)s.") % {
            "slug": slug
        }
    return reasons


def create_edition(
    *, course: CoursePage, user, code: str, version: str, title: str = "", slug: str = ""
) -> CoursePage:
    """Copy ``course`` with its modules, quizzes and credits as an unpublished next edition.

    The copy gets its own code, version and slug and points back to ``course``; every page of it
    is a draft, whatever the user may publish, so the edition goes through review. A duplicate
    code (asked in advance, or lost in a race) is an ``EditionError``, never a database error.
    """
    code = code.strip()
    slug = slug.strip() or slugify(code)
    title = title.strip() or course.title
    reasons = edition_blockers(course=course, code=code, slug=slug)
    if reasons:
        field, message = next(iter(reasons.items()))
        raise EditionError(message, field=field)
    action = CopyPageAction(
        page=course,
        to=course.get_parent(),
        recursive=True,
        keep_live=False,
        user=user,
        update_attrs={
            "title": title,
            "draft_title": title,
            "slug": slug,
            "code": code,
            "course_version": version.strip(),
            "previous_edition": course,
        },
    )
    try:
        with transaction.atomic():
            return action.execute()
    except CopyPagePermissionError:
        raise EditionError(_("You may not copy this course.")) from None
    except IntegrityError:
        raise EditionError(
            _("The course code %(code)s is already in use.") % {"code": code}, field="code"
        ) from None
