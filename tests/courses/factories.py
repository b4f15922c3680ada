"""Builders for the page tree: HomePage > ProgramPage > CoursePage > ModulePage."""

import datetime
import itertools
import uuid
from decimal import Decimal

from wagtail.models import Site

from courses.models import CourseCredit, CoursePage, CreditType, ModulePage, ProgramPage

_counter = itertools.count(1)


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


CREDIT_NAMES = {
    "AMA_PRA_1": ("AMA PRA Category 1 Credit™", "CME"),
    "VOICE_CEH": ("VOICE Continuing Education Hours", "VOICE CEH"),
    "CAMPEP_MPCEC": ("CAMPEP MPCEC", "MPCEC"),
}


def credit_type(code="AMA_PRA_1"):
    name, short_name = CREDIT_NAMES.get(code, (f"{code} credit", code))
    obj, _ = CreditType.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short_name,
            "statement": "{provider} designates this enduring material for a maximum of "
            "{amount} credits.",
        },
    )
    return obj


def program(code="ctn", title=None, publish=True) -> ProgramPage:
    page = ProgramPage(title=title or f"Program {code.upper()}", slug=code, code=code)
    page.live = publish
    home_page().add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def question(prompt="Which is right?", correct=(1,), options=4, explanation="Because."):
    return block(
        "question",
        {
            "prompt": prompt,
            "options": [{"text": f"Option {i}", "correct": i in correct} for i in range(options)],
            "explanation": f"<p>{explanation}</p>",
        },
    )


def course(
    parent,
    code=None,
    modules=0,
    *,
    level="basic",
    audience=("technologist",),
    credits=(("AMA_PRA_1", "1.5"),),
    publish=True,
    post_test=False,
    **fields,
) -> CoursePage:
    number = next(_counter)
    code = code or f"TST-{number:03d}"
    page = CoursePage(
        title=fields.pop("title", f"Course {code}"),
        slug=code.lower(),
        code=code,
        summary=fields.pop("summary", "A course about imaging trials."),
        objectives=[block("objective", "Describe the structure of ICH E6(R3)")],
        audience=list(audience),
        level=level,
        estimated_minutes=fields.pop("estimated_minutes", 60),
        release_date=datetime.date(2026, 1, 15),
        termination_date=datetime.date(2029, 1, 14),
        **fields,
    )
    page.credits = [
        CourseCredit(credit_type=credit_type(code=type_code), hours=Decimal(hours))
        for type_code, hours in credits
    ]
    page.live = publish
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    for index in range(modules):
        module(page, title=f"Module {index + 1}")
    if post_test:
        module(page, title="Post-test", quiz_kind="post_test",
               questions=[question(f"Q{i}") for i in range(5)])  # fmt: skip
    return page


def module(parent, title="Lesson", *, quiz_kind="", questions=(), publish=True, body=None):
    page = ModulePage(
        title=title,
        slug=f"m-{next(_counter)}",
        estimated_minutes=15,
        body=body if body is not None else [block("text", "<p>Lesson text about GCP.</p>")],
        quiz_kind=quiz_kind,
        questions=list(questions),
    )
    page.live = publish
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page
