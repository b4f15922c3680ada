"""The page tree's rules, creating each page type in the admin, validation, and rendering."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.models import User
from courses.models import CoursePage, ModulePage, ProgramPage
from home.models import HomePage
from tests.courses import factories


def course_form(**overrides):
    data = {
        "title": "Quantitative SPECT for Trials",
        "slug": "quantitative-spect",
        "code": "CTN-401",
        "level": "advanced",
        "summary": "Calibrating SPECT/CT for quantitative endpoints.",
        "objectives": streamfield([("objective", "Calibrate a SPECT/CT system")]),
        "estimated_minutes": "60",
        "faculty": "Demo faculty",
        "release_date": "2026-02-01",
        "last_review_date": "2026-03-01",
        "termination_date": "2029-01-31",
        "credits": inline_formset(
            [{"credit_type": str(factories.credit_type().pk), "hours": "1.00", "statement": ""}]
        ),
        "disclosures": inline_formset(
            [
                {
                    "name": "Dana Whitfield, MD",
                    "role": "planner",
                    "relationships": "",
                    "mitigation": "",
                },
                {
                    "name": "Lee Park, PhD",
                    "role": "faculty",
                    "relationships": "Acme Isotopes: consultant",
                    "mitigation": "Content peer reviewed by a planner with no relationships.",
                },
            ]
        ),
        "commercial_support": "",
        "pass_mark": "80",
        "attempt_limit": "3",
        "certificate_validity_months": "",
        "course_version": "",
        "ich_e6_revision": "",
        "enrollment_open": "on",
        "evaluation_required": "on",
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["audience"] = ["physicist", "technologist"]  # a multi-value field: not flattened
    return form


def question_data(correct=(1,), options=4):
    return {
        "prompt": "Which body approves the consent documents at a US site?",
        "options": streamfield([])
        | {
            "count": str(options),
            **{f"{i}-value-text": f"Option {i}" for i in range(options)},
            **{f"{i}-value-correct": "on" for i in correct},
            **{f"{i}-deleted": "" for i in range(options)},
            **{f"{i}-order": str(i) for i in range(options)},
        },
        "explanation": rich_text("The IRB reviews and approves them."),
    }


def module_form(quiz_kind="", questions=(), **overrides):
    data = {
        "title": "Informed consent in imaging studies",
        "slug": "informed-consent",
        "estimated_minutes": "15",
        "body": streamfield([("text", rich_text("<p>Consent is a process, not a form.</p>"))]),
        "quiz_kind": quiz_kind,
        "questions": streamfield([("question", q) for q in questions]),
    }
    data.update(overrides)
    return nested_form_data(data)


class PageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("root@example.org", "pw")
        cls.home = factories.home_page()
        cls.program = factories.program("ctn", "Clinical Trials Network")
        cls.course = factories.course(cls.program, "CTN-101", modules=2, post_test=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_tree_rules(self):
        self.assertAllowedSubpageTypes(HomePage, {ProgramPage})
        self.assertAllowedSubpageTypes(ProgramPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, set())
        self.assertAllowedParentPageTypes(ProgramPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {ProgramPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(ProgramPage, ModulePage)
        self.assertCanNotCreateAt(Page, ProgramPage)

    def test_can_create_a_program(self):
        data = nested_form_data(
            {"title": "Theranostics", "slug": "theranostics", "code": "thera",
             "intro": rich_text("<p>Radioligand therapy.</p>")}
        )  # fmt: skip
        self.assertCanCreate(self.home, ProgramPage, data)
        self.assertTrue(ProgramPage.objects.get(code="thera").live)

    def test_can_create_a_course_with_credits(self):
        self.assertCanCreate(self.program, CoursePage, course_form())
        course = CoursePage.objects.get(code="CTN-401")
        self.assertEqual(course.audience, ["physicist", "technologist"])
        self.assertEqual([str(c.hours) for c in course.credits.all()], ["1.00"])

    def test_can_create_a_content_module(self):
        self.assertCanCreate(self.course, ModulePage, module_form())

    def test_can_create_a_knowledge_check_with_multiple_correct_options(self):
        data = module_form("knowledge_check", [question_data(correct=(0, 2))], slug="kc")
        self.assertCanCreate(self.course, ModulePage, data)
        module = ModulePage.objects.get(slug="kc")
        options = module.questions[0].value["options"]
        self.assertEqual([o["correct"] for o in options], [True, False, True, False])

    def post_create(self, parent, model, data):
        url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
        return self.client.post(url, data | {"action-publish": "action-publish"})

    def test_refuses_a_question_with_no_correct_option(self):
        before = ModulePage.objects.count()
        response = self.post_create(
            self.course, ModulePage, module_form("knowledge_check", [question_data(correct=())])
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mark at least one option as correct.")
        self.assertEqual(ModulePage.objects.count(), before)

    def test_refuses_a_question_with_one_option(self):
        response = self.post_create(
            self.course,
            ModulePage,
            module_form("knowledge_check", [question_data(correct=(0,), options=1)]),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ModulePage.objects.filter(slug="informed-consent").exists())

    def test_refuses_a_second_post_test_in_one_course(self):
        response = self.post_create(
            self.course, ModulePage, module_form("post_test", [question_data()])
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This course already has a post-test")
        self.assertEqual(
            ModulePage.objects.child_of(self.course).filter(quiz_kind="post_test").count(), 1
        )

    def test_refuses_a_draw_larger_than_the_pool(self):
        questions = [question_data(), question_data()]
        response = self.post_create(
            self.course,
            ModulePage,
            module_form("knowledge_check", questions, draw_count="3", slug="pool"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The quiz has 2 questions: it cannot draw 3 per attempt.")
        self.assertFalse(ModulePage.objects.filter(slug="pool").exists())
        data = module_form("knowledge_check", questions, draw_count="2", slug="pool")
        self.assertCanCreate(self.course, ModulePage, data | {"shuffle_options": "on"})
        module = ModulePage.objects.get(slug="pool")
        self.assertEqual((module.draw_count, module.shuffle_options), (2, True))

    def test_refuses_a_pass_mark_outside_0_to_100(self):
        for bad in ("101", "-5"):
            response = self.post_create(self.program, CoursePage, course_form(pass_mark=bad))
            self.assertEqual(response.status_code, 200)
            self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())
            self.assertIn("pass_mark", response.context["form"].errors)

    def test_refuses_credit_hours_off_the_quarter_hour(self):
        data = course_form()
        data["credits-0-hours"] = "1.1"
        response = self.post_create(self.program, CoursePage, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CoursePage.objects.filter(code="CTN-401").exists())

    def test_refuses_termination_more_than_three_years_after_release(self):
        response = self.post_create(
            self.program, CoursePage, course_form(termination_date="2029-06-01")
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("termination_date", response.context["form"].errors)

    def test_refuses_a_gcp_course_without_its_revision(self):
        response = self.post_create(self.program, CoursePage, course_form(is_gcp="on"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("ich_e6_revision", response.context["form"].errors)

    def test_refuses_a_duplicate_course_code(self):
        response = self.post_create(self.program, CoursePage, course_form(code="CTN-101"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(CoursePage.objects.filter(code="CTN-101").count(), 1)

    def test_every_page_type_renders(self):
        module = ModulePage.objects.child_of(self.course).first()
        for page in (self.home, self.program, self.course, module):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)
