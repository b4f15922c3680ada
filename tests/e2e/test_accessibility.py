"""Every learner page and the admin reports, checked by axe-core in Chromium: zero violations of
WCAG 2.2 A and AA. One live server and one browser; the pages are visited in a few tests."""

import json

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from certificates.models import Certificate
from enrollments import services
from enrollments.models import Enrollment
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.e2e.test_learner_journey import POST_TEST, build_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules the audit also asked for: no skipped heading levels, no empty header cell.
EXTRA_RULES = {"heading-order": {"enabled": True}, "empty-table-header": {"enabled": True}}
PASSWORD = "correct-horse-battery"
EVALUATION = {
    "overall": 5, "relevance": 4, "objectives_met": True, "free_of_bias": True,
    "would_recommend": True, "practice_change": "Read the charter first.", "comments": "",
}  # fmt: skip

_axe = Axe()


def violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now, one line per element."""
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": EXTRA_RULES}
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {violation['help']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


class Audit:
    """Visits pages in one browser and collects every violation by page name.

    What it found is also written to var/test/e2e-screenshots/<test>/axe.json for reading.
    """

    def __init__(self, ui):
        self.ui = ui
        self.found: dict[str, list[str]] = {}

    def write(self) -> dict[str, list[str]]:
        self.ui.screenshots.mkdir(parents=True, exist_ok=True)
        (self.ui.screenshots / "axe.json").write_text(json.dumps(self.found, indent=1))
        return self.found

    def check(self, name: str, path: str | None = None, *, status: int = 200):
        if path is not None:
            response = self.ui.goto(path)
            if response.status != status:
                self.found.setdefault(name, []).append(f"status {response.status}, not {status}")
        self.ui.page.wait_for_load_state("load")
        found = violations(self.ui.page)
        if found:
            self.found.setdefault(name, []).extend(found)


def sign_in(ui, email: str):
    page = ui.page
    ui.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state("load")


def learner_world():
    """A learner who finished CTN-104 (certificate issued) and is enrolled in a second course."""
    course = build_catalog()
    second = factories.course(course.get_parent().specific, "CTN-105", title="SUV Harmonization")
    lesson = factories.module(second, title="Why SUVs differ between scanners")
    factories.module(
        second, title="Knowledge check", quiz_kind="knowledge_check",
        questions=[factories.question("Which affects SUV?"), factories.question("And this?")],
    )  # fmt: skip
    learner = UserFactory(email="learner@example.org", full_name="Amara Okafor")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    enrollment, _ = services.enroll(user=learner, course=course)
    for module in course.get_modules():
        if module.quiz_kind:
            answers = {
                block.id: [str(right)]
                for block, (_p, _o, right) in zip(module.specific.questions, POST_TEST, strict=True)
            }
            services.submit_quiz(
                enrollment=enrollment, module_id=module.pk, answers=answers, attempt_number=1
            )
            post_test = module
        else:
            services.complete_module(enrollment=enrollment, module_id=module.pk)
    services.enroll(user=learner, course=second)
    return {
        "course": course, "second": second, "lesson": lesson, "learner": learner,
        "enrollment": enrollment, "post_test": post_test,
    }  # fmt: skip


def test_violations_are_found_and_reported(ui):
    """The check can fail: an unlabelled field and a faint line are violations."""
    ui.page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Form</h1>'
        '<input type="text"><p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    found = violations(ui.page)
    assert sorted({line.split(" ")[0] for line in found}) == ["color-contrast", "label"]


def test_learner_pages_have_no_wcag_violations(ui, certificate_issuing, settings):
    settings.ROOT_URLCONF = "tests.e2e.urls_with_errors"
    world = learner_world()
    course, second, enrollment = world["course"], world["second"], world["enrollment"]
    audit = Audit(ui)
    page = ui.page

    # Anyone.
    audit.check("home", "/")
    audit.check("catalog", reverse("courses:catalog"))
    audit.check("catalog with results", reverse("courses:catalog") + "?q=charter")
    audit.check("catalog without results", reverse("courses:catalog") + "?q=zzzzqqq")
    audit.check("program", course.get_parent().url)
    audit.check("course (anonymous)", course.url)
    audit.check("module (anonymous)", world["lesson"].url)
    audit.check("404", "/no-such-page/", status=404)
    audit.check("500", "/boom/", status=500)
    audit.check("sign-in", reverse("account_login"))
    ui.goto(reverse("account_signup"))
    page.locator("input[name=email]").fill("not-an-email")
    page.get_by_role("button", name="Sign Up").click()
    audit.check("sign-up with errors")
    audit.check("verify (type a code)", "/verify/")

    # The learner.
    sign_in(ui, "learner@example.org")
    audit.check("course (enrolled)", second.url)
    audit.check("module (enrolled)", world["lesson"].url)
    quiz = second.get_modules().last()
    audit.check("quiz before an attempt", quiz.url)
    page.get_by_role("button", name="Submit answers").click()
    audit.check("quiz left incomplete")
    attempt = reverse("enrollments:attempt", args=[enrollment.pk, world["post_test"].pk, 1])
    audit.check("quiz after an attempt", attempt)
    ui.goto(reverse("enrollments:evaluation", args=[enrollment.pk]))
    page.get_by_role("button", name="Submit evaluation").click()
    audit.check("evaluation with errors")
    services.submit_evaluation(enrollment=enrollment, data=EVALUATION)
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=enrollment.pk)
    certificate = Certificate.objects.get(enrollment=enrollment)
    audit.check("my learning", reverse("enrollments:dashboard"))
    audit.check("course (completed)", course.url)
    audit.check("transcript", reverse("certificates:transcript"))
    audit.check("profile", reverse("profile"))
    page.locator("input[name=full_name]").fill("")
    page.get_by_role("button", name="Save").click()
    audit.check("profile with errors")
    audit.check("verification", reverse("certificates:verify", args=[certificate.code]))
    audit.check("verification miss", "/verify/?code=zzzzz-zzzzz-zzzzz-zzzzz-zzzzz", status=404)
    audit.check("403", "/admin/", status=403)

    assert audit.write() == {}
    assert Enrollment.objects.get(pk=enrollment.pk).is_completed


def test_admin_report_pages_have_no_wcag_violations(ui, certificate_issuing):
    world = learner_world()
    services.submit_evaluation(enrollment=world["enrollment"], data=EVALUATION)
    certificate_issuing.issue_in_process_if_no_worker(enrollment_id=world["enrollment"].pk)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    sign_in(ui, "admin@example.org")
    audit = Audit(ui)
    for name in (
        "reports_course_completion", "reports_learner_progress", "reports_learner_transcript",
        "reports_organization_roster", "reports_exports", "reports_evaluations",
        "reports_evaluation_comments", "reports_question_statistics", "announcements_log",
        "announcements_compose",
    ):  # fmt: skip
        audit.check(name, reverse(name))
    one_quiz = f"?quiz={world['post_test'].pk}"
    audit.check("one quiz's statistics", reverse("reports_question_statistics") + one_quiz)
    one_learner = f"?learner={world['learner'].pk}"
    audit.check("one learner's transcript", reverse("reports_learner_transcript") + one_learner)
    assert audit.write() == {}


def test_coordinator_and_organization_pages_have_no_wcag_violations(ui):
    from coordinators.models import StudyRoster
    from organizations import services as organizations
    from tests import factories as all_factories

    world = learner_world()
    riverside = all_factories.organization("Riverside Imaging Research Center",
                                           site_identifier="CTN-0042", city="Portland")  # fmt: skip
    organizations.affiliate(user=world["learner"], organization=riverside)
    boss = all_factories.coordinator(riverside, email="boss@example.org", full_name="Robin Boss")
    roster = StudyRoster.objects.create(organization=riverside, name="ACRIN-6688",
                                        on_date="2026-06-15")  # fmt: skip
    roster.courses.set([world["course"]])
    sent = organizations.invite(organization=riverside, email="new@example.org", invited_by=boss)
    audit = Audit(ui)
    page = ui.page

    audit.check("invitation (signed out)", reverse("organizations:invitation", args=[sent.token]))
    audit.check("sign-up (invited)", reverse("account_signup"))
    audit.check("invitation (bad link)", reverse("organizations:invitation", args=["x"]),
                status=400)  # fmt: skip
    ui.page.context.clear_cookies()
    ui.goto(reverse("account_signup"))
    page.get_by_role("combobox", name="Organization").press_sequentially("river", delay=50)
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    audit.check("sign-up with the organization list open")

    sign_in(ui, "boss@example.org")
    site = f"/site/{riverside.pk}"
    audit.check("coordinator: people", f"{site}/")
    audit.check("coordinator: person", f"{site}/people/{world['learner'].pk}/")
    audit.check("coordinator: study rosters", f"{site}/studies/")
    audit.check("coordinator: trained on a date",
                f"{site}/studies/?on_date=2026-06-15&courses={world['course'].pk}")  # fmt: skip
    audit.check("coordinator: bad question", f"{site}/studies/?on_date=x", status=400)
    audit.check("coordinator: study roster", f"{site}/studies/{roster.pk}/")
    audit.check("coordinator: invitations", f"{site}/invitations/")
    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_role("button", name="Send invitation").click()
    audit.check("coordinator: invitation with errors")
    assert audit.write() == {}
