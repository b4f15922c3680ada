"""SCORM in a real browser: an instructor uploads packages, a learner takes one, leaves, comes
back where they were, and completes it; a SCORM post-test's score gates the certificate."""

import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import OperationalError

from certificates.models import Certificate, CertificateStatus
from courses.models import ModulePage, ScormPackage
from courses.permissions import ensure_instructor_group
from enrollments import services as enrollment_services
from enrollments.models import Enrollment, EnrollmentStatus, ModuleProgress, QuizAttempt
from scorm.models import ScormAttempt
from tests import factories
from tests.e2e.conftest import VIEWPORTS, Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Technetium-99m-2026"
CERTIFICATE_TIMEOUT_S = 90


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


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OperationalError:  # SQLite's shared in-memory test database, while a commit writes
            pass
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def another_browser(chromium, live_server, ui, first_shot: int):
    """A second person at their own browser (own cookies); screenshots beside the first's."""
    context = chromium.new_context(viewport=VIEWPORTS["desktop"], locale="en-US")
    browser = Browser(context.new_page(), live_server.url, ui.screenshots)
    browser._shots = first_shot
    return browser


def upload(ui, tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    ui.goto("/admin/snippets/courses/scormpackage/add/")
    ui.page.locator("input[name=package]").set_input_files(str(path))
    ui.page.get_by_role("button", name="Save").click()


def test_an_instructor_uploads_and_a_learner_resumes_and_completes_a_scorm_2004_module(
    ui, chromium, live_server, django_user_model, tmp_path
):
    from playwright.sync_api import expect

    program = factories.program("ctn", "CTN Clinical Research Education")
    ensure_instructor_group(program)
    course = factories.course(program, "CTN-301", title="Reading PET in Trials", modules=1)
    instructor = user(django_user_model, "ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    admin = user(django_user_model, "admin@example.org", is_staff=True, is_superuser=True)
    learner = user(django_user_model, "learner@example.org")
    enrollment = enrollment_services.enroll(user=learner, course=course)[0]
    page = ui.page

    # The instructor uploads: a package with a PHP file is refused, naming it; nothing is kept.
    sign_in(ui, instructor.email)
    upload(ui, tmp_path, "bad.zip", factories.scorm_zip("2004", extra={"server.php": "<?php"}))
    expect(
        page.get_by_text("The package contains a file type that is not allowed (server.php).")
    ).to_be_visible()
    ui.screenshot("upload-refused")
    assert ScormPackage.objects.count() == 0
    upload(ui, tmp_path, "trial.zip", factories.scorm_zip("2004"))
    expect(page.get_by_text("Imaging trials (SCORM 2004)").first).to_be_visible()
    ui.screenshot("packages-listed")
    package = ScormPackage.objects.get()
    assert (package.version, package.uploaded_by) == ("2004", instructor)

    # An administrator adds a module that plays it (chosen in the editor) and publishes it.
    admin_ui = another_browser(chromium, live_server, ui, 10)
    sign_in(admin_ui, admin.email)
    admin_ui.goto(f"/admin/pages/add/courses/modulepage/{course.pk}/")
    editor = admin_ui.page
    editor.locator("#id_title").fill("Interactive reading session")
    editor.locator("input[name=estimated_minutes]").fill("20")
    editor.get_by_role("button", name="Choose SCORM package").click()
    editor.get_by_role("link", name="Imaging trials (SCORM 2004)").click()
    expect(editor.locator("#id_scorm_package-title")).to_have_text(
        "Imaging trials (SCORM 2004) (SCORM 2004)"
    )
    admin_ui.screenshot("module-editor-with-package")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator("li.success").first).to_contain_text("published")
    module = ModulePage.objects.get(title="Interactive reading session")
    assert (module.live, module.scorm_package_id) == (True, package.pk)

    # The learner takes it: the SCO starts from scratch, moves on a page and commits.
    ui = another_browser(chromium, live_server, ui, 20)
    page = ui.page
    sign_in(ui, learner.email)
    ui.goto(module.url)
    sco = page.frame_locator("#scorm-frame")
    expect(sco.locator("#version")).to_have_text("2004")
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    expect(sco.locator("#location")).to_have_text("start")
    expect(page.get_by_role("button", name="Mark complete and continue")).to_have_count(0)
    sco.get_by_role("button", name="Next page").click()
    expect(sco.locator("#state")).to_have_text("saved")
    ui.screenshot("sco-page-2")
    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.suspend_data) == ("page-2", "step=2;answers=ab")

    # Interrupted: the learner goes elsewhere; the SCO suspends on the way out.
    ui.goto(course.url)
    wait_for(lambda: ScormAttempt.objects.get().exit == "suspend")

    # Back again: the run-time starts with the stored data, and the SCO resumes.
    ui.goto(module.url)
    expect(sco.locator("#entry")).to_have_text("resume")
    expect(sco.locator("#location")).to_have_text("page-2")
    expect(sco.locator("#suspend")).to_have_text("step=2;answers=ab")
    ui.screenshot("sco-resumed")

    # It finishes: the module completes and counts toward the course.
    sco.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("You completed this module")).to_be_visible()
    ui.screenshot("sco-finished")
    assert ModuleProgress.objects.filter(enrollment=enrollment, module=module).exists()
    attempt = ScormAttempt.objects.get()
    assert (attempt.completion_status, attempt.success_status, attempt.score_scaled) == (
        "completed",
        "passed",
        attempt.score_scaled,
    )
    assert str(attempt.score_scaled.normalize()) == "0.9"
    assert attempt.interactions == [{"id": "q1", "type": "choice", "result": "correct"}]
    assert Enrollment.objects.get(pk=enrollment.pk).modules_completed == 1
    ui.goto(course.url)
    ui.screenshot("course-outline")
    assert ui.server_errors == []
    assert admin_ui.server_errors == []


def test_a_scorm_12_post_test_score_gates_the_certificate(
    ui, django_user_model, certificate_issuing
):
    from playwright.sync_api import expect

    program = factories.program("ctn", "CTN Clinical Research Education")
    course = factories.course(
        program, "CTN-302", title="Quantitative PET", modules=1, pass_mark=80,
        evaluation_required=False,
    )  # fmt: skip
    package = factories.scorm_package("1.2", title="Quantitative PET post-test")
    post_test = factories.module(
        course, title="Post-test", quiz_kind="post_test", scorm_package=package,
        scorm_completion="score",
    )  # fmt: skip
    learner = user(django_user_model, "learner@example.org")
    enrollment = enrollment_services.enroll(user=learner, course=course)[0]
    lesson = course.get_children().specific().exclude(pk=post_test.pk).get()
    enrollment_services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    page = ui.page

    # A failing score: recorded as a post-test attempt, no completion, no certificate.
    sign_in(ui, learner.email)
    ui.goto(post_test.url)
    sco = page.frame_locator("#scorm-frame")
    expect(sco.locator("#version")).to_have_text("1.2")
    expect(page.get_by_text("Pass mark 80%.")).to_be_visible()
    sco.get_by_label("Score").fill("50")
    sco.get_by_role("button", name="Finish").click()
    expect(sco.locator("#state")).to_have_text("finished")
    expect(
        page.get_by_text("Not passed: 50%. Open this module again for a new attempt.")
    ).to_be_visible()
    ui.screenshot("post-test-failed")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.post_test_best_score) == (EnrollmentStatus.ACTIVE, 50)
    assert not Certificate.objects.exists()

    # Closing the tab and coming back starts a new attempt (the last one ended, not suspended).
    page.close()
    page = ui.page = page.context.new_page()
    ui.goto(post_test.url)
    sco = page.frame_locator("#scorm-frame")
    expect(sco.locator("#entry")).to_have_text("ab-initio")
    sco.get_by_label("Score").fill("90")
    sco.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("You completed this module")).to_be_visible()
    expect(page.get_by_text("Passed: 90%")).to_be_visible()
    ui.screenshot("post-test-passed")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.post_test_best_score, enrollment.post_test_attempts) == (
        EnrollmentStatus.COMPLETED,
        90,
        2,
    )
    assert list(QuizAttempt.objects.order_by("number").values_list("score", "passed")) == [
        (50, False),
        (90, True),
    ]

    # The certificate: the real worker issues it (or this process without PostgreSQL + Redis).
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    deadline = time.monotonic() + CERTIFICATE_TIMEOUT_S
    while (
        time.monotonic() < deadline
        and not Certificate.objects.filter(
            enrollment=enrollment, status=CertificateStatus.ISSUED
        ).exists()
    ):
        time.sleep(1)
    assert Certificate.objects.get(enrollment=enrollment).status == CertificateStatus.ISSUED
    ui.goto("/learning/")
    expect(page.get_by_role("link", name="Download certificate (PDF)")).to_be_visible()
    ui.screenshot("dashboard-with-certificate")
    assert ui.server_errors == []
