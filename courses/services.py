"""Writes on the catalog that carry a rule: making a new edition of a course."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.actions.copy_page import CopyPageAction, CopyPagePermissionError

from accounts.models import User
from courses.models import CoursePage, ModulePage, QuizKind
from courses.selectors import draft_module_order


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
    *,
    course: CoursePage,
    user: User | None,
    code: str,
    version: str,
    title: str = "",
    slug: str = "",
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


# --- The outline: order, add, retire; applied when the course is published -------------------


class OutlineError(EditionError):
    pass


def _modules(course: CoursePage) -> list:
    return list(ModulePage.objects.child_of(course).order_by("path"))


def _draft_ids(course: CoursePage) -> list[int]:
    drafts = []
    for page in _modules(course):
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        drafts.append(draft)
    return [m.pk for m in draft_module_order(course.get_latest_revision_as_object(), drafts)]


def _save_order(*, course: CoursePage, user: User | None, ids: list[int]) -> None:
    draft = course.get_latest_revision_as_object()
    draft.module_order = ids
    draft.save_revision(user=user)


@transaction.atomic
def move_module(*, course: CoursePage, user: User | None, module_id: int, offset: int) -> list[int]:
    """Move a module up (-1) or down (+1) in the course's draft order; the post-test stays last.

    The new order is a draft of the course: learners see it once the course's review approves it.
    """
    ids = _draft_ids(course)
    if module_id not in ids:
        raise OutlineError(_("That module is not part of this course."))
    post_test = ModulePage.objects.child_of(course).filter(quiz_kind=QuizKind.POST_TEST)
    post_test_ids = set(post_test.values_list("pk", flat=True))
    index = ids.index(module_id)
    target = index + offset
    if module_id in post_test_ids or not 0 <= target < len(ids) or ids[target] in post_test_ids:
        raise OutlineError(_("The post-test stays last; that module cannot move there."))
    ids[index], ids[target] = ids[target], ids[index]
    _save_order(course=course, user=user, ids=ids)
    return ids


@transaction.atomic
def add_module(
    *, course: CoursePage, user: User | None, title: str, minutes: int, position: int
) -> ModulePage:
    """Add a draft module at ``position`` (1-based) of the draft order, never after the post-test.

    The module is a draft, so placing it in the page tree changes nothing learners see.
    """
    ids = _draft_ids(course)
    pages = {page.pk: page for page in _modules(course)}
    last = len(ids)
    if ids and pages[ids[-1]].quiz_kind == QuizKind.POST_TEST:
        last -= 1
    if not 1 <= position <= last + 1:
        raise OutlineError(
            _("Choose a position from 1 to %(last)d (the post-test stays last).")
            % {"last": last + 1},
            field="position",
        )
    module = ModulePage(title=title, slug=_free_slug(course, title), estimated_minutes=minutes)
    module.live = False
    if position <= len(ids):
        pages[ids[position - 1]].add_sibling(pos="left", instance=module)
    else:
        course.add_child(instance=module)
    module.save_revision(user=user)
    ids.insert(position - 1, module.pk)
    _save_order(course=course, user=user, ids=ids)
    return module


def _free_slug(course: CoursePage, title: str) -> str:
    base = slugify(title)[:40] or "module"
    taken = set(ModulePage.objects.child_of(course).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def retire_module(*, module: ModulePage, user: User | None) -> ModulePage:
    """Mark a live module retired in a draft: approved, it is unpublished (records are kept)."""
    if not module.live:
        raise OutlineError(_("Only a live module can be retired; delete a draft instead."))
    draft = module.get_latest_revision_as_object()
    draft.retired = True
    draft.save_revision(user=user)
    return draft


def publish_course_changes(*, course: CoursePage) -> None:
    """Publishing a course (its review approved) publishes what was reviewed with it.

    Every module with unpublished changes is published; a module marked retired is then
    unpublished; the draft module order is applied to the page tree. One review, one decision.
    """
    for module in _modules(course):
        if module.has_unpublished_changes and module.latest_revision_id:
            module.latest_revision.publish(user=None)
    for module in ModulePage.objects.child_of(course).filter(live=True, retired=True):
        module.unpublish(user=None)
    order = {pk: index for index, pk in enumerate(course.module_order)}
    modules = _modules(course)
    wanted = sorted(
        modules,
        key=lambda m: (m.quiz_kind == QuizKind.POST_TEST, order.get(m.pk, len(order)), m.path),
    )
    if [m.pk for m in wanted] != [m.pk for m in modules]:
        for module in wanted:
            ModulePage.objects.get(pk=module.pk).move(course, pos="last-child")
