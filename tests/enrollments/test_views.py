"""The learner's routes: each bad input gets a clear 4xx and changes nothing."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrollments import services
from enrollments.models import CourseEvaluation, Enrollment, ModuleProgress, QuizAttempt
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import EVALUATION, correct_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def enrollment(learner, course):
    return services.enroll(user=learner, course=course)[0]


def complete_url(enrollment, module):
    return reverse("enrollments:complete_module", args=[enrollment.pk, module.pk])


def quiz_url(enrollment, module):
    return reverse("enrollments:submit_quiz", args=[enrollment.pk, module.pk])


def quiz_post(module, answers, attempt=1):
    data = {"attempt": str(attempt)}
    data.update({f"q-{key}": value for key, value in answers.items()})
    return data


def test_enroll_from_the_course_page(signed_in, course, learner, modules):
    page = signed_in.get(course.url)
    assert b"Enroll in this course" in page.content
    response = signed_in.post(reverse("enrollments:enroll", args=[course.pk]))
    assert response.status_code == 302
    assert response.url == modules[0].url
    signed_in.post(reverse("enrollments:enroll", args=[course.pk]))  # a double click
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_enroll_refused_with_a_clear_message_when_closed(signed_in, course):
    course.enrollment_open = False
    course.save_revision().publish()
    response = signed_in.post(reverse("enrollments:enroll", args=[course.pk]))
    assert response.status_code == 403
    assert b"Enrollment in this course is closed." in response.content
    assert Enrollment.objects.count() == 0


def test_anonymous_enroll_goes_to_sign_in(client, course):
    response = client.post(reverse("enrollments:enroll", args=[course.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Enrollment.objects.count() == 0


def test_module_content_is_for_enrolled_learners_only(client, signed_in, course, modules):
    lesson_text = b"Lesson text about GCP."
    anonymous = Client().get(modules[0].url)
    assert anonymous.status_code == 200
    assert lesson_text not in anonymous.content
    assert b"This module is for enrolled learners" in anonymous.content
    before = signed_in.get(modules[0].url)
    assert lesson_text not in before.content
    assert b"Enroll in this course" in before.content
    services.enroll(user=before.wsgi_request.user, course=course)
    after = signed_in.get(modules[0].url)
    assert lesson_text in after.content
    assert b"Mark complete" in after.content


def test_quiz_page_never_reveals_the_answers(signed_in, enrollment, modules):
    post_test = modules[-1]
    html = signed_in.get(post_test.url).content.decode()
    assert "Option 1" in html  # the options are shown...
    assert "correct" not in html.lower().replace("incorrect", "")  # ...but never which is right
    assert "Because." not in html  # nor the explanation


def test_mark_complete_advances_to_the_next_module(signed_in, enrollment, modules):
    response = signed_in.post(complete_url(enrollment, modules[0]))
    assert response.status_code == 302
    assert response.url == modules[1].url
    assert ModuleProgress.objects.filter(enrollment=enrollment).count() == 1
    course_page = signed_in.get(enrollment.course.url)
    assert b"Continue where you left off" in course_page.content


def test_completing_a_module_of_another_course_is_404(signed_in, enrollment, course):
    other = factories.course(course.get_parent(), "CTN-999", modules=1)
    foreign = other.get_children().first()
    response = signed_in.post(complete_url(enrollment, foreign))
    assert response.status_code == 404
    assert ModuleProgress.objects.count() == 0


def test_completing_a_module_without_enrollment_is_404(client, learner, course, modules):
    someone = UserFactory(email="other@example.org")
    theirs = services.enroll(user=someone, course=course)[0]
    client.force_login(learner)
    response = client.post(complete_url(theirs, modules[0]))
    assert response.status_code == 404
    assert ModuleProgress.objects.count() == 0


def test_quiz_module_cannot_be_completed_by_the_mark_complete_route(signed_in, enrollment, modules):
    response = signed_in.post(complete_url(enrollment, modules[-1]))
    assert response.status_code == 400
    assert b"completes when you pass its quiz" in response.content
    assert ModuleProgress.objects.count() == 0


def test_post_without_csrf_is_refused(learner, enrollment, modules):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(complete_url(enrollment, modules[0]))
    assert response.status_code == 403
    assert ModuleProgress.objects.count() == 0


@pytest.mark.parametrize("route", ["complete", "quiz", "enroll"])
def test_get_on_a_post_only_route_is_405(signed_in, enrollment, modules, route):
    url = {
        "complete": complete_url(enrollment, modules[0]),
        "quiz": quiz_url(enrollment, modules[-1]),
        "enroll": reverse("enrollments:enroll", args=[enrollment.course_id]),
    }[route]
    assert signed_in.get(url).status_code == 405
    assert ModuleProgress.objects.count() == 0


def test_quiz_submission_shows_score_and_explanations(signed_in, enrollment, modules):
    post_test = modules[-1]
    response = signed_in.post(
        quiz_url(enrollment, post_test), quiz_post(post_test, wrong_answers(post_test))
    )
    assert response.status_code == 302
    result = signed_in.get(response.url)
    assert b"Not passed: 0%" in result.content
    assert b"2 attempts left" in result.content
    # While attempts remain, a graded post-test keeps its answers and explanations secret.
    assert b"(correct)" not in result.content
    assert b"Because." not in result.content


def test_answers_and_explanations_appear_once_passed(signed_in, enrollment, modules):
    post_test = modules[-1]
    response = signed_in.post(
        quiz_url(enrollment, post_test), quiz_post(post_test, correct_answers(post_test))
    )
    result = signed_in.get(response.url)
    assert b"Passed: 100%" in result.content
    assert b"Because." in result.content
    assert b"(correct)" in result.content


def test_answers_appear_when_no_attempts_are_left(signed_in, enrollment, modules):
    post_test = modules[-1]
    for number in (1, 2, 3):
        data = quiz_post(post_test, wrong_answers(post_test), number)
        response = signed_in.post(quiz_url(enrollment, post_test), data)
    result = signed_in.get(response.url)
    assert b"You have used all 3 attempts" in result.content
    assert b"(correct)" in result.content


def test_a_knowledge_check_shows_its_answers_at_once(signed_in, enrollment, course):
    check = factories.module(course, "Check", quiz_kind="knowledge_check",
                             questions=[factories.question()])  # fmt: skip
    wrong = {check.questions[0].id: ["0"]}
    response = signed_in.post(quiz_url(enrollment, check), quiz_post(check, wrong))
    result = signed_in.get(response.url)
    assert b"Not passed" in result.content
    assert b"Because." in result.content
    assert b"(correct)" in result.content


def test_answers_naming_an_option_of_another_question_are_400(signed_in, enrollment, modules):
    post_test = modules[-1]
    answers = correct_answers(post_test)
    first, second = list(answers)[:2]
    answers[first] = ["7"]  # an index only a longer question would have
    response = signed_in.post(quiz_url(enrollment, post_test), quiz_post(post_test, answers))
    assert response.status_code == 400
    answers = correct_answers(post_test)
    answers["not-a-question"] = ["0"]
    response = signed_in.post(quiz_url(enrollment, post_test), quiz_post(post_test, answers))
    assert response.status_code == 400
    assert QuizAttempt.objects.count() == 0


def test_submission_past_the_attempt_limit_is_403(signed_in, enrollment, modules):
    post_test = modules[-1]
    for number in (1, 2, 3):
        signed_in.post(quiz_url(enrollment, post_test),
                       quiz_post(post_test, wrong_answers(post_test), number))  # fmt: skip
    response = signed_in.post(
        quiz_url(enrollment, post_test), quiz_post(post_test, correct_answers(post_test), 4)
    )
    assert response.status_code == 403
    assert b"You have used all 3 attempts" in response.content
    assert QuizAttempt.objects.count() == 3


def test_replayed_quiz_submission_is_409_and_counts_once(signed_in, enrollment, modules):
    post_test = modules[-1]
    data = quiz_post(post_test, wrong_answers(post_test))
    signed_in.post(quiz_url(enrollment, post_test), data)
    response = signed_in.post(quiz_url(enrollment, post_test), data)
    assert response.status_code == 409
    assert QuizAttempt.objects.count() == 1


def test_evaluation_twice_is_refused(signed_in, enrollment, modules):
    for module in modules[:-1]:
        signed_in.post(complete_url(enrollment, module))
    signed_in.post(quiz_url(enrollment, modules[-1]),
                   quiz_post(modules[-1], correct_answers(modules[-1])))  # fmt: skip
    url = reverse("enrollments:evaluation", args=[enrollment.pk])
    assert signed_in.post(url, EVALUATION).status_code == 302
    again = signed_in.post(url, EVALUATION)
    assert again.status_code == 409
    assert CourseEvaluation.objects.count() == 1
    enrollment.refresh_from_db()
    assert enrollment.is_completed is True


def test_incomplete_evaluation_form_is_a_form_error(signed_in, enrollment, modules):
    for module in modules[:-1]:
        signed_in.post(complete_url(enrollment, module))
    signed_in.post(quiz_url(enrollment, modules[-1]),
                   quiz_post(modules[-1], correct_answers(modules[-1])))  # fmt: skip
    url = reverse("enrollments:evaluation", args=[enrollment.pk])
    response = signed_in.post(url, {"overall": "9"})
    assert response.status_code == 400
    assert "overall" in response.context["form"].errors
    assert CourseEvaluation.objects.count() == 0


@pytest.mark.parametrize("route", ["evaluation", "attempt", "complete", "quiz"])
def test_another_learners_enrollment_id_in_a_url_is_404(client, course, modules, route):
    owner = UserFactory(email="owner@example.org")
    theirs = services.enroll(user=owner, course=course)[0]
    services.submit_quiz(enrollment=theirs, module_id=modules[-1].pk,
                         answers=wrong_answers(modules[-1]), attempt_number=1)  # fmt: skip
    client.force_login(UserFactory(email="intruder@example.org"))
    if route == "evaluation":
        response = client.get(reverse("enrollments:evaluation", args=[theirs.pk]))
    elif route == "attempt":
        response = client.get(reverse("enrollments:attempt", args=[theirs.pk, modules[-1].pk, 1]))
    elif route == "complete":
        response = client.post(complete_url(theirs, modules[0]))
    else:
        response = client.post(quiz_url(theirs, modules[-1]),
                               quiz_post(modules[-1], correct_answers(modules[-1]), 2))  # fmt: skip
    assert response.status_code == 404
    assert QuizAttempt.objects.count() == 1
    assert ModuleProgress.objects.count() == 0


def dashboard_queries(client) -> int:
    client.get("/learning/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/learning/")
    assert response.status_code == 200
    return len(captured)


def test_dashboard_query_count_is_constant_in_enrollments(signed_in, learner):
    program = factories.program("ctn")

    def enroll_in(count):
        for _ in range(count):
            course = factories.course(program, modules=2)
            enrollment = services.enroll(user=learner, course=course)[0]
            services.complete_module(
                enrollment=enrollment, module_id=course.get_children().first().pk
            )

    enroll_in(2)
    small = dashboard_queries(signed_in)
    enroll_in(10)
    response = signed_in.get("/learning/")
    assert len(response.context["in_progress"]) == 12
    assert dashboard_queries(signed_in) == small
    assert b"50%" in response.content


def test_dashboard_needs_sign_in(client):
    response = client.get("/learning/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_dashboard_after_a_publish_reads_every_course_and_outline_in_fixed_queries(
    signed_in, learner
):
    """The first My learning after a content change (nothing kept yet in the process) costs the
    same with 2 courses as with 12: courses and outlines are read in one query each."""
    from django.core.cache import cache
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext as Capture

    from infrastructure import caching, render_cache

    program = factories.program("ctn")

    def cold_queries() -> int:
        render_cache.forget()  # as after a publish: nothing kept for the new version
        cache.delete(caching.VERSION_KEY)  # and the version itself read again
        with Capture(db) as captured:
            assert signed_in.get("/learning/").status_code == 200
        return len(captured)

    def enroll_in(count):
        for _ in range(count):
            services.enroll(user=learner, course=factories.course(program, modules=2))

    enroll_in(2)
    cold_queries()  # once: what the process keeps for good (site root paths, content types)
    small = cold_queries()
    enroll_in(10)
    assert cold_queries() == small
