"""The outline (order, add, retire) and one review per course: one submission, one decision."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Workflow

from courses.models import CoursePage, ModulePage
from courses.permissions import ensure_instructor_group, ensure_review_workflow
from enrollments.models import Enrollment, ModuleProgress
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(ctn)
    ensure_review_workflow(factories.home_page())
    return factories.course(ctn, "CTN-101", modules=2, post_test=True, title="GCP basics")


@pytest.fixture
def instructor(client, course):
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


def outline_url(course):
    return reverse("courses_admin:outline", args=[course.pk])


def live_titles(course):
    return [m.title for m in course.get_modules()]


def approve(course, reviewer):
    state = course.current_workflow_state
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")


def test_outline_lists_modules_in_order_with_status_minutes_and_credit_check(
    client, instructor, course
):
    response = client.get(outline_url(course))
    assert response.status_code == 200
    rows = response.context["outline"].rows
    assert [r.module.title for r in rows] == ["Module 1", "Module 2", "Post-test"]
    assert {r.status for r in rows} == {"live"}
    assert response.context["outline"].total_minutes == 45
    # 1.5 credit hours against 45 minutes (0.75 hours): flagged.
    mismatches = response.context["outline"].credit_mismatches
    assert [(hours, supported) for _name, hours, supported in mismatches] == [
        (Decimal("1.50"), Decimal("0.75"))
    ]
    assert "the credit hours and the modules" in response.content.decode()


def test_reordering_is_a_draft_until_the_course_review_approves_it(client, instructor, course):
    second = ModulePage.objects.child_of(course).get(title="Module 2")
    response = client.post(outline_url(course), {"action": "up", "module": second.pk}, follow=True)
    body = response.content.decode()
    assert "learners see it once the course&#x27;s review approves it" in body
    assert [r.module.title for r in response.context["outline"].rows][:2] == [
        "Module 2",
        "Module 1",
    ]
    assert live_titles(course) == ["Module 1", "Module 2", "Post-test"]  # nothing live moved
    course.refresh_from_db()
    course.get_latest_revision().publish()
    assert live_titles(course) == ["Module 2", "Module 1", "Post-test"]


def test_the_post_test_stays_last(client, instructor, course):
    module = ModulePage.objects.child_of(course).get(title="Module 2")
    response = client.post(
        outline_url(course), {"action": "down", "module": module.pk}, follow=True
    )
    assert "The post-test stays last" in response.content.decode()
    assert course.get_latest_revision_as_object().module_order == []


def test_a_module_is_added_as_a_draft_at_the_chosen_position_before_the_post_test(
    client, instructor, course
):
    data = {"action": "add", "title": "Imaging charters", "minutes": "20", "position": "3"}
    response = client.post(outline_url(course), data)
    added = ModulePage.objects.get(title="Imaging charters")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[added.pk])
    assert added.live is False
    rows = client.get(outline_url(course)).context["outline"].rows
    assert [r.module.title for r in rows] == ["Module 1", "Module 2", "Imaging charters",
                                              "Post-test"]  # fmt: skip
    assert rows[2].status == "draft"
    too_far = client.post(outline_url(course), {**data, "title": "After", "position": "5"})
    assert too_far.status_code == 400
    assert not ModulePage.objects.filter(title="After").exists()


def test_retiring_a_live_module_hides_it_from_new_progress_and_keeps_history(
    client, instructor, course
):
    module = ModulePage.objects.child_of(course).get(title="Module 1")
    learner = UserFactory(email="learner@example.org")
    enrollment = Enrollment.objects.create(user=learner, course=course)
    ModuleProgress.objects.create(enrollment=enrollment, module=module)
    client.post(outline_url(course), {"action": "retire", "module": module.pk})
    module.refresh_from_db()
    assert module.live is True  # retiring is a draft until approved
    rows = client.get(outline_url(course)).context["outline"].rows
    assert rows[0].status == "retiring"
    course.refresh_from_db()
    course.save_revision().publish()
    module.refresh_from_db()
    assert module.live is False
    assert live_titles(course) == ["Module 2", "Post-test"]
    assert ModuleProgress.objects.filter(module=module).count() == 1


def test_one_submission_of_the_course_reviews_its_changed_modules_with_one_decision(
    client, instructor, course, django_capture_on_commit_callbacks
):
    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    module = ModulePage.objects.child_of(course).get(title="Module 1")
    draft = module.get_latest_revision_as_object()
    draft.title = "Module 1, revised"
    draft.questions = [factories.question("Which ICH E6 revision applies?", options=3)]
    draft.save_revision(user=instructor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Workflow.objects.get(name="Course review").start(course, instructor)
    module.refresh_from_db()
    assert module.workflow_in_progress is False  # the module is not submitted on its own

    client.force_login(admin)
    changes = client.get(reverse("courses_admin:changes", args=[course.pk]))
    body = changes.content.decode()
    assert [s["page"].pk for s in changes.context["sections"]] == [module.pk]
    assert "Which ICH E6 revision applies?" in body
    assert "Option 2" in body  # the options are part of the comparison

    with django_capture_on_commit_callbacks(execute=True):
        approve(course, admin)
    module.refresh_from_db()
    assert module.title == "Module 1, revised"
    assert module.has_unpublished_changes is False
    # One mail to the reviewers on submission and one to the instructor on approval.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([admin.email, instructor.email])


def test_saving_an_unchanged_page_adds_no_revision(course):
    module = ModulePage.objects.child_of(course).first()
    before = module.revisions.count()
    first = module.get_latest_revision()
    again = module.save_revision()
    assert module.revisions.count() == before
    assert again.pk == first.pk
    module.title = "Changed"
    module.save_revision()
    assert module.revisions.count() == before + 1


def test_an_edition_goes_live_with_its_modules_when_the_course_is_published(
    client, instructor, course
):
    client.post(
        reverse("courses_admin:new_edition", args=[course.pk]),
        {"title": course.title, "code": "CTN-101-2027", "version": "2027"},
    )
    edition = CoursePage.objects.get(code="CTN-101-2027")
    edition.get_latest_revision().publish()
    assert live_titles(edition) == ["Module 1", "Module 2", "Post-test"]


def test_the_changes_of_a_new_edition_show_every_page_as_new(client, instructor, course):
    client.post(
        reverse("courses_admin:new_edition", args=[course.pk]),
        {"title": course.title, "code": "CTN-101-2027", "version": "2027"},
    )
    edition = CoursePage.objects.get(code="CTN-101-2027")
    response = client.get(reverse("courses_admin:changes", args=[edition.pk]))
    assert response.status_code == 200
    sections = response.context["sections"]
    assert [s["is_new"] for s in sections] == [True] * 4
    assert "Q3" in response.content.decode()  # a post-test question, shown as new


@pytest.mark.parametrize("action", ["up", "down", "retire"])
@pytest.mark.parametrize("module", ["9" * 20, "9223372036854775808", "-1", " 7", "abc", ""])
def test_a_module_id_the_database_cannot_hold_is_refused_not_a_500(
    client, instructor, course, action, module
):
    before = [
        (m.pk, m.path, m.has_unpublished_changes) for m in ModulePage.objects.child_of(course)
    ]
    response = client.post(outline_url(course), {"action": action, "module": module}, follow=True)
    assert response.status_code == 200
    assert "Choose a module of this course." in response.content.decode()
    after = [(m.pk, m.path, m.has_unpublished_changes) for m in ModulePage.objects.child_of(course)]
    assert after == before
