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
from courses.translations import translate_course
from enrollments.models import Enrollment
from organizations.models import Membership
from tests import factories
from tests.e2e.test_learner_journey import COURSE_CODE, POST_TEST, build_catalog
from tests.e2e.test_spanish_journey import (
    LESSONS_ES,
    OPTIONS_ES,
    PROMPTS_ES,
    TITLE_ES,
    spanish_strings,
)

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
    translate_course(course, language="es", strings=spanish_strings())
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

    # The technologist switches to Spanish and completes CTN-101 there (lessons, post-test,
    # evaluation): the Spanish course is the same course, so the record is the English one's.
    ui.goto(course.url)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(ui.url(f"/es{course.url}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_ES)
    page.get_by_role("button", name="Inscribirse en este curso").first.click()
    for _lesson in LESSONS_ES:
        page.get_by_role("button", name="Marcar como completado y continuar").click()
    for prompt, (_p, options, right) in zip(PROMPTS_ES, POST_TEST, strict=True):
        page.get_by_role("group", name=prompt).get_by_label(
            OPTIONS_ES[options[right]], exact=True
        ).check()
    page.get_by_role("button", name="Enviar las respuestas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aprobado: 100 %")
    ui.screenshot("passed-in-spanish")
    page.get_by_role("link", name="Complete la evaluación").click()
    form = page.locator("form.form-stack")
    for name, value in (("overall", "5"), ("relevance", "4"), ("objectives_met", "True"),
                        ("free_of_bias", "True"), ("would_recommend", "True")):  # fmt: skip
        form.locator(f"input[name={name}][value='{value}']").check()
    page.get_by_role("button", name="Enviar la evaluación").click()
    expect(page.get_by_role("heading", name="Mi aprendizaje")).to_be_visible()
    # Back to English for the coordinator's part (the language is stored on the account).
    page.get_by_label("Idioma").select_option("en-us")
    page.get_by_role("button", name="Cambiar el idioma").click()
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
