"""An instructor carries CTN-101 into a new edition, and one review publishes it, in a browser."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from courses.models import CoursePage, ModulePage
from courses.permissions import ensure_instructor_group, ensure_review_workflow
from enrollments.models import Enrollment, QuizAttempt
from tests.courses import factories
from tests.e2e.conftest import VIEWPORTS, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Fluorine-18-FDG-2027"
QUESTIONS = [
    ("Who signs Form FDA 1572?", ["The sponsor", "The investigator", "The IRB"], 1),
    ("How long is a GCP certificate valid?", ["One year", "Three years", "Ten years"], 1),
]


def user(django_user_model, email, **extra):
    account = django_user_model.objects.create_user(email, PASSWORD, full_name=email, **extra)
    EmailAddress.objects.create(user=account, email=email, verified=True, primary=True)
    return account


def sign_in(ui, email):
    ui.goto("/accounts/login/")
    ui.page.get_by_label("Email").fill(email)
    ui.page.get_by_label("Password").fill(PASSWORD)
    ui.page.get_by_role("button", name="Sign In").click()
    ui.page.wait_for_url(lambda url: "/accounts/login/" not in url)


def build(django_user_model):
    program = factories.program("ctn", "CTN Clinical Research Education")
    ensure_instructor_group(program)
    ensure_review_workflow(factories.home_page())
    # VOICE credit: an AMA PRA course cannot be published without its disclosures (tested apart).
    course = factories.course(program, "CTN-101", modules=2, title="GCP for Imaging Trials",
                              course_version="2026", pass_mark=50,
                              credits=(("VOICE_CEH", "1"),))  # fmt: skip
    questions = [
        factories.block("question", {
            "prompt": prompt,
            "options": [{"text": text, "correct": i == right} for i, text in enumerate(options)],
            "explanation": "<p>See ICH E6(R3).</p>",
        })
        for prompt, options, right in QUESTIONS
    ]  # fmt: skip
    factories.module(course, title="Post-test", quiz_kind="post_test", questions=questions)
    instructor = user(django_user_model, "ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    admin = user(django_user_model, "admin@example.org", is_staff=True, is_superuser=True)
    learner = user(django_user_model, "enrolled.learner@example.org")
    Enrollment.objects.create(user=learner, course=course)
    return course, instructor, admin, learner


def open_footer_action(page, name):
    """Wagtail's editor footer: the action is the main button or sits in its 'More actions' menu."""
    button = page.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    button.click()


def test_instructor_makes_an_edition_reorders_adds_previews_and_one_review_publishes_it(
    ui, chromium, live_server, django_user_model
):
    course, instructor, admin, learner = build(django_user_model)
    page = ui.page
    sign_in(ui, instructor.email)

    # Wagtail's own "Copy" of a course asks for the new code and version.
    ui.goto(f"/admin/pages/{course.pk}/copy/")
    page.get_by_label("New course code").fill("CTN-101-2027")
    page.get_by_label("New version").fill("2027")
    ui.screenshot("new-edition-form")
    page.get_by_role("button", name="Create the new edition").click()
    page.get_by_text("CTN-101-2027 is a new draft edition of CTN-101").wait_for()
    edition = CoursePage.objects.get(code="CTN-101-2027")
    ui.screenshot("new-edition-created")

    # The outline: move Module 2 up, add a module before the post-test.
    ui.goto(f"/admin/courses/{edition.pk}/outline/")
    page.get_by_role("button", name="Move Module 2 up").click()
    page.get_by_text("Module moved.").wait_for()
    page.get_by_label("Title").fill("Imaging charters")
    page.get_by_label("Estimated time (minutes)").fill("20")
    page.get_by_label("Position").fill("3")
    page.get_by_role("button", name="Add the draft module").click()
    page.get_by_text("Draft module added at position 3").wait_for()
    ui.goto(f"/admin/courses/{edition.pk}/outline/")
    titles = page.locator("tr.outline-row td:nth-child(2)").all_inner_texts()
    assert titles == ["Module 2", "Module 1", "Imaging charters", "Post-test"]
    ui.screenshot("outline")

    # Preview the post-test as a learner and take it: graded, reviewed, recorded nowhere.
    post_test = ModulePage.objects.child_of(edition).get(title="Post-test")
    ui.goto(f"/admin/pages/{post_test.pk}/view_draft/")
    page.get_by_text("This is what an enrolled learner sees").wait_for()
    # Each entry's link is the module's title (its tick and draft badge sit beside it).
    aside = page.locator("aside .module-list li a").all_inner_texts()
    assert [text.strip() for text in aside] == [
        "Module 2", "Module 1", "Imaging charters", "Post-test",
    ]  # fmt: skip
    for prompt, options, right in QUESTIONS:
        page.get_by_role("group", name=prompt).get_by_label(options[right], exact=True).check()
    ui.screenshot("preview-quiz")
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name="Passed: 100%").wait_for()
    ui.screenshot("preview-attempt")
    assert QuizAttempt.objects.count() == 0

    # Submit the course once.
    ui.goto(f"/admin/pages/{edition.pk}/edit/")
    open_footer_action(page, "Submit to Course review")
    page.get_by_text("has been submitted for moderation").first.wait_for()
    ui.screenshot("submitted")
    edition.refresh_from_db()
    assert edition.workflow_in_progress
    assert not any(m.workflow_in_progress for m in ModulePage.objects.child_of(edition))

    # The administrator sees each page's changes and approves once.
    reviewer = Browser(chromium.new_context(viewport=VIEWPORTS["desktop"]).new_page(),
                       live_server.url, ui.screenshots)  # fmt: skip
    sign_in(reviewer, admin.email)
    reviewer.goto(f"/admin/courses/{edition.pk}/changes/")
    reviewer.page.get_by_role("heading", name="Module order").wait_for()
    sections = reviewer.page.locator("section.changes-page h2").all_inner_texts()
    assert len(sections) == 5  # the course and its four modules
    reviewer.page.get_by_text("Who signs Form FDA 1572?").first.wait_for()
    reviewer.screenshot("changes-in-review")
    reviewer.goto(f"/admin/pages/{edition.pk}/edit/")
    open_footer_action(reviewer.page, "Approve and Publish")
    reviewer.page.get_by_text("has been updated").first.wait_for()
    reviewer.screenshot("approved")

    edition.refresh_from_db()
    assert edition.live
    assert [m.title for m in edition.get_modules()] == [
        "Module 2", "Module 1", "Imaging charters", "Post-test",
    ]  # fmt: skip
    catalog = reviewer.goto("/catalog/")
    assert catalog.status == 200
    body = reviewer.page.content()
    assert "/ctn-101-2027/" in body and '/ctn-101/"' not in body
    reviewer.screenshot("catalog")

    # The old edition still serves its enrolled learner.
    learner_view = Browser(chromium.new_context(viewport=VIEWPORTS["desktop"]).new_page(),
                           live_server.url, ui.screenshots)  # fmt: skip
    sign_in(learner_view, learner.email)
    old_module = ModulePage.objects.child_of(course).get(title="Module 1")
    learner_view.goto(old_module.url)
    learner_view.page.get_by_text("Lesson text about GCP").wait_for()
    learner_view.screenshot("old-edition-learner")
    assert ui.server_errors == reviewer.server_errors == learner_view.server_errors == []
