"""The one set of test builders: accounts, the page tree, enrollments and certificates.

Every test builds its data from here (the older ``tests/courses/factories.py`` and
``tests/accounts/factories.py`` only re-export these names). Page builders are functions, not
factory_boy factories: Wagtail pages must be added under their parent with ``add_child``.
"""

import datetime
import itertools
import uuid
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateStatus
from courses.models import CourseCredit, CoursePage, CreditType, ModulePage, ProgramPage
from enrollments.models import Enrollment, EnrollmentStatus
from organizations.models import Membership, Organization, OrganizationKind, Role

PASSWORD = "correct-horse-battery"

# --- Accounts -----------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    full_name = factory.Faker("name")
    profession = "technologist"
    organization = "Riverside Imaging Research Center"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def superuser(email="admin@example.org", **fields):
    """An administrator (every permission, staff)."""
    return UserFactory(email=email, is_staff=True, is_superuser=True, **fields)


def verified_user(**fields):
    """A user who can sign in: allauth's mandatory verification needs a verified EmailAddress."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# --- Organizations ------------------------------------------------------------------------------


def organization(name="Riverside Imaging Research Center", **fields) -> Organization:
    """An approved organization of the registry."""
    fields.setdefault("kind", OrganizationKind.IMAGING_SITE)
    return Organization.objects.create(name=name, **fields)


def member(org, *, role=Role.MEMBER, **fields):
    """A verified user who belongs to ``org`` (``role=Role.COORDINATOR`` for its coordinator)."""
    user = verified_user(organization=org.name, **fields)
    Membership.objects.create(user=user, organization=org, role=role)
    return user


def coordinator(org, **fields):
    return member(org, role=Role.COORDINATOR, **fields)


# --- The page tree: HomePage > ProgramPage > CoursePage > ModulePage ----------------------------

_counter = itertools.count(1)


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


CREDIT_NAMES = {
    "AMA_PRA_1": ("AMA PRA Category 1 Credit™", "CME"),
    "VOICE_CEH": ("VOICE Continuing Education Hours", "VOICE CEH"),
    "CAMPEP_MPCEC": ("CAMPEP MPCEC", "MPCEC"),
}


# Who may claim each type, as the seeding migrations and the demo curriculum set it.
CREDIT_RULES = {
    "AMA_PRA_1": {
        "eligible_professions": ["physician"],
        "activity_id_label": "ACCME activity ID",
        "requires_disclosures": True,
        "participation_statement": "This activity was designated for {amount} AMA PRA "
        "Category 1 Credits™.",
    },
    "VOICE_CEH": {"eligible_professions": ["technologist"],
                  "activity_id_label": "VOICE activity number"},
    "CAMPEP_MPCEC": {"eligible_professions": ["physicist"],
                     "activity_id_label": "CAMPEP course number"},
}  # fmt: skip


def credit_type(code="AMA_PRA_1"):
    """The credit type with the tests' names and rules, whatever a migration seeded for it."""
    name, short_name = CREDIT_NAMES.get(code, (f"{code} credit", code))
    rules = {"eligible_professions": [], "activity_id_label": "", "requires_disclosures": False,
             "participation_statement": "", **CREDIT_RULES.get(code, {})}  # fmt: skip
    obj, _ = CreditType.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short_name,
            "statement": "{provider} designates this enduring material for a maximum of "
            "{amount} credits.",
            **rules,
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
        CourseCredit(credit_type=credit_type(code=type_code), hours=Decimal(hours),
                     activity_id=activity_id[0] if activity_id else "")
        for type_code, hours, *activity_id in credits
    ]  # fmt: skip
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


# --- Quiz answers and the evaluation ----------------------------------------------------------


def correct_answers(module):
    """A submission (as the form posts it) answering every question of ``module`` right."""
    return {
        block.id: [str(i) for i, o in enumerate(block.value["options"]) if o["correct"]]
        for block in module.questions
    }


def wrong_answers(module):
    return {
        block.id: [str(next(i for i, o in enumerate(block.value["options"]) if not o["correct"]))]
        for block in module.questions
    }


EVALUATION = {
    "overall": "5",
    "relevance": "4",
    "objectives_met": "True",
    "free_of_bias": "True",
    "would_recommend": "True",
    "practice_change": "Check the delegation log before every study visit.",
    "comments": "",
}


# --- Enrollments and certificates -------------------------------------------------------------


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrollment row as the services leave it; pass ``course=`` (a CoursePage)."""

    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)


def completed_enrollment(user, course) -> Enrollment:
    """An enrollment marked completed directly (the journey itself is tested in enrollments)."""
    return EnrollmentFactory(
        user=user, course=course, status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )


def issued_certificate(enrollment) -> Certificate:
    """A certificate issued the real way: pending, then rendered and stored by the service."""
    pending = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    return certificate_services.issue_certificate(certificate_id=pending.pk)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row without a PDF (for listings and reports); pass ``enrollment=``."""

    class Meta:
        model = Certificate

    status = CertificateStatus.ISSUED
    cycle = factory.LazyAttribute(lambda o: o.enrollment.cycle)
    learner_name = factory.LazyAttribute(lambda o: o.enrollment.user.full_name)
    course_code = factory.LazyAttribute(lambda o: o.enrollment.course.code)
    completed_on = factory.LazyFunction(timezone.localdate)
    issued_at = factory.LazyFunction(timezone.now)
