"""Builds the demo curriculum (courses/fixtures/demo_curriculum.yaml) into the page tree.

Idempotent: what exists (matched by code and slug) is left as an author may have edited it;
what is missing is created and published.
"""

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import escape
from wagtail.images import get_image_model

from courses.models import (
    CourseCredit,
    CourseDisclosure,
    CoursePage,
    CreditType,
    ModulePage,
    ProgramPage,
)
from courses.permissions import ensure_instructor_group, ensure_review_workflow, program_collection
from home.models import SiteSettings
from home.services import configure_default_site

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CURRICULUM = FIXTURES / "demo_curriculum.yaml"

HOME_INTRO = (
    "<p>Accredited, self-paced courses for physicians, technologists, radiochemists, "
    "pharmacists, physicists and research coordinators who run molecular imaging trials: "
    "Good Clinical Practice, regulatory pathways, PET drug production, scanner qualification "
    "and translation from bench to first-in-human.</p>"
)


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _paragraph(text: str) -> str:
    """Plain fixture text as rich text: escaped, so "USP <823>" stays text."""
    return f"<p>{escape(text.strip())}</p>" if text else ""


class CurriculumLoader:
    def __init__(self, data: dict, *, log=print):
        self.data = data
        self.log = log
        self.provider = data.get("provider", "")
        self.created: list[str] = []
        self._images: dict[str, int] = {}

    @transaction.atomic
    def run(self):
        site = configure_default_site()
        home = site.root_page.specific
        if not home.intro:
            home.intro = HOME_INTRO
            home.save_revision().publish()
        for position, item in enumerate(self.data["credit_types"]):
            CreditType.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "short_name": item["short_name"],
                    "eligible_professions": list(item.get("eligible_professions", [])),
                    "statement": item.get("statement", ""),
                    "participation_statement": item.get("participation_statement", ""),
                    "activity_id_label": item.get("activity_id_label", ""),
                    "requires_disclosures": bool(item.get("requires_disclosures")),
                    "sort_order": position,
                },
            )
        self._signatory(site)
        new_courses = {}
        for program_data in self.data["programs"]:
            program = self._program(home, program_data)
            ensure_instructor_group(program)
            for course_data in program_data["courses"]:
                course, created = self._course(program, course_data)
                if created:
                    new_courses[course.code] = (course, course_data)
        for course, course_data in new_courses.values():
            codes = course_data.get("prerequisites") or []
            if codes:
                course.prerequisites.set(CoursePage.objects.filter(code__in=codes))
                course.save_revision().publish()
        ensure_review_workflow(home)
        return self.created

    def _signatory(self, site) -> None:
        """The demo signatory, unless someone has already named one."""
        data = self.data.get("signatory")
        site_settings = SiteSettings.for_site(site)
        if self.data.get("contact_email") and not site_settings.contact_email:
            site_settings.contact_email = self.data["contact_email"]
            site_settings.save(update_fields=["contact_email"])
        if not data or site_settings.signatory_name:
            return
        site_settings.signatory_name = data["name"]
        site_settings.signatory_title = data.get("title", "")
        if data.get("image"):
            Image = get_image_model()
            image = Image.objects.filter(title=data["image"]).first()
            if image is None:
                with (FIXTURES / "images" / data["image"]).open("rb") as handle:
                    image = Image(title=data["image"])
                    image.file = ImageFile(handle, name=data["image"])
                    image.save()
            site_settings.signature_image = image
        site_settings.save()

    def _program(self, home, data) -> ProgramPage:
        program = ProgramPage.objects.filter(code__iexact=data["code"]).first()
        if program:
            return program
        program = ProgramPage(
            title=data["title"], slug=data["slug"], code=data["code"].lower(),
            intro=_paragraph(data.get("intro", "")),
        )  # fmt: skip
        home.add_child(instance=program)
        program.save_revision().publish()
        self.created.append(f"program {data['code']}")
        return program

    def _course(self, program, data) -> tuple[CoursePage, bool]:
        course = CoursePage.objects.filter(code=data["code"]).first()
        if course:
            return course, False
        course = CoursePage(
            title=data["title"],
            slug=data["slug"],
            code=data["code"],
            summary=data["summary"],
            objectives=[_block("objective", text) for text in data.get("objectives", [])],
            audience=data.get("audience", []),
            level=data.get("level", "basic"),
            estimated_minutes=data["minutes"],
            faculty=data.get("faculty", ""),
            release_date=_date(data.get("release_date")),
            last_review_date=_date(data.get("last_review_date")),
            termination_date=_date(data.get("termination_date")),
            pass_mark=data.get("pass_mark", 75),
            attempt_limit=data.get("attempt_limit", 3),
            certificate_validity_months=data.get("certificate_valid_months"),
            is_gcp=bool(data.get("gcp")),
            course_version=data.get("course_version") or "",
            ich_e6_revision=data.get("ich_e6_revision") or "",
            commercial_support=data.get("commercial_support") or "",
        )
        course.disclosures = [
            CourseDisclosure(
                name=item["name"], role=item["role"], sort_order=position,
                relationships=item.get("relationships", ""), mitigation=item.get("mitigation", ""),
            )
            for position, item in enumerate(data.get("disclosures", []))
        ]  # fmt: skip
        course.credits = [
            CourseCredit(
                credit_type=CreditType.objects.get(code=credit["type"]),
                hours=Decimal(str(credit["hours"])),
                activity_id=credit.get("activity_id", ""),
                sort_order=position,
            )
            for position, credit in enumerate(data.get("credits", []))
        ]
        program.add_child(instance=course)
        course.save_revision().publish()
        for number, module_data in enumerate(data.get("modules", []), start=1):
            self._module(program, course, number, module_data)
        self.created.append(f"course {data['code']}")
        return course, True

    def _module(self, program, course, number, data) -> ModulePage:
        quiz = data.get("quiz") or {}
        module = ModulePage(
            title=data["title"],
            slug=f"module-{number}",
            estimated_minutes=data["minutes"],
            body=[self._lesson_block(program, block) for block in data.get("body", [])],
            quiz_kind=quiz.get("kind", ""),
            questions=[_question(item) for item in quiz.get("questions", [])],
        )
        course.add_child(instance=module)
        module.save_revision().publish()
        return module

    def _lesson_block(self, program, block) -> dict:
        kind = block["type"]
        if kind == "text":
            return _block("text", block["html"])
        if kind == "callout":
            return _block(
                "callout",
                {
                    "style": block.get("style", "info"),
                    "title": block.get("title", ""),
                    "text": _paragraph(block["text"]),
                },
            )
        if kind == "takeaways":
            return _block(
                "takeaways",
                {
                    "title": block.get("title", "Key takeaways"),
                    "items": [_item(text) for text in block["items"]],
                },
            )
        if kind == "diagram":
            return _block(
                "image",
                {
                    "image": self._image(program, block["file"], block.get("alt", "")),
                    "alt_text": block.get("alt", ""),
                    "caption": block.get("caption", ""),
                },
            )
        raise ValueError(f"Unknown lesson block type {kind!r}")

    def _image(self, program, filename: str, title: str) -> int:
        if filename in self._images:
            return self._images[filename]
        Image = get_image_model()
        image = Image.objects.filter(title=filename).first()
        if image is None:
            path = FIXTURES / "images" / filename
            with path.open("rb") as handle:
                image = Image(title=filename, collection=program_collection(program))
                image.file = ImageFile(handle, name=filename)
                image.save()
        self._images[filename] = image.pk
        return image.pk


def _question(item) -> dict:
    correct = set(item["correct"])
    return _block(
        "question",
        {
            "prompt": item["q"],
            # Items in ListBlock's block format (with ids), which wagtail-localize translates.
            "options": [
                _item({"text": text, "correct": position in correct})
                for position, text in enumerate(item["options"])
            ],
            "explanation": _paragraph(item.get("explanation", "")),
        },
    )


def _item(value) -> dict:
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def load_demo_curriculum(path: Path = CURRICULUM, *, log=print) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return CurriculumLoader(data, log=log).run()
