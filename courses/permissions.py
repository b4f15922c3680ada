"""Per-program instructor groups and the "Course review" workflow."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

# Instructors draft and submit; only an approver publishes (through the workflow).
INSTRUCTOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
INSTRUCTOR_MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
# SCORM packages (a snippet): upload and choose; packages are shared by every program.
INSTRUCTOR_MODEL_PERMISSIONS = ("add_scormpackage", "view_scormpackage")
REVIEWERS_GROUP = "Course reviewers"
WORKFLOW_NAME = "Course review"


def instructor_group_name(program) -> str:
    return f"{program.code.upper()} instructors"


def program_collection(program) -> Collection:
    """The program's images and documents. Its documents are for signed-in people only, like the
    modules that link them (Wagtail's document view applies the restriction)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=program.code.upper()).first()
    collection = collection or root.add_child(name=program.code.upper())
    CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def ensure_instructor_group(program) -> Group:
    """A group whose members author pages in this program's subtree only, and its media."""
    group, _ = Group.objects.get_or_create(name=instructor_group_name(program))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__in=INSTRUCTOR_MODEL_PERMISSIONS
        )
    )
    for codename in INSTRUCTOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=program.page_ptr if hasattr(program, "page_ptr") else program,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = program_collection(program)
    for app_label, codename in INSTRUCTOR_MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
        )
    return group


def ensure_review_workflow(root: Page) -> Workflow:
    """ "Course review": an administrator (or a "Course reviewers" member) approves every change."""
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name="Administrator approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Administrator approval")
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def permitted_page_paths(user) -> list[str] | None:
    """The tree paths of the pages ``user`` was given permissions on (an instructor: their
    programs); None for an administrator, who sees every page."""
    if user.is_superuser:
        return None
    return sorted(
        set(
            GroupPagePermission.objects.filter(group__user=user).values_list(
                "page__path", flat=True
            )
        )
    )


def within(paths: list[str], prefix: str = "") -> Q:
    """Pages at or under any of ``paths`` (none when ``paths`` is empty)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def scope_pages_for_user(pages, user):
    """``pages`` narrowed to what ``user`` may see in choosers and reports: their programs'
    pages and the ancestors leading to them (Root, Home)."""
    paths = permitted_page_paths(user)
    if paths is None:
        return pages
    ancestors = {
        path[:end] for path in paths for end in range(Page.steplen, len(path), Page.steplen)
    }
    return pages.filter(within(paths) | Q(path__in=ancestors))


def scope_page_chooser(pages, request):
    """``construct_page_chooser_queryset``: an instructor chooses among their program's pages."""
    return scope_pages_for_user(pages, request.user)


def refuse_move_to_unpermitted_destination(request, page, destination):
    """``before_move_page`` hook: Wagtail's move confirmation page checks nothing before it shows
    both titles (only the move itself is checked); an instructor of another program gets 403."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
