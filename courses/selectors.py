"""Reads that span the catalog: the filtered, searchable list of courses."""

from dataclasses import dataclass

from courses.models import CoursePage, ModulePage, ProgramPage


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
    courses = CoursePage.objects.live().public().defer_streamfields().with_card_data()
    if filters.program:
        program = ProgramPage.objects.live().filter(code__iexact=filters.program).first()
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
    shown = {course.pk for course in courses}
    module_hits = [(module, course) for module, course in module_hits if course.pk in shown]
    return CatalogResult(courses=courses, module_hits=module_hits)
