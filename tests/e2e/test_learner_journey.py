"""The learner's whole journey in a real browser: sign up, verify, enroll, learn, fail and pass the
post-test, evaluate, and download and verify the certificate a Celery worker issued."""

import io
import re
import time

import pytest
from pypdf import PdfReader

from accounts.models import Profession
from certificates.models import Certificate, CertificateStatus
from enrollments.models import Enrollment, EnrollmentStatus
from tests.courses import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "amara.okafor@example.org"
PASSWORD = "Gallium-68-DOTATATE-2026"
FULL_NAME = "Amara Okafor"
ORGANIZATION = "Lakeshore University Hospital, PET Center"
COURSE_CODE = "CTN-104"
COURSE_TITLE = "Imaging Charters and Central Reads in Multicenter Trials"
LESSONS = ("Why a trial needs an imaging charter", "Blinded independent central review")
CERTIFICATE_TIMEOUT_S = 90
OBJECTIVES = (
    "Explain what an imaging charter fixes before the first participant is scanned",
    "Describe how blinded central readers and adjudicators reach a read",
)

POST_TEST = [
    ("Who approves the imaging charter before the first participant is scanned?",
     ["The site technologist", "The sponsor, with the imaging core lab", "The IRB only",
      "The scanner vendor"], 1),
    ("What does a blinded central reader not see?",
     ["The images", "The read criteria", "The treatment arm", "The time point"], 2),
    ("Which document fixes acquisition parameters for every site?",
     ["The imaging manual", "The consent form", "The case report form", "The monitoring plan"], 0),
    ("What resolves a disagreement between two central readers?",
     ["The site investigator", "An average of both reads", "The sponsor's medical monitor",
      "An adjudicator"], 3),
    ("When must a scanner be re-qualified for the trial?",
     ["After a major hardware or software change", "Every week", "Never",
      "When a participant withdraws"], 0),
]  # fmt: skip


def build_catalog():
    """CTN > CTN-104: two lessons and a five-question post-test (80% to pass, three attempts)."""
    program = factories.program("ctn", "CTN Clinical Research Education")
    course = factories.course(
        program, COURSE_CODE, title=COURSE_TITLE, pass_mark=80, evaluation_required=True,
        summary="How sponsors, core labs and sites agree on acquisition, reads and adjudication "
                "before the first scan, and keep to it until the last.",
    )  # fmt: skip
    course.objectives = [factories.block("objective", text) for text in OBJECTIVES]
    course.save_revision().publish()
    for title in LESSONS:
        text = f"<p>{title}: what the charter fixes, who signs it, and how sites follow it.</p>"
        factories.module(course, title=title, body=[factories.block("text", text)])
    questions = [
        factories.block("question", {
            "prompt": prompt,
            "options": [{"text": text, "correct": i == right} for i, text in enumerate(options)],
            "explanation": "<p>See the lesson on imaging charters.</p>",
        })
        for prompt, options, right in POST_TEST
    ]  # fmt: skip
    factories.module(course, title="Post-test", quiz_kind="post_test", questions=questions)
    return course


def answer_post_test(page, *, wrong: int):
    """Pick the right option for every question but the first ``wrong`` ones."""
    for index, (prompt, options, right) in enumerate(POST_TEST):
        choice = (right + 1) % len(options) if index < wrong else right
        page.get_by_role("group", name=prompt).get_by_label(options[choice], exact=True).check()
    page.get_by_role("button", name="Submit answers").click()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_new_learner_signs_up_completes_a_course_and_verifies_the_certificate(
    ui, mailbox, certificate_issuing
):
    from playwright.sync_api import expect

    course = build_catalog()
    page = ui.page

    # Sign up; allauth sends a verification mail and shows "verify your email".
    ui.goto("/accounts/signup/")
    page.get_by_label("Full name").fill(FULL_NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Profession").select_option(Profession.TECHNOLOGIST.value)
    page.get_by_label("Organization").fill(ORGANIZATION)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    ui.screenshot("signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # Open the mail and follow its link (its path, on the live server whatever host it names).
    message = mailbox.newest()
    assert message["To"] == EMAIL
    ui.goto(mailbox.link(message, "/accounts/confirm-email/"))
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {EMAIL}.")).to_be_visible()

    # Sign in.
    ui.goto("/accounts/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()

    # The course page, on a phone and on a desktop; enroll.
    ui.goto(course.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    ui.resize("phone")
    expect(page.get_by_role("button", name="Enroll in this course")).to_be_visible()
    ui.screenshot("course-page-phone")
    ui.resize("desktop")
    ui.screenshot("course-page")
    page.get_by_role("button", name="Enroll in this course").click()

    # The two lessons.
    expect(page.get_by_role("heading", level=1)).to_have_text(LESSONS[0])
    expect(page.get_by_text(f"You are enrolled in {COURSE_CODE}")).to_be_visible()
    ui.screenshot("module")
    page.get_by_role("button", name="Mark complete and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LESSONS[1])
    page.get_by_role("button", name="Mark complete and continue").click()

    # The post-test: 3 of 5 (60%) fails, then 5 of 5 passes.
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test")
    expect(page.get_by_text("attempt 1 of 3")).to_be_visible()
    answer_post_test(page, wrong=2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not passed: 60%")
    expect(page.get_by_text("You have 2 attempts left.")).to_be_visible()
    ui.screenshot("post-test-not-passed")
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_text("attempt 2 of 3")).to_be_visible()
    answer_post_test(page, wrong=0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passed: 100%")
    ui.screenshot("post-test-passed")

    # The evaluation completes the course.
    page.get_by_role("link", name="Complete the evaluation").click()
    expect(page.get_by_role("heading", name="Evaluate this activity")).to_be_visible()
    form = page.locator("form.form-stack")
    form.get_by_role("group", name="Overall").get_by_label("5 - Excellent").check()
    form.get_by_role("group", name="How relevant").get_by_label("4 - Very good").check()
    for question in ("learning objectives met", "commercial bias", "recommend this activity"):
        form.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_label("What will you change in your practice?").fill(
        "Read the imaging charter with the core lab before our site's first scan."
    )
    ui.screenshot("evaluation-form")
    page.get_by_role("button", name="Submit evaluation").click()

    # My learning: the course is completed.
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.get_by_text("Thank you: your evaluation was recorded.")).to_be_visible()
    completed = page.locator("article.dashboard-row--done")
    expect(completed.get_by_role("link", name=COURSE_TITLE)).to_be_visible()
    enrollment = Enrollment.objects.get(user__email=EMAIL, course=course)
    assert enrollment.status == EnrollmentStatus.COMPLETED

    # The certificate: a worker issues it (or this process, without PostgreSQL and Redis).
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    download = completed.get_by_role("link", name="Download certificate (PDF)")
    deadline = time.monotonic() + CERTIFICATE_TIMEOUT_S
    while not download.is_visible() and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    expect(download).to_be_visible()
    ui.screenshot("dashboard-with-certificate")
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status == CertificateStatus.ISSUED

    with page.expect_download() as download_info:
        download.click()
    text = pdf_text(download_info.value.path().read_bytes())
    assert FULL_NAME in text
    assert COURSE_CODE in text
    assert certificate.display_code in text

    completed.get_by_role("link", name="Verification page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Valid certificate")
    expect(page.get_by_text(certificate.display_code)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/certificates/verify/{re.escape(certificate.code)}/$"))
    ui.screenshot("verification-page")

    assert ui.server_errors == []
