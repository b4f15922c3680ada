"""Every preview of a course or module shows what an enrolled learner sees, and records nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.permissions import ensure_instructor_group, ensure_review_workflow
from enrollments.models import Enrollment, ModuleProgress, QuizAttempt
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


# --- Preview modes: a live course as a learner with given progress ------------------------------


@pytest.fixture
def live_course(course):
    """CTN-101, live: Module 1, Module 2, Module 3, Post-test."""
    factories.module(course, "Module 3")
    question = factories.question("Who signs the 1572?", correct=(1,))
    factories.module(course, "Post-test", quiz_kind="post_test", questions=[question])
    return course


def preview(client, page, mode):
    url = reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    return client.get(url, {"mode": mode})


def assert_nothing_recorded():
    assert Enrollment.objects.count() == 0
    assert ModuleProgress.objects.count() == 0
    assert QuizAttempt.objects.count() == 0


def test_course_and_module_previews_offer_a_mode_per_number_of_modules_done(
    client, instructor, live_course
):
    expected = [
        ("", "No modules done"),
        ("done-1", "1 module done"),
        ("done-2", "2 modules done"),
        ("done-3", "3 modules done"),
        ("completed", "Course completed"),
    ]
    module = live_course.get_children().specific().first()
    assert [(name, str(label)) for name, label in live_course.preview_modes] == expected
    assert [(name, str(label)) for name, label in module.preview_modes] == expected
    assert live_course.default_preview_mode == module.default_preview_mode == ""
    # The editor's preview panel offers them.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[live_course.pk])).content.decode()
    assert 'value="done-2"' in edit and "Course completed" in edit


@pytest.mark.parametrize(
    ("mode", "done", "next_title"),
    [("", 0, None), ("done-1", 1, "Module 2"), ("done-3", 3, "Post-test"), ("completed", 4, None)],
)
def test_a_live_course_previews_as_a_learner_with_the_first_modules_done(
    client, instructor, live_course, mode, done, next_title
):
    response = preview(client, live_course, mode)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('module-list__item--tracked is-done"') == done
    assert body.count('class="module-list__item--tracked"') == 4 - done
    if next_title:
        assert f"Continue with: {next_title}" in body
        assert f"{done} of 4 modules" in body
    else:
        assert "Continue with:" not in body
    assert ("every module done and the post-test passed" in body) == (mode == "completed")
    assert_nothing_recorded()


def test_a_module_preview_shows_a_done_module_as_done(client, instructor, live_course):
    first, second = live_course.get_children().specific()[:2]
    body = preview(client, first, "done-1").content.decode()
    assert "You completed this module" in body
    assert "Continue with: Module 2" in body
    assert body.count('is-done"') == 1
    body = preview(client, second, "done-1").content.decode()
    assert "You completed this module" not in body
    assert "Lesson text about GCP" in body
    post_test = live_course.get_children().specific().last()
    body = preview(client, post_test, "completed").content.decode()
    assert "You completed this module" in body
    assert "Who signs the 1572?" in body  # the quiz can still be tried
    assert_nothing_recorded()


def test_an_unknown_preview_mode_is_a_404(client, instructor, live_course):
    assert preview(client, live_course, "done-x").status_code == 404
    assert preview(client, live_course, "done-0").status_code == 404


def test_a_non_editor_cannot_preview_a_course_with_progress(client, instructor, live_course):
    stranger = UserFactory(email="cmiit@example.org")
    stranger.groups.add(Group.objects.get(name="CMIIT instructors"))
    client.force_login(stranger)
    refused = preview(client, live_course, "done-1")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    client.logout()
    assert preview(client, live_course, "done-1").status_code == 302


def test_the_editor_offers_the_modes_when_adding_and_editing_a_module(
    client, instructor, live_course
):
    module = live_course.get_children().first()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert edit.status_code == 200
    assert 'value="done-3"' in edit.content.decode()
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", live_course.pk])
    add = client.get(add_url)
    assert add.status_code == 200
    assert "done-1" not in add.content.decode()  # saved, it is previewed with progress
    program = live_course.get_parent()
    add_course = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", program.pk])
    assert client.get(add_course).status_code == 200
