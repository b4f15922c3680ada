"""Every preview of a course or module shows what an enrolled learner sees, and records nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.permissions import ensure_instructor_group, ensure_review_workflow
from enrollments.models import Enrollment, QuizAttempt
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(factories.program("cmiit", "CMIIT"))
    ensure_instructor_group(ctn)
    ensure_review_workflow(factories.home_page())
    return factories.course(ctn, "CTN-101", modules=2, title="GCP basics")


@pytest.fixture
def draft_quiz(course):
    return factories.module(
        course, "Knowledge check draft", quiz_kind="knowledge_check", publish=False,
        questions=[factories.question("Who signs the 1572?", correct=(1,), options=3)],
    )  # fmt: skip


@pytest.fixture
def instructor(client, course):
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


def view_draft(client, page):
    return client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))


def test_a_module_preview_shows_the_lesson_and_quiz_as_a_learner_sees_them(
    client, instructor, draft_quiz
):
    response = view_draft(client, draft_quiz)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This module is for enrolled learners" not in body
    assert "Lesson text about GCP" in body
    assert "Who signs the 1572?" in body
    assert reverse("enrollments_preview:grade", args=[draft_quiz.pk]) in body
    assert "Module 3 of 3" in body
    assert "nothing is recorded" in body  # the preview banner


def test_a_course_preview_lists_its_draft_modules_marked_as_drafts(
    client, instructor, course, draft_quiz
):
    body = view_draft(client, course).content.decode()
    assert "Knowledge check draft" in body
    assert 'badge--draft">Draft' in body
    assert body.count('badge--draft">Draft') == 1
    assert "Preview as an enrolled learner" in body


def test_a_reviewer_previews_a_module_in_review(client, instructor, draft_quiz):
    from wagtail.models import Workflow

    Workflow.objects.get(name="Course review").start(draft_quiz, instructor)
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.groups.add(Group.objects.get(name="Course reviewers"))
    client.force_login(reviewer)
    state = draft_quiz.current_workflow_state
    url = reverse(
        "wagtailadmin_pages:workflow_preview",
        args=[draft_quiz.pk, state.current_task_state.task_id],
    )
    body = client.get(url).content.decode()
    assert "Who signs the 1572?" in body
    assert "This module is for enrolled learners" not in body
    response = client.post(
        reverse("enrollments_preview:grade", args=[draft_quiz.pk]),
        {f"q-{draft_quiz.questions[0].id}": "1"},
    )
    assert response.status_code == 200


def test_a_preview_attempt_is_graded_with_its_review_and_records_nothing(
    client, instructor, draft_quiz
):
    question = draft_quiz.questions[0]
    url = reverse("enrollments_preview:grade", args=[draft_quiz.pk])
    wrong = client.post(url, {f"q-{question.id}": "0"}).content.decode()
    assert "Not passed" in wrong
    assert "(correct)" in wrong  # the review shows the answers
    right = client.post(url, {f"q-{question.id}": "1"}).content.decode()
    assert "Passed" in right and "100%" in right
    assert QuizAttempt.objects.count() == 0
    assert Enrollment.objects.count() == 0


def test_preview_grading_refuses_bad_answers_and_strangers(client, instructor, draft_quiz):
    url = reverse("enrollments_preview:grade", args=[draft_quiz.pk])
    assert client.post(url, {"q-nope": "1"}).status_code == 400
    assert client.post(url, {f"q-{draft_quiz.questions[0].id}": "9"}).status_code == 400
    stranger = UserFactory(email="cmiit@example.org")
    stranger.groups.add(Group.objects.get(name="CMIIT instructors"))
    client.force_login(stranger)
    refused = client.post(url, {f"q-{draft_quiz.questions[0].id}": "1"})
    # Wagtail's admin answers a PermissionDenied with its "no permission" redirect.
    assert (refused.status_code, refused.url) == (302, "/admin/")
