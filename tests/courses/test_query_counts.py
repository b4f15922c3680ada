"""Listing pages cost the same number of queries whatever the size of the catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """These count what rendering a page costs: the signed-in page cache would hide it."""
    settings.LMS_SIGNED_IN_PAGE_CACHE_SECONDS = 0


def count_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def add_courses(program, count, **kwargs):
    for _ in range(count):
        factories.course(program, credits=(("AMA_PRA_1", "1.5"), ("VOICE_CEH", "1.5")), **kwargs)


@pytest.mark.parametrize(
    "params",
    [None, {"level": "basic"}, {"profession": "technologist", "credit_type": "VOICE_CEH"}],
)
def test_catalog_costs_the_same_with_2_and_20_courses(client, params):
    program = factories.program("ctn")
    add_courses(program, 2)
    small = count_queries(client, "/catalog/", params)
    add_courses(program, 18)
    assert len(client.get("/catalog/", params).context["courses"]) == 20
    assert count_queries(client, "/catalog/", params) == small


def test_catalog_search_costs_the_same_with_2_and_20_matches(client):
    program = factories.program("ctn")
    add_courses(program, 2, summary="Phantom qualification for PET trials", modules=1)
    small = count_queries(client, "/catalog/", {"q": "phantom"})
    add_courses(program, 18, summary="Phantom qualification for PET trials", modules=1)
    assert len(client.get("/catalog/", {"q": "phantom"}).context["courses"]) == 20
    assert count_queries(client, "/catalog/", {"q": "phantom"}) == small


def test_program_page_costs_the_same_with_2_and_20_courses(client):
    program = factories.program("ctn")
    add_courses(program, 2)
    small = count_queries(client, program.url)
    add_courses(program, 18)
    assert count_queries(client, program.url) == small


def test_home_page_costs_the_same_with_2_and_20_courses(client):
    program = factories.program("ctn")
    add_courses(program, 2)
    small = count_queries(client, "/")
    add_courses(program, 18)
    assert count_queries(client, "/") == small


def test_course_page_costs_the_same_with_3_and_30_modules(client):
    program = factories.program("ctn")
    prerequisite = factories.course(program, "CTN-100")
    course = factories.course(program, "CTN-101", modules=3)
    course.prerequisites.add(prerequisite)
    course.save()
    small = count_queries(client, course.url)
    for index in range(27):
        factories.module(course, title=f"Extra {index}")
    assert len(client.get(course.url).context["modules"]) == 30
    assert count_queries(client, course.url) == small


def test_module_page_costs_the_same_with_3_and_30_modules(client, django_user_model):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=3)
    first = course.get_children().first()
    admin = django_user_model.objects.create_superuser("root@example.org", "pw")
    client.force_login(admin)
    small = count_queries(client, first.url)
    for index in range(27):
        factories.module(course, title=f"Extra {index}")
    assert count_queries(client, first.url) == small


def test_an_enrolled_learners_course_and_module_pages_cost_the_same_with_3_and_30_modules(client):
    """The enrollments panel, progress and quiz come from the extension points: one enrollment
    lookup per page, whatever the number of modules."""
    from enrollments import services
    from tests.factories import UserFactory

    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=3, post_test=True)
    first = course.get_children().first()
    learner = UserFactory(email="learner@example.org")
    services.enroll(user=learner, course=course)
    client.force_login(learner)
    small = (count_queries(client, course.url), count_queries(client, first.url))
    for index in range(27):
        factories.module(course, title=f"Extra {index}")
    assert (count_queries(client, course.url), count_queries(client, first.url)) == small


def test_a_preview_with_progress_costs_the_same_with_3_and_30_modules(client, django_user_model):
    """The preview modes ("N modules done") make progress up from the modules already listed."""
    from django.urls import reverse

    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=3)
    first = course.get_children().first()
    admin = django_user_model.objects.create_superuser("root@example.org", "pw")
    client.force_login(admin)
    urls = [reverse("wagtailadmin_pages:view_draft", args=[page.pk]) for page in (course, first)]
    small = [count_queries(client, url, {"mode": "done-2"}) for url in urls]
    for index in range(27):
        factories.module(course, title=f"Extra {index}")
    assert [count_queries(client, url, {"mode": "done-2"}) for url in urls] == small
