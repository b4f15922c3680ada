"""Listing pages cost the same number of queries whatever the size of the catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.courses import factories

pytestmark = pytest.mark.django_db


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


# A signed-in learner's first view, rendered for the request with no per-person cache: the
# session comes from the cache, then the user, the page, and the learner's own state. What every
# learner shares (the route, the site, the outline, the overview, the lesson body) is read once
# per content version.
# The page, its course and the outline are read once per content version (render_cache); the
# rest is the learner's own: their user row, and their enrollment with the modules they have done
# (one query; a certificate's line only once the course is completed).
COURSE_PAGE_QUERIES = 2  # user, enrollment with progress
MODULE_PAGE_QUERIES = 2  # user, enrollment with progress
QUIZ_PAGE_QUERIES = 3  # ... and the learner's attempts


def test_a_learners_first_views_cost_a_fixed_number_of_queries_whatever_the_course_holds(client):
    from enrollments import services
    from tests.factories import UserFactory, correct_answers, wrong_answers

    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=3, post_test=True, attempt_limit=9)
    modules = list(course.get_children().specific().order_by("path"))
    first, post_test = modules[0], modules[-1]
    learner = UserFactory(email="learner@example.org")
    enrollment = services.enroll(user=learner, course=course)[0]
    client.force_login(learner)

    def costs():
        return tuple(count_queries(client, page.url) for page in (course, first, post_test))

    assert costs() == (COURSE_PAGE_QUERIES, MODULE_PAGE_QUERIES, QUIZ_PAGE_QUERIES)
    # More modules, more learners (with progress and attempts of their own), more attempts.
    for index in range(27):
        factories.module(course, title=f"Extra {index}")
    for number in range(40):
        other = UserFactory(email=f"other{number}@example.org")
        theirs = services.enroll(user=other, course=course)[0]
        services.complete_module(enrollment=theirs, module_id=first.pk)
        services.submit_quiz(enrollment=theirs, module_id=post_test.pk,
                             answers=wrong_answers(post_test), attempt_number=1)  # fmt: skip
    services.complete_module(enrollment=enrollment, module_id=first.pk)
    for number in (1, 2, 3):
        services.submit_quiz(enrollment=enrollment, module_id=post_test.pk,
                             answers=wrong_answers(post_test), attempt_number=number)  # fmt: skip
    assert correct_answers(post_test)  # the quiz is still there to pass
    assert costs() == (COURSE_PAGE_QUERIES, MODULE_PAGE_QUERIES, QUIZ_PAGE_QUERIES)
