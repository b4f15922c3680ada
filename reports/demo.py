"""Demo activity for local development: learners at three sites, part-way through courses.

Idempotent: it does nothing once the demo learners exist. Completions go through the real
services, so certificates are issued exactly as in production (synchronously here).
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import CertificateStatus
from courses.models import CoursePage
from enrollments import services
from enrollments.models import Enrollment, EnrollmentStatus, ModuleProgress
from organizations import services as organizations

SITES = (
    "Riverside Imaging Research Center",
    "Lakeside University Hospital",
    "Northgate PET Center",
)
PROFESSIONS = ("technologist", "physician", "research_coordinator", "physicist",
               "radiochemist_pharmacist")  # fmt: skip
FIRST = ("Alex", "Sam", "Robin", "Jamie", "Taylor", "Morgan", "Casey", "Riley", "Drew", "Quinn")
LAST = ("Nguyen", "Patel", "Okafor", "Garcia", "Kowalski", "Haddad", "Lindqvist", "Mensah")
COMMENTS = (
    "",
    "",
    "",
    "Clear cases; the delegation log example was the most useful part.",
    "Slides were dense; a printable summary would help.",
    "More on informed consent for PET/MR studies, please.",
)
PRACTICE = ("", "Check the delegation log before every study visit.",
            "Document source data the same day.")  # fmt: skip


def _answers(module, rng=None, *, skill=1.0):
    """Right answers, or with ``rng`` each question right with probability ``skill`` (a wrong
    one chooses an incorrect option), so the question statistics have something to show."""
    answers = {}
    for block in module.questions:
        options = block.value["options"]
        right = [str(i) for i, option in enumerate(options) if option["correct"]]
        wrong = [str(i) for i, option in enumerate(options) if not option["correct"]]
        ok = rng is None or not wrong or rng.random() < skill
        answers[block.id] = right if ok else [rng.choice(wrong)]
    return answers


def _evaluation(rng):
    return {
        "overall": rng.choices((2, 3, 4, 5), weights=(1, 2, 5, 4))[0],
        "relevance": rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 3, 5, 4))[0],
        "objectives_met": rng.random() < 0.9,
        "free_of_bias": rng.random() < 0.93,
        "would_recommend": rng.random() < 0.8,
        "practice_change": rng.choice(PRACTICE),
        "comments": rng.choice(COMMENTS),
    }


def _walk(enrollment, *, modules_to_do, finish, rng):
    course = enrollment.course
    modules = list(services.course_modules(course).order_by("path"))
    skill = rng.uniform(0.45, 0.95)
    for module in modules[:modules_to_do]:
        if module.quiz_kind:
            # A first try at the learner's level; then right answers until passed.
            limit = services.attempt_limit(enrollment, module)
            first = _answers(module, rng, skill=skill) if limit is None or limit > 1 else None
            services.submit_quiz(enrollment=enrollment, module_id=module.pk,
                                 answers=first or _answers(module), attempt_number=1)  # fmt: skip
            if not ModuleProgress.objects.filter(
                enrollment=enrollment, module_id=module.pk
            ).exists():
                services.submit_quiz(enrollment=enrollment, module_id=module.pk,
                                     answers=_answers(module), attempt_number=2)  # fmt: skip
        else:
            services.complete_module(enrollment=enrollment, module_id=module.pk)
    if finish:
        services.submit_evaluation(enrollment=enrollment, data=_evaluation(rng))


@transaction.atomic
def load_demo_activity(*, learners: int = 36, seed: int = 2026) -> int:
    User = get_user_model()
    if User.objects.filter(email__startswith="demo.learner").exists():
        return 0
    rng = random.Random(seed)
    # Records live on the default-locale page: a translation is the same course.
    courses = list(CoursePage.objects.live().in_default_locale().order_by("code"))
    if not courses:
        return 0
    created = 0
    for index in range(learners):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        user = User.objects.create_user(
            email=f"demo.learner{index:02d}@lms.example", password=None,
            full_name=f"{first} {last}", profession=rng.choice(PROFESSIONS),
            organization=SITES[index % len(SITES)],
        )  # fmt: skip
        organizations.affiliate(
            user=user, organization=organizations.organization_for_name(name=user.organization)
        )
        for course in rng.sample(courses, k=rng.randint(1, 3)):
            try:
                enrollment, _ = services.enroll(user=user, course=course)
            except services.EnrollmentRefused:
                continue
            total = services.course_modules(course).count()
            finish = rng.random() < 0.45
            _walk(enrollment, modules_to_do=total if finish else rng.randint(0, total - 1),
                  finish=finish, rng=rng)  # fmt: skip
            created += 1
            days_ago = rng.randint(1, 80)
            last_activity = timezone.now() - timedelta(days=days_ago)
            Enrollment.objects.filter(pk=enrollment.pk).update(
                enrolled_at=last_activity - timedelta(days=rng.randint(1, 20)),
                last_activity_at=last_activity,
            )
            Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.COMPLETED).update(
                completed_at=last_activity
            )
    # Completions announce themselves after commit; here the certificates are made in-line.
    for enrollment in Enrollment.objects.filter(user__email__startswith="demo.learner",
                                                status=EnrollmentStatus.COMPLETED):  # fmt: skip
        certificate = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
        if certificate and certificate.status == CertificateStatus.PENDING:
            certificate_services.issue_certificate(certificate_id=certificate.pk)
    return created
