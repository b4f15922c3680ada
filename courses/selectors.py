"""Reads that span the catalog: the filtered, searchable list of courses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _

from courses.models import (
    CoursePage,
    ModulePage,
    ProgramPage,
    default_locale_code,
    localize_pages,
)

if TYPE_CHECKING:
    from courses.extension_points import AccessDenial


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    program: str = ""
    profession: str = ""
    credit_type: str = ""
    level: str = ""


@dataclass
class CatalogResult:
    courses: list
    module_hits: list  # (module, course) pairs matching the search terms


def _course_path(module: ModulePage) -> str:
    return module.path[: -ModulePage.steplen]


def catalog(filters: CatalogFilters, *, module_limit: int = 10) -> CatalogResult:
    """Live courses matching the filters and search terms, each with its credits.

    A search asks Wagtail's search backend once for courses and once for modules; the filters then
    narrow in the database, so the page costs the same queries whatever the catalog's size.
    """
    courses = (
        CoursePage.objects.live()
        .public()
        .in_default_locale()
        .current_editions()
        .defer_streamfields()
        .with_card_data()
    )
    if filters.program:
        program = (
            ProgramPage.objects.live()
            .filter(code__iexact=filters.program, locale__language_code=default_locale_code())
            .first()
        )
        courses = courses.child_of(program) if program else courses.none()
    if filters.profession:
        courses = courses.with_audience(filters.profession)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.credit_type:
        courses = courses.filter(credits__credit_type__code=filters.credit_type)

    module_hits = []
    if filters.q:
        course_ids = [page.pk for page in CoursePage.objects.live().public().search(filters.q)]
        modules = list(ModulePage.objects.live().public().search(filters.q)[:module_limit])
        parents = {
            page.path: page
            for page in CoursePage.objects.live().filter(
                path__in={_course_path(module) for module in modules}
            )
        }
        module_hits = [
            (module, parents[_course_path(module)])
            for module in modules
            if _course_path(module) in parents
        ]
        course_ids += [course.pk for course in parents.values()]
        courses = courses.filter(pk__in=course_ids)
    courses = list(courses.distinct().order_by("code"))
    shown = {course.translation_key for course in courses}
    module_hits = [
        (module, course) for module, course in module_hits if course.translation_key in shown
    ]
    # In Spanish, a course translated into Spanish is listed in Spanish (one query).
    courses = localize_pages(courses)
    return CatalogResult(courses=courses, module_hits=module_hits)


def revision_key(revision: str) -> tuple:
    """Orders ICH E6 revisions: E6(R2) < E6(R3); an empty revision sorts first."""
    return tuple(int(part) for part in re.findall(r"\d+", revision or ""))


@dataclass(frozen=True)
class EditionFamilies:
    """Which courses are editions of one course, and what each family's current edition covers.

    ``root`` maps a course id to its first edition's id; a refresher maps to the root of the
    course it refreshes, so its certificates count for that course.
    """

    root: dict
    current_revision: dict  # root id -> the ICH E6 revision of the newest live edition

    def root_of(self, course_id: int) -> int:
        return self.root.get(course_id, course_id)


def edition_families() -> EditionFamilies:
    """Every course's family, from one query (the catalog is small; certificates are not)."""
    rows = {
        row["id"]: row
        for row in CoursePage.objects.values(
            "id", "previous_edition_id", "refresher_for_id", "live", "ich_e6_revision"
        )
    }

    def first_edition(course_id: int) -> int:
        seen = set()
        while rows[course_id]["previous_edition_id"] in rows and course_id not in seen:
            seen.add(course_id)
            course_id = rows[course_id]["previous_edition_id"]
        return course_id

    root = {}
    for course_id, row in rows.items():
        target = row["refresher_for_id"] if row["refresher_for_id"] in rows else course_id
        root[course_id] = first_edition(target)
    current: dict[int, str] = {}
    for course_id, row in rows.items():
        if row["live"] and not row["refresher_for_id"] and row["ich_e6_revision"]:
            family = root[course_id]
            if revision_key(row["ich_e6_revision"]) > revision_key(current.get(family, "")):
                current[family] = row["ich_e6_revision"]
    return EditionFamilies(root=root, current_revision=current)


def closed_edition_denial(
    request: HttpRequest, module: ModulePage, *, course: CoursePage
) -> AccessDenial | None:
    """``MODULE_ACCESS_DENIAL``: a replaced edition closes at its termination date (no query
    before that date)."""
    from courses.extension_points import AccessDenial

    if course.is_closed_to_learners():
        return AccessDenial(
            reason="edition_closed",
            message=_(
                "This edition's termination date has passed and a newer edition replaces it; "
                "your completed work and certificates are unchanged."
            ),
        )
    return None


@dataclass
class OutlineRow:
    module: ModulePage  # its latest draft
    status: str  # draft, live, changed, in_review, retiring, retired
    status_label: str
    position: int = 0


@dataclass
class CourseOutline:
    course: CoursePage  # its latest draft
    rows: list
    in_review: bool
    order_pending: bool
    total_minutes: int
    credits: list  # (credit type name, hours, hours the minutes support)

    @property
    def credit_mismatches(self) -> list:
        return [credit for credit in self.credits if credit[1] != credit[2]]


def _hours_for(minutes: int) -> Decimal:
    """One credit per 60 minutes of learning, in 0.25 steps (rounded down)."""
    quarters = (minutes * 4) // 60
    return Decimal(quarters) / 4


def draft_module_order(course_draft: CoursePage, modules: list) -> list:
    """The modules in the order the course's draft gives them; the post-test always last."""
    by_id = {module.pk: module for module in modules}
    ordered = [by_id.pop(pk) for pk in course_draft.module_order if pk in by_id]
    ordered += [module for module in modules if module.pk in by_id]  # tree order for the rest
    return sorted(ordered, key=lambda module: module.quiz_kind == "post_test")


def course_outline(course: CoursePage) -> CourseOutline:
    """The course as its instructors see it: every module's draft, in the draft order, with status.

    An admin page for one course: it reads each module's latest revision (a few queries a module).
    """
    course_draft = course.get_latest_revision_as_object()
    in_review = course.workflow_in_progress
    pages = list(ModulePage.objects.child_of(course).order_by("path"))
    tree_ids = [page.pk for page in pages if page.live]
    drafts = []
    for page in pages:
        draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
        draft.page_live = page.live
        draft.page_changed = page.has_unpublished_changes
        drafts.append(draft)
    rows = []
    for position, draft in enumerate(draft_module_order(course_draft, drafts), start=1):
        if not draft.page_live and draft.retired:
            status, label = "retired", _("Retired")
        elif draft.page_live and draft.retired:
            status, label = "retiring", _("Live; retires when the course is approved")
        elif draft.page_changed and in_review:
            status, label = "in_review", _("In review")
        elif not draft.page_live:
            status, label = "draft", _("Draft")
        elif draft.page_changed:
            status, label = "changed", _("Live; draft changes not yet approved")
        else:
            status, label = "live", _("Live")
        rows.append(OutlineRow(module=draft, status=status, status_label=label, position=position))
    shown = [row for row in rows if row.status != "retired"]
    total = sum(row.module.estimated_minutes or 0 for row in shown)
    live_order = [row.module.pk for row in rows if row.module.pk in tree_ids]
    credits = [
        (credit.credit_type.name, credit.hours, _hours_for(total))
        for credit in course_draft.credits.all()
    ]
    return CourseOutline(
        course=course_draft,
        rows=rows,
        in_review=in_review,
        order_pending=live_order != tree_ids,
        total_minutes=total,
        credits=credits,
    )
