"""Keyboard only, from sign-in to the certificate download: Tab, Shift+Tab, arrows, Space and
Enter; never a click. The dashboard shows the certificate without a reload when it is ready."""

import pytest
from allauth.account.models import EmailAddress

from certificates.models import Certificate
from enrollments.models import Enrollment
from tests.accounts.factories import UserFactory
from tests.e2e.test_learner_journey import LESSONS, POST_TEST, build_catalog, pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "keyboard.learner@example.org"
PASSWORD = "correct-horse-battery"
MAX_TABS = 80


def tab_to(page, locator, *, backwards: bool = False):
    """Press Tab (or Shift+Tab) until the element has focus; fail if it never gets it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{locator} never took focus with {key}")


def focus_is_visible(page) -> bool:
    """The focused element draws an outline (WCAG 2.4.7)."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }"
    )


def choose(page, group, index: int):
    """Pick an option of a radio group: Tab onto the group, arrows to the option."""
    first = group.get_by_role("radio").first
    tab_to(page, first)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def test_a_learner_goes_from_sign_in_to_the_certificate_with_the_keyboard_alone(
    ui, certificate_issuing
):
    from playwright.sync_api import expect

    course = build_catalog()
    learner = UserFactory(email=EMAIL, full_name="Kofi Mensah")
    EmailAddress.objects.create(user=learner, email=EMAIL, verified=True, primary=True)
    page = ui.page

    # Sign in: the skip link comes first, then the form.
    ui.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    tab_to(page, page.locator("input[name=login]"))
    assert focus_is_visible(page)
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="My learning")).to_be_visible()

    # The course: enroll with the keyboard.
    ui.goto(course.url)
    enroll = page.locator(".desktop-only").get_by_role("button", name="Enroll in this course")
    tab_to(page, enroll)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    # Two lessons: "Mark complete and continue" records each and moves on.
    for title in LESSONS:
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        tab_to(page, page.get_by_role("button", name="Mark complete and continue"))
        page.keyboard.press("Enter")

    # The post-test: submitted with one question left out, it comes back with the answers kept.
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test")
    for prompt, _options, right in POST_TEST[:-1]:
        choose(page, page.get_by_role("group", name=prompt), right)
    tab_to(page, page.get_by_role("button", name="Submit answers"))
    page.keyboard.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Answer 1 more question")
    for prompt, options, right in POST_TEST[:-1]:
        group = page.get_by_role("group", name=prompt)
        expect(group.get_by_label(options[right], exact=True)).to_be_checked()
    # The summary's link takes the learner to the question left out.
    last_prompt, last_options, last_right = POST_TEST[-1]
    tab_to(page, summary.get_by_role("link"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name=last_prompt).get_by_role("radio").first).to_be_focused()
    for _ in range(last_right):
        page.keyboard.press("ArrowDown")
    if last_right == 0:
        page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Submit answers"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passed: 100%")

    # The evaluation.
    tab_to(page, page.get_by_role("link", name="Complete the evaluation"))
    page.keyboard.press("Enter")
    form = page.locator("form.form-stack")
    for name in ("Overall", "How relevant", "objectives met", "commercial bias", "recommend"):
        choose(page, form.get_by_role("group", name=name), 0)
    tab_to(page, page.get_by_label("What will you change in your practice?"))
    page.keyboard.type("Agree the charter with the core lab before the first scan.")
    tab_to(page, page.get_by_role("button", name="Submit evaluation"))
    page.keyboard.press("Enter")

    # My learning waits for the certificate and shows it without a reload.
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    line = page.locator("article.dashboard-row--done .certificate-line")
    expect(line).to_contain_text("updates by itself")
    enrollment = Enrollment.objects.get(user=learner, course=course)
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    download = line.get_by_role("link", name="Download certificate (PDF)")
    expect(download).to_be_visible(timeout=60_000)
    ui.screenshot("dashboard-certificate-ready")

    tab_to(page, download)
    assert focus_is_visible(page)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.display_code in pdf_text(download_info.value.path().read_bytes())
    assert ui.server_errors == []
