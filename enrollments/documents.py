"""Who may download a lesson document.

A lesson document (one in a program's collection, or one a course or its modules use) goes to
the learners enrolled in a course that uses it and to the editors who may see its collection
(Wagtail's collection permissions); nobody else, whatever Wagtail's collection privacy allows.
Other documents keep Wagtail's collection privacy only. "Uses" is what Wagtail's reference
index records for a page's live content: a document block or a document link in rich text.
"""

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.documents.permissions import permission_policy
from wagtail.models import Collection, Page, ReferenceIndex

from courses.models import CoursePage, ProgramPage
from enrollments.models import Enrollment

# Seeing a collection's documents in the admin (listing) or in a chooser.
EDITOR_ACTIONS = ("change", "choose")


def courses_using(document) -> set[int]:
    """Ids of the courses whose course page or module pages reference the document."""
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    paths = Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).values_list("path", flat=True)
    # The course is the page itself or one of its ancestors: the path prefixes name them all.
    prefixes = {
        path[:end] for path in paths for end in range(Page.steplen, len(path) + 1, Page.steplen)
    }
    if not prefixes:
        return set()
    return set(CoursePage.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def in_a_program_collection(document) -> bool:
    codes = [code.upper() for code in ProgramPage.objects.values_list("code", flat=True)]
    return (
        Collection.objects.ancestor_of(document.collection, inclusive=True)
        .filter(depth=2, name__in=codes)
        .exists()
    )


def is_document_editor(user, document) -> bool:
    return permission_policy.user_has_any_permission_for_instance(user, EDITOR_ACTIONS, document)


def may_download(*, user, document) -> bool | None:
    """True or False for a lesson document; None for others (collection privacy decides)."""
    courses = courses_using(document)
    if not courses and not in_a_program_collection(document):
        return None
    if not user.is_authenticated:
        return False
    if is_document_editor(user, document):
        return True
    return Enrollment.objects.filter(user=user, course_id__in=courses).exists()


def before_serve_document(document, request):
    """Wagtail's ``before_serve_document`` hook: refuse a lesson document to anyone else."""
    allowed = may_download(user=request.user, document=document)
    if allowed is None or allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # The same answer as for a document that does not exist: nothing about it leaks.
    raise Http404
