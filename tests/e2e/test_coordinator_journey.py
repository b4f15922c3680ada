"""A site coordinator invites a technologist, who signs up already affiliated, completes a
course, and shows as trained on the study roster for a date after completion and as not trained
for a date before it; another organization's coordinator sees none of it."""

import datetime
import time

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Profession
from certificates.models import Certificate, CertificateStatus
from enrollments.models import Enrollment
from organizations.models import Membership
from tests import factories
from tests.e2e.test_learner_journey import COURSE_CODE, LESSONS, answer_post_test, build_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Technetium-99m-2026"
TECH = "tomas.reyes@riverside.example"
CERTIFICATE_TIMEOUT_S = 90


def sign_in(ui, email, password=factories.PASSWORD):
    page = ui.page
    ui.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state("load")


def sign_out(ui):
    ui.page.get_by_role("button", name="Sign out").click()
    ui.page.wait_for_load_state("load")


def study_result(page, on_date: datetime.date) -> str:
    page.get_by_label("Trained on", exact=True).fill(on_date.isoformat())
    page.get_by_role("button", name="Check").click()
    row = page.get_by_role("row").filter(has_text=TECH)
    return " ".join(row.inner_text().split())


def test_an_invited_technologist_signs_up_affiliated_and_shows_on_the_study_roster(
    ui, mailbox, certificate_issuing
):
    from playwright.sync_api import expect

    course = build_catalog()
    riverside = factories.organization(
        "Riverside Imaging Research Center", site_identifier="CTN-0042"
    )
    lakeside = factories.organization("Lakeside University Hospital")
    factories.coordinator(riverside, email="boss@riverside.example", full_name="Robin Boss")
    factories.coordinator(lakeside, email="boss@lakeside.example", full_name="Lee Boss")
    page = ui.page

    # The coordinator invites the technologist.
    sign_in(ui, "boss@riverside.example")
    ui.goto("/site/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Imaging Research Center")
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Email address").fill(TECH)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {TECH}.")).to_be_visible()
    ui.screenshot("invitations")
    sign_out(ui)

    # The technologist follows the mail's link and signs up: the organization is preset, locked.
    message = mailbox.newest()
    assert message["To"] == TECH
    ui.goto(mailbox.link(message, "/organizations/invitations/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Join Riverside Imaging Research Center"
    )
    page.get_by_role("link", name="Create an account").click()
    organization = page.get_by_label("Organization")
    expect(organization).to_have_value("Riverside Imaging Research Center")
    expect(organization).to_be_disabled()
    expect(page.get_by_label("Email")).to_have_value(TECH)
    page.get_by_label("Full name").fill("Tomás Reyes")
    page.get_by_label("Profession").select_option(Profession.TECHNOLOGIST.value)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    ui.screenshot("signup-invited")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    membership = Membership.objects.get(user__email=TECH)
    assert membership.organization == riverside
    ui.goto(mailbox.link(mailbox.newest(), "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    sign_in(ui, TECH, PASSWORD)

    # The technologist completes the course (lessons, post-test, evaluation).
    ui.goto(course.url)
    page.get_by_role("button", name="Enroll in this course").click()
    for _lesson in LESSONS:
        page.get_by_role("button", name="Mark complete and continue").click()
    answer_post_test(page, wrong=0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passed: 100%")
    page.get_by_role("link", name="Complete the evaluation").click()
    form = page.locator("form.form-stack")
    form.get_by_role("group", name="Overall").get_by_label("5 - Excellent").check()
    form.get_by_role("group", name="How relevant").get_by_label("4 - Very good").check()
    for question in ("learning objectives met", "commercial bias", "recommend this activity"):
        form.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("button", name="Submit evaluation").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    enrollment = Enrollment.objects.get(user__email=TECH, course=course)
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    deadline = time.monotonic() + CERTIFICATE_TIMEOUT_S
    while (
        time.monotonic() < deadline
        and not Certificate.objects.filter(
            enrollment=enrollment, status=CertificateStatus.ISSUED
        ).exists()
    ):
        time.sleep(1)
    completed_on = Certificate.objects.get(enrollment=enrollment).completed_on
    sign_out(ui)

    # The coordinator: trained on the completion date and after it, not trained the day before.
    sign_in(ui, "boss@riverside.example")
    ui.goto(f"/site/{riverside.pk}/")
    expect(page.get_by_role("row").filter(has_text=TECH)).to_contain_text("valid")
    ui.screenshot("roster")
    page.get_by_role("link", name="Study rosters").click()
    page.get_by_label(f"{COURSE_CODE} ").check()
    before = study_result(page, completed_on - datetime.timedelta(days=1))
    assert "not trained" in before
    assert f"completed on {completed_on.isoformat()}, after the date" in before
    ui.screenshot("study-before-completion")
    after = study_result(page, completed_on + datetime.timedelta(days=30))
    assert "not trained" not in after and "trained" in after
    page.get_by_label("Study", exact=True).fill("FDG-PET response 2026")
    page.get_by_role("button", name="Save study roster").click()
    expect(page.get_by_role("heading", name="FDG-PET response 2026")).to_be_visible()
    expect(page.get_by_text("1 of 2 people")).to_be_visible()
    ui.screenshot("study-roster")
    roster_url = page.url
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download (PDF)").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    sign_out(ui)

    # Another organization's coordinator: nothing of Riverside, by link or on their own pages.
    sign_in(ui, "boss@lakeside.example")
    assert page.goto(roster_url).status == 404
    assert ui.goto(f"/site/{riverside.pk}/").status == 404
    ui.goto("/site/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lakeside University Hospital")
    assert TECH not in page.content()
    ui.screenshot("other-coordinator")
    assert timezone.localdate() >= completed_on
    assert ui.server_errors == []


def test_the_organization_combobox_searches_as_you_type(ui):
    from playwright.sync_api import expect

    factories.organization("Riverside Imaging Research Center", city="Portland")
    factories.organization("Lakeside University Hospital", city="Riverton")
    page = ui.page
    ui.goto("/accounts/signup/")
    field = page.get_by_role("combobox", name="Organization")
    field.press_sequentially("rive", delay=50)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)
    ui.screenshot("combobox-open")
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("Riverside Imaging Research Center")
    expect(page.get_by_role("listbox")).to_be_hidden()
    assert not EmailAddress.objects.exists()
