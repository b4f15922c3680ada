"""A signed-in learner's repeat views come from their own cache entry, never stale, never shared."""

import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import services as certificate_services
from enrollments import services
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import EVALUATION, correct_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings, fresh_cache):
    settings.LMS_SIGNED_IN_PAGE_CACHE_SECONDS = 300
    settings.LMS_PAGE_CACHE_VERSION_SECONDS = 300  # a hit then never reads the version row


@pytest.fixture
def course():
    program = factories.program("ctn")
    return factories.course(program, "CTN-101", modules=2, post_test=True, pass_mark=80)


@pytest.fixture
def modules(course):
    return list(course.get_children().live().specific().order_by("path"))


@pytest.fixture
def learner():
    return UserFactory(email="cached-learner@example.org", full_name="Ada Cached")


@pytest.fixture
def enrollment(learner, course):
    return services.enroll(user=learner, course=course)[0]


@pytest.fixture
def signed_in(learner):
    client = Client()
    client.force_login(learner)
    return client


def warm(client, url):
    """Fill the cache with this page (a first view sets the CSRF cookie if there is none)."""
    if "csrftoken" not in client.cookies:
        client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    return response


def test_repeat_view_is_a_hit_costing_only_the_session_and_user(signed_in, enrollment, modules):
    url = modules[0].url
    first = warm(signed_in, url)
    with CaptureQueriesContext(connection) as captured:
        second = signed_in.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(captured) == 2  # the session and the user: no page, no progress
    # The middleware above the cache still adds its headers to a cached page.
    for header in ("X-Frame-Options", "Content-Security-Policy", "Content-Type"):
        assert second[header] == first[header]
    assert second["Cache-Control"] == "private"
    assert "Cookie" in second["Vary"]


def test_completing_a_module_shows_at_once(signed_in, enrollment, modules):
    url = modules[0].url
    warm(signed_in, url)
    warm(signed_in, "/learning/")
    response = signed_in.post(
        reverse("enrollments:complete_module", args=[enrollment.pk, modules[0].pk])
    )
    assert response.status_code == 302
    page = signed_in.get(url)
    assert page["X-Page-Cache"] != "hit"
    assert page.context["module_done"] is True
    dashboard = signed_in.get("/learning/")
    assert dashboard["X-Page-Cache"] != "hit"
    assert dashboard.context["in_progress"][0].completed_modules == 1


def test_a_quiz_result_and_the_certificate_show_at_once(signed_in, enrollment, modules):
    post_test = modules[-1]
    for module in modules[:-1]:
        services.complete_module(enrollment=enrollment, module_id=module.pk)
    warm(signed_in, "/learning/")
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    services.submit_evaluation(enrollment=enrollment, data=EVALUATION)
    dashboard = signed_in.get("/learning/")
    assert dashboard["X-Page-Cache"] != "hit"
    assert len(dashboard.context["completed"]) == 1
    assert signed_in.get("/learning/")["X-Page-Cache"] == "hit"
    certificate = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    certificate_services.issue_certificate(certificate_id=certificate.pk)
    dashboard = signed_in.get("/learning/")
    assert dashboard["X-Page-Cache"] != "hit"
    assert certificate.get_download_url().encode() in dashboard.content


def test_a_profile_change_shows_at_once(signed_in, learner, enrollment, modules):
    warm(signed_in, "/learning/")
    learner.full_name = "Ada Renamed"
    learner.save()
    response = signed_in.get("/learning/")
    assert response["X-Page-Cache"] != "hit"
    assert b"Ada Renamed" in response.content


def test_publishing_the_course_shows_at_once(signed_in, enrollment, modules):
    url = modules[0].url
    warm(signed_in, url)
    module = modules[0]
    module.title = "A revised module title"
    module.save_revision().publish()
    response = signed_in.get(url)
    assert response["X-Page-Cache"] != "hit"
    assert b"A revised module title" in response.content


def test_another_learner_or_session_never_gets_the_page(signed_in, learner, enrollment, modules):
    url = modules[0].url
    warm(signed_in, url)
    other = Client()
    other.force_login(UserFactory(email="other@example.org"))
    other.get(url)
    response = other.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Mark complete" not in response.content  # not enrolled: no progress actions
    # The same learner in a second browser has a session and CSRF cookie of its own.
    second_browser = Client()
    second_browser.force_login(learner)
    second_browser.get(url)
    assert second_browser.get(url)["X-Page-Cache"] == "miss"


def test_pending_messages_are_shown_not_a_cached_page(signed_in, course, modules):
    warm(signed_in, course.url)
    response = signed_in.post(reverse("enrollments:enroll", args=[course.pk]), follow=True)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert any("enrolled" in str(message).lower() for message in response.context["messages"])
    # The next view is the enrolled learner's page, rendered afresh, then cached.
    landing = response.redirect_chain[-1][0]
    assert signed_in.get(landing)["X-Page-Cache"] == "miss"
    assert signed_in.get(landing)["X-Page-Cache"] == "hit"


def test_a_request_without_a_csrf_cookie_is_rendered_and_not_stored(signed_in, enrollment, modules):
    response = signed_in.get(modules[0].url)
    assert "X-Page-Cache" not in response
    assert "csrftoken" in response.cookies


def test_pages_that_did_not_opt_in_are_never_cached(signed_in, enrollment):
    for url in ("/accounts/profile/", "/certificates/transcript/"):
        signed_in.get(url)
        assert "X-Page-Cache" not in signed_in.get(url)


def test_a_cache_that_is_down_means_rendering_not_failing(signed_in, enrollment, modules, settings):
    settings.CACHES = {
        "default": {
            # The production backend, with nothing listening on port 1.
            "BACKEND": "infrastructure.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300
    url = modules[0].url
    signed_in.get(url)
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] != "hit"
    assert Client().get("/").status_code == 200  # the anonymous cache too
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)
    assert signed_in.get(url).context["module_done"] is True


DEAD_CACHE = {
    "default": {
        "BACKEND": "infrastructure.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_a_change_made_while_the_cache_is_down_still_retires_the_page(
    signed_in, enrollment, modules
):
    url = modules[0].url
    warm(signed_in, url)
    with override_settings(CACHES=DEAD_CACHE):  # Redis away while the learner completes it
        services.complete_module(enrollment=enrollment, module_id=modules[0].pk)
    page = signed_in.get(url)  # Redis back, with the old page still in it
    assert page["X-Page-Cache"] != "hit"
    assert page.context["module_done"] is True


def test_a_certificate_revoked_while_the_cache_is_down_shows_revoked_soon_after(
    enrollment, modules, settings
):
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300
    settings.LMS_PAGE_CACHE_VERSION_SECONDS = 1
    for module in modules[:-1]:
        services.complete_module(enrollment=enrollment, module_id=module.pk)
    services.submit_quiz(
        enrollment=enrollment, module_id=modules[-1].pk, answers=correct_answers(modules[-1]),
        attempt_number=1,
    )  # fmt: skip
    services.submit_evaluation(enrollment=enrollment, data=EVALUATION)
    certificate = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    certificate_services.issue_certificate(certificate_id=certificate.pk)
    visitor = Client()
    url = certificate.get_absolute_url()
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    with override_settings(CACHES=DEAD_CACHE):
        certificate_services.revoke_certificate(
            certificate=certificate, actor=None, reason="Issued in error"
        )
    time.sleep(1.2)  # Redis's copy of the content version expires; the database has the new one
    response = visitor.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"revoked" in response.content.lower()


def test_an_instructor_losing_a_program_stops_seeing_its_modules(course, modules):
    from wagtail.models import GroupPagePermission

    from courses.permissions import ensure_instructor_group

    program = course.get_parent().specific
    group = ensure_instructor_group(program)
    instructor = UserFactory(email="instructor@example.org", is_staff=True)
    instructor.groups.add(group)
    client = Client()
    client.force_login(instructor)
    url = modules[0].url
    page = warm(client, url)
    assert page.context["access"].reason == "editor"
    GroupPagePermission.objects.filter(group=group).delete()
    response = client.get(url)
    assert response["X-Page-Cache"] != "hit"
    assert response.context["access"].can_view_content is False


def test_deleting_a_module_does_not_update_each_learner(course, modules):
    learners = [UserFactory(email=f"l{index}@example.org") for index in range(3)]
    for learner in learners:
        enrollment = services.enroll(user=learner, course=course)[0]
        services.complete_module(enrollment=enrollment, module_id=modules[0].pk)
    with CaptureQueriesContext(connection) as captured:
        modules[0].delete()
    user_updates = [q for q in captured if q["sql"].startswith('UPDATE "accounts_user"')]
    assert user_updates == []


def test_saving_a_stale_user_never_brings_an_old_page_back(signed_in, learner, enrollment, modules):
    stale = type(learner).objects.get(pk=learner.pk)  # read before the bump below
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)
    warm(signed_in, "/learning/")  # cached under the bumped version, showing the old name
    stale.full_name = "Ada Stale"
    stale.save()  # must not write back the version it read, or its own bump lands on the above
    response = signed_in.get("/learning/")
    assert response["X-Page-Cache"] != "hit"
    assert b"Ada Stale" in response.content
