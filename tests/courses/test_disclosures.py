"""Disclosures (ACCME Standards for Integrity and Independence): required to publish AMA PRA
Category 1 courses, and shown to learners before they start."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset

from accounts.models import User
from courses.models import CourseDisclosure, CoursePage
from tests.courses import factories
from tests.courses.test_pages import course_form

REFUSAL = (
    "A course carrying AMA PRA Category 1 Credit™ cannot be published without its disclosures: "
    "add a planner and a faculty member under Disclosures, each with their financial "
    "relationships (or none). You can save a draft meanwhile."
)


class DisclosureRuleTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("root@example.org", "pw")
        cls.program = factories.program("ctn", "Clinical Trials Network")

    def setUp(self):
        self.client.force_login(self.admin)

    def post(self, action, **overrides):
        url = f"/admin/pages/add/courses/coursepage/{self.program.pk}/"
        return self.client.post(url, course_form(**overrides) | {action: action})

    def test_an_ama_pra_course_without_disclosures_cannot_be_published(self):
        response = self.post("action-publish", disclosures=inline_formset([]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, REFUSAL)
        self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())

    def test_nor_submitted_for_review(self):
        response = self.post("action-submit", disclosures=inline_formset([]))
        self.assertContains(response, REFUSAL)
        self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())

    def test_a_planner_alone_is_not_enough(self):
        only_planner = inline_formset(
            [{"name": "Dana Whitfield", "role": "planner", "relationships": "", "mitigation": ""}]
        )
        response = self.post("action-publish", disclosures=only_planner)
        self.assertContains(response, "add a faculty member under Disclosures")
        self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())

    def test_a_draft_without_disclosures_can_be_saved(self):
        self.post("action-save", disclosures=inline_formset([]))
        course = CoursePage.objects.get(code="CTN-401")
        self.assertFalse(course.live)

    def test_a_course_without_ama_pra_credit_publishes_without_disclosures(self):
        voice = factories.credit_type("VOICE_CEH")
        credits = inline_formset([{"credit_type": str(voice.pk), "hours": "1.00",
                                   "statement": "", "activity_id": ""}])  # fmt: skip
        self.post("action-publish", disclosures=inline_formset([]), credits=credits)
        self.assertTrue(CoursePage.objects.get(code="CTN-401").live)

    def test_relationships_need_their_mitigation(self):
        unmitigated = inline_formset(
            [{"name": "Dana Whitfield", "role": "planner", "relationships": "", "mitigation": ""},
             {"name": "Lee Park", "role": "faculty", "relationships": "Acme: speaker",
              "mitigation": ""}]
        )  # fmt: skip
        response = self.post("action-publish", disclosures=unmitigated)
        self.assertContains(response, "Say how the relationships were mitigated.")
        self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())

    def test_with_disclosures_it_publishes_and_keeps_them(self):
        self.post("action-publish")
        course = CoursePage.objects.get(code="CTN-401")
        self.assertTrue(course.live)
        self.assertEqual(
            [(d.name, d.role, d.relationships) for d in course.disclosures.all()],
            [("Dana Whitfield, MD", "planner", ""),
             ("Lee Park, PhD", "faculty", "Acme Isotopes: consultant")],
        )  # fmt: skip


class DisclosureDisplayTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        program = factories.program("ctn", "Clinical Trials Network")
        cls.course = factories.course(
            program, "CTN-101", modules=2, commercial_support="Acme Isotopes: educational grant"
        )
        CourseDisclosure.objects.create(course=cls.course, name="Dana Whitfield, MD",
                                        role="planner")  # fmt: skip
        CourseDisclosure.objects.create(course=cls.course, name="Lee Park, PhD", role="faculty",
                                        relationships="Acme Isotopes: consultant",
                                        mitigation="Peer review of content")  # fmt: skip
        cls.learner = User.objects.create_user("l@example.org", "pw", profession="technologist")

    def test_the_course_page_shows_everyone_their_relationships_and_commercial_support(self):
        body = self.client.get(self.course.url).content.decode()
        self.assertIn("Disclosures", body)
        self.assertIn("Dana Whitfield, MD</td><td>Planner</td><td>None</td>", body)
        self.assertIn("Acme Isotopes: consultant</td><td>Peer review of content", body)
        self.assertIn("Acme Isotopes: educational grant", body)

    def test_the_first_module_shows_them_before_the_content_and_later_ones_do_not(self):
        self.client.force_login(self.learner)
        first, second = self.course.get_modules()
        body = self.client.get(first.url).content.decode()
        self.assertIn("Lee Park, PhD", body)
        content = body.index('class="lesson"') if 'class="lesson"' in body else body.index("panel")
        self.assertLess(body.index('id="disclosures-heading"'), content)
        self.assertNotIn("Lee Park, PhD", self.client.get(second.url).content.decode())
