"""The extension points of the catalog: how the apps above ``courses`` add to its pages.

``courses`` may not import ``enrollments`` or ``certificates`` (the import contract forbids it),
yet its pages show enrollment panels, quiz forms and certificates. Each point below is a Wagtail
hook with a fixed name and signature. An app implements one by registering a function in its
``wagtail_hooks.py``; the page asks every registered function and composes their answers.

Rules for implementations:
- take the arguments below by keyword (``request`` and the page come first, positionally);
- return a frozen result, or ``None`` for "nothing to add / no opinion";
- never mutate the page's context, the rows they are given, or the request.

The points (name constant: signature -> result; implemented by):

- ``MODULE_ACCESS_DENIAL``: ``(request, module, *, course) -> AccessDenial | None``;
  none in the product yet (a test uses it to close a terminated course).
- ``MODULE_ACCESS``: ``(request, module, *, course) -> AccessGrant | None``; enrollments.
- ``COURSE_PAGE``: ``(request, course, *, modules) -> PageAdditions | None``; enrollments.
- ``MODULE_PAGE``: ``(request, module, *, course, modules, access) -> PageAdditions | None``;
  enrollments.
- ``DASHBOARD``: ``(request, *, enrollments) -> DashboardAdditions | None``; certificates.
- ``CERTIFICATE_LINKS``: ``(request, certificate) -> Sequence[Link] | None``; credentials (its
  Open Badges downloads and "add to profile"); shown by certificates on My learning and the
  verification page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from django.http import HttpRequest
from wagtail import hooks

if TYPE_CHECKING:
    from courses.models import CoursePage, ModulePage

MODULE_ACCESS_DENIAL = "lms_module_access_denial"
MODULE_ACCESS = "lms_module_access"
COURSE_PAGE = "lms_course_page"
MODULE_PAGE = "lms_module_page"
DASHBOARD = "lms_dashboard"
CERTIFICATE_LINKS = "lms_certificate_links"


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A template an app renders into one slot of a page, with the variables it needs.

    Rendered by ``{% render_fragment %}`` with the page's context underneath its own.
    """

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "context", _frozen_mapping(self.context))


@dataclass(frozen=True)
class AccessDenial:
    """A ``MODULE_ACCESS_DENIAL`` answer: this learner may not read the module, and why."""

    reason: str  # a short code for logs and tests, e.g. "course_terminated"
    message: str  # shown to the learner in place of the content


@dataclass(frozen=True)
class AccessGrant:
    """A ``MODULE_ACCESS`` answer: this learner may read the module.

    ``record`` is what the granting app looked up to decide (enrollments: the enrollment); the
    page hands it back to the same app's ``MODULE_PAGE`` implementation through ``access`` so
    the app need not look it up twice.
    """

    reason: str  # e.g. "enrolled"
    record: Any = None


@dataclass(frozen=True)
class ModuleAccess:
    """The page's decision, given to ``MODULE_PAGE`` implementations and the template."""

    can_view_content: bool
    reason: str  # "anonymous", "denied", "editor", "not_granted", or the grant's reason
    message: str = ""
    grant: AccessGrant | None = None
    # Every MODULE_ACCESS implementation was asked: with no ``grant``, none of them granted
    # (so an app that grants on a record of its own knows there is none, without a query).
    grants_asked: bool = False


@dataclass(frozen=True)
class PageAdditions:
    """What one app adds to a course or module page, slot by slot (``None``: nothing)."""

    panel: Fragment | None = None  # the course panel: enroll, progress, next step
    quiz: Fragment | None = None  # module pages: the quiz in place of the editor's preview
    actions: Fragment | None = None  # module pages: below the lesson (mark complete...)
    # Ticks in the outline and the module navigation: this learner's progress is tracked here,
    # and these modules are done.
    tracks_progress: bool = False
    done_modules: frozenset[int] = frozenset()
    # Module pages: ``actions`` holds the step that records progress and moves on, so the
    # pager's plain "next" (which records nothing) gives way to it.
    actions_move_on: bool = False


@dataclass(frozen=True)
class PageSlots:
    """Every app's additions to one page, per slot, in hook order (what templates iterate)."""

    panel: tuple[Fragment, ...] = ()
    quiz: tuple[Fragment, ...] = ()
    actions: tuple[Fragment, ...] = ()
    done_modules: frozenset[int] = frozenset()
    tracked: bool = False  # some app tracks progress here: the outline shows ticks
    actions_move_on: bool = False

    @classmethod
    def collect(cls, answers: Iterable[PageAdditions | None]) -> PageSlots:
        given = [answer for answer in answers if answer is not None]
        return cls(
            panel=tuple(a.panel for a in given if a.panel is not None),
            quiz=tuple(a.quiz for a in given if a.quiz is not None),
            actions=tuple(a.actions for a in given if a.actions is not None),
            done_modules=frozenset().union(*(a.done_modules for a in given)),
            tracked=any(a.tracks_progress for a in given),
            actions_move_on=any(a.actions_move_on for a in given),
        )


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    external: bool = False  # opens another site (in a new tab)


@dataclass(frozen=True)
class DashboardAdditions:
    """What one app adds to "My learning": page links, a fragment per enrollment row, and
    sections of the page's own (board requirements) above the rows."""

    links: tuple[Link, ...] = ()
    rows: Mapping[int, Fragment] = field(default_factory=dict)  # by enrollment id
    sections: tuple[Fragment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", MappingProxyType(dict(self.rows)))


class HasEnrollmentFields(Protocol):
    """What a ``DASHBOARD`` implementation may rely on in each enrollment (courses cannot name
    the model: it lives above)."""

    pk: int
    cycle: int


# --- Asking the implementations ---------------------------------------------------------------


def denials_registered() -> bool:
    """Whether any app may close modules (callers skip their look-ups when none may)."""
    return bool(hooks.get_hooks(MODULE_ACCESS_DENIAL))


def module_denial(
    request: HttpRequest, module: ModulePage, *, course: CoursePage
) -> AccessDenial | None:
    """The first ``MODULE_ACCESS_DENIAL`` answer, if any. Progress views ask it too: a closed
    module takes no completion or quiz attempt, whoever sends it."""
    for deny in hooks.get_hooks(MODULE_ACCESS_DENIAL):
        denial: AccessDenial | None = deny(request, module, course=course)
        if denial is not None:
            return denial
    return None


def module_access(request: HttpRequest, module: ModulePage) -> ModuleAccess:
    """May this request read ``module``'s content?

    Anonymous: no. A denial (``MODULE_ACCESS_DENIAL``) refuses everyone but the page's editors.
    Otherwise the first grant (``MODULE_ACCESS``) decides; without one, only editors may.
    """
    user = request.user
    if not user.is_authenticated:
        return ModuleAccess(can_view_content=False, reason="anonymous")
    course = module.get_course()
    denial = module_denial(request, module, course=course)
    if denial is not None:
        if module.permissions_for_user(user).can_edit():
            return ModuleAccess(can_view_content=True, reason="editor")
        return ModuleAccess(can_view_content=False, reason="denied", message=denial.message)
    # The enrolled learner is the common case: ask for grants before the (costlier) editor check.
    for allow in hooks.get_hooks(MODULE_ACCESS):
        grant: AccessGrant | None = allow(request, module, course=course)
        if grant is not None:
            return ModuleAccess(
                can_view_content=True, reason=grant.reason, grant=grant, grants_asked=True
            )
    if module.permissions_for_user(user).can_edit():
        return ModuleAccess(can_view_content=True, reason="editor", grants_asked=True)
    return ModuleAccess(can_view_content=False, reason="not_granted", grants_asked=True)


def course_page_slots(
    request: HttpRequest, course: CoursePage, *, modules: Sequence[ModulePage]
) -> PageSlots:
    return PageSlots.collect(
        hook(request, course, modules=modules) for hook in hooks.get_hooks(COURSE_PAGE)
    )


def module_page_slots(
    request: HttpRequest,
    module: ModulePage,
    *,
    course: CoursePage,
    modules: Sequence[ModulePage],
    access: ModuleAccess,
) -> PageSlots:
    return PageSlots.collect(
        hook(request, module, course=course, modules=modules, access=access)
        for hook in hooks.get_hooks(MODULE_PAGE)
    )


def dashboard_additions(
    request: HttpRequest, *, enrollments: Sequence[HasEnrollmentFields]
) -> tuple[tuple[Link, ...], dict[int, tuple[Fragment, ...]], tuple[Fragment, ...]]:
    """Every app's links, row fragments (keyed by enrollment id) and sections for "My learning"."""
    links: list[Link] = []
    sections: list[Fragment] = []
    rows: dict[int, list[Fragment]] = {}
    for hook in hooks.get_hooks(DASHBOARD):
        answer: DashboardAdditions | None = hook(request, enrollments=enrollments)
        if answer is None:
            continue
        links.extend(answer.links)
        sections.extend(answer.sections)
        for enrollment_id, fragment in answer.rows.items():
            rows.setdefault(enrollment_id, []).append(fragment)
    return tuple(links), {key: tuple(value) for key, value in rows.items()}, tuple(sections)


def certificate_links(request: HttpRequest, certificate: Any) -> tuple[Link, ...]:
    """Every app's links for one certificate (``certificate`` is a certificates.Certificate)."""
    return tuple(
        link
        for hook in hooks.get_hooks(CERTIFICATE_LINKS)
        for link in (hook(request, certificate) or ())
    )
