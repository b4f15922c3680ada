"""The demo curriculum: both programs, all 8 courses, real lessons, full post-tests; idempotent."""

import re
from html import unescape

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from wagtail.models import GroupPagePermission, Page, Site, Workflow

from courses.demo import load_demo_curriculum
from courses.models import CoursePage, CreditType, ModulePage, ProgramPage
from home.models import SiteSettings

DEMO_SITE_URL = "https://learn.example.org"
EXPECTED_COURSES = {
    "CTN-101", "CTN-201", "CTN-202", "CTN-301", "CTN-302", "CMIIT-101", "CMIIT-102", "CMIIT-103",
}  # fmt: skip


def words(module: ModulePage) -> int:
    text = []
    for block in module.body:
        if block.block_type == "text":
            text.append(block.value.source)
        elif block.block_type == "callout":
            text.append(block.value["text"].source)
        elif block.block_type == "takeaways":
            text.extend(block.value["items"])
    plain = unescape(re.sub(r"<[^>]+>", " ", " ".join(text)))
    return len(plain.split())


class DemoCurriculumTests(TestCase):
    """The curriculum is loaded once for the class (setUpTestData), rolled back afterwards."""

    @classmethod
    def setUpTestData(cls):
        with override_settings(SITE_URL=DEMO_SITE_URL, WAGTAIL_SITE_NAME="SNMMI Learning"):
            load_demo_curriculum(log=lambda *_: None)

    def test_demo_curriculum_builds_both_programs_and_all_courses(self):
        assert set(ProgramPage.objects.live().values_list("code", flat=True)) == {"ctn", "cmiit"}
        assert set(CoursePage.objects.live().values_list("code", flat=True)) == EXPECTED_COURSES
        assert set(CreditType.objects.values_list("code", flat=True)) == {
            "AMA_PRA_1", "VOICE_CEH", "CAMPEP_MPCEC",
        }  # fmt: skip
        for course in CoursePage.objects.all():
            assert course.credits.count() >= 1
            assert course.get_children().live().count() >= 4

    def test_every_content_module_teaches_at_least_150_words(self):
        short = [
            (module.title, words(module))
            for module in ModulePage.objects.exclude(quiz_kind="post_test")
            if words(module) < 150
        ]
        assert short == []

    def test_every_course_has_one_post_test_with_at_least_5_questions(self):
        for course in CoursePage.objects.all():
            post_tests = ModulePage.objects.child_of(course).filter(quiz_kind="post_test")
            assert post_tests.count() == 1
            questions = list(post_tests.get().questions)
            assert len(questions) >= 5
            for question in questions:
                options = question.value["options"]
                assert 2 <= len(options) <= 6
                assert any(option["correct"] for option in options)

    def test_campep_course_has_ten_questions_per_credit_hour(self):
        course = CoursePage.objects.get(code="CTN-301")
        campep = course.credits.get(credit_type__code="CAMPEP_MPCEC")
        post_test = ModulePage.objects.child_of(course).get(quiz_kind="post_test")
        assert len(post_test.questions) >= 10 * campep.hours
        assert course.pass_mark == 80

    def test_gcp_course_states_revision_and_expiry(self):
        course = CoursePage.objects.get(code="CTN-101")
        assert course.is_gcp is True
        assert course.ich_e6_revision == "E6(R3)"
        assert course.certificate_validity_months == 36

    def test_instructor_groups_have_permissions_on_their_program_only(self):
        for code in ("CTN", "CMIIT"):
            group = Group.objects.get(name=f"{code} instructors")
            pages = set(
                GroupPagePermission.objects.filter(group=group).values_list("page__slug", flat=True)
            )
            assert pages == {code.lower()}
        assert Workflow.objects.get(name="Course review").active is True

    def test_the_default_site_has_the_configured_address_and_name(self):
        site = Site.objects.get(is_default_site=True)
        assert (site.root_url, site.site_name) == (DEMO_SITE_URL, "SNMMI Learning")

    def test_loading_twice_changes_nothing(self):
        pages, revisions = (
            Page.objects.count(),
            sum(p.revisions.count() for p in Page.objects.all()),
        )
        assert load_demo_curriculum(log=lambda *_: None) == []
        assert Page.objects.count() == pages
        assert sum(p.revisions.count() for p in Page.objects.all()) == revisions


class DemoAccreditationTests(TestCase):
    """What an accreditor audits: identifiers, disclosures, who may claim what, the signatory."""

    @classmethod
    def setUpTestData(cls):
        load_demo_curriculum(log=lambda *_: None)

    def test_every_credit_carries_its_activity_identifier(self):
        missing = [
            (course.code, credit.credit_type.code)
            for course in CoursePage.objects.all()
            for credit in course.credits.select_related("credit_type")
            if not credit.activity_id or not credit.credit_type.activity_id_label
        ]
        assert missing == []

    def test_every_course_discloses_its_planners_and_faculty(self):
        roles = {
            course.code: {disclosure.role for disclosure in course.disclosures.all()}
            for course in CoursePage.objects.all()
        }
        assert roles == {code: {"planner", "faculty", "reviewer"} for code in EXPECTED_COURSES}

    def test_credit_types_say_who_may_claim_them(self):
        eligible = {t.code: t.eligible_professions for t in CreditType.objects.all()}
        assert eligible == {"AMA_PRA_1": ["physician"], "VOICE_CEH": ["technologist"],
                            "CAMPEP_MPCEC": ["physicist"]}  # fmt: skip
        assert "designated for {amount} AMA PRA Category 1 Credits™" in (
            CreditType.objects.get(code="AMA_PRA_1").participation_statement
        )

    def test_the_site_has_a_named_signatory_with_a_signature(self):
        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        assert site_settings.signatory_name == "Dana R. Whitfield, MD, PhD"
        assert site_settings.signature_image is not None

    def test_the_footer_names_a_contact_the_error_pages_can_point_to(self):
        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        assert site_settings.contact_email == "education@lms.example"
