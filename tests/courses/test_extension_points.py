"""The catalog's extension points: apps above courses add to its pages only through them."""

import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from courses import extension_points
from courses.extension_points import AccessDenial, Fragment, PageAdditions
from enrollments import services
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LESSON = b"Lesson text about GCP."


def close_terminated_courses(request, module, *, course):
    """An implementation of MODULE_ACCESS_DENIAL: a terminated course's modules are closed."""
    if course.termination_date < timezone.localdate():
        return AccessDenial(
            reason="course_terminated", message="This course has ended: its credit has expired."
        )
    return None


@pytest.fixture
def course(db):
    return factories.course(factories.program("ctn"), "CTN-101", modules=2)


@pytest.fixture
def first_module(course):
    return course.get_children().live().specific().order_by("path").first()


@pytest.fixture
def enrolled(client, course):
    learner = UserFactory(email="learner@example.org")
    services.enroll(user=learner, course=course)
    client.force_login(learner)
    return client


def terminate(course):
    course.termination_date = timezone.localdate() - datetime.timedelta(days=1)
    course.save_revision().publish()


def test_a_denial_closes_a_terminated_courses_modules_to_an_enrolled_learner(
    enrolled, course, first_module
):
    terminate(course)
    with hooks.register_temporarily(
        extension_points.MODULE_ACCESS_DENIAL, close_terminated_courses
    ):
        response = enrolled.get(first_module.url)
    assert response.status_code == 200
    assert LESSON not in response.content
    assert b"This course has ended: its credit has expired." in response.content
    assert response.context["access"].reason == "denied"
    assert response.context["access"].can_view_content is False


def test_a_denial_that_does_not_apply_leaves_the_enrolled_learner_in(
    enrolled, course, first_module
):
    with hooks.register_temporarily(
        extension_points.MODULE_ACCESS_DENIAL, close_terminated_courses
    ):
        response = enrolled.get(first_module.url)
    assert LESSON in response.content
    assert response.context["access"].reason == "enrolled"


def test_editors_still_read_a_denied_module(client, django_user_model, course, first_module):
    terminate(course)
    client.force_login(django_user_model.objects.create_superuser("root@example.org", "pw"))
    with hooks.register_temporarily(
        extension_points.MODULE_ACCESS_DENIAL, close_terminated_courses
    ):
        response = client.get(first_module.url)
    assert LESSON in response.content
    assert response.context["access"].reason == "editor"


def test_every_apps_course_panel_is_shown_in_hook_order(enrolled, course):
    def announcement(request, page, *, modules):
        return PageAdditions(panel=Fragment("blocks/rich_text.html", {"value": "Cohort starts"}))

    with hooks.register_temporarily(extension_points.COURSE_PAGE, announcement):
        response = enrolled.get(course.url)
    content = response.content.decode()
    assert "You are enrolled" in content  # enrollments' panel
    assert "Cohort starts" in content  # the second app's
    assert content.index("You are enrolled") < content.index("Cohort starts")


def test_pages_keep_nothing_on_the_request(enrolled, course, first_module):
    for url in (course.url, first_module.url, "/learning/"):
        request = enrolled.get(url).wsgi_request
        leftovers = {name for name in vars(request) if name.startswith(("_lms", "module_"))}
        assert leftovers == set()


def test_results_are_frozen():
    fragment = Fragment("x.html", {"a": 1})
    with pytest.raises(TypeError):
        fragment.context["a"] = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        fragment.template = "y.html"
    additions = PageAdditions(panel=fragment)
    with pytest.raises(dataclasses.FrozenInstanceError):
        additions.quiz = fragment


def test_the_dashboard_shows_what_an_app_adds_to_a_completed_row(enrolled, course):
    from enrollments.models import Enrollment, EnrollmentStatus

    enrollment = Enrollment.objects.get(course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )

    def badge(request, *, enrollments):
        return extension_points.DashboardAdditions(
            links=(extension_points.Link("Badges", "/badges/"),),
            rows={
                e.pk: Fragment("blocks/rich_text.html", {"value": "Badge earned"})
                for e in enrollments
            },
        )

    with hooks.register_temporarily(extension_points.DASHBOARD, badge):
        content = enrolled.get("/learning/").content.decode()
    assert "Badge earned" in content
    assert 'href="/badges/"' in content
    assert "Transcript and credit totals" in content  # certificates' link is still there


def test_a_closed_module_takes_no_completion_and_no_quiz_attempt(enrolled, course):
    from enrollments.models import Enrollment, ModuleProgress, QuizAttempt

    lesson = factories.module(course, "Lesson 3")
    check = factories.module(
        course, "Check", quiz_kind="knowledge_check", questions=[factories.question()]
    )
    enrollment = Enrollment.objects.get(course=course)
    terminate(course)
    with hooks.register_temporarily(
        extension_points.MODULE_ACCESS_DENIAL, close_terminated_courses
    ):
        completed = enrolled.post(
            reverse("enrollments:complete_module", args=[enrollment.pk, lesson.pk])
        )
        attempted = enrolled.post(
            reverse("enrollments:submit_quiz", args=[enrollment.pk, check.pk]),
            {"attempt": "1", **{f"q-{k}": v for k, v in factories.correct_answers(check).items()}},
        )
    assert (completed.status_code, attempted.status_code) == (403, 403)
    assert b"This course has ended: its credit has expired." in completed.content
    assert ModuleProgress.objects.count() == 0
    assert QuizAttempt.objects.count() == 0
