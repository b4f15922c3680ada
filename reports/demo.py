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
from enrollments.models import Enrollment, EnrollmentStatus
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
EVALUATION = {"overall": 5, "relevance": 4, "objectives_met": True, "free_of_bias": True,
              "would_recommend": True}  # fmt: skip


def _answers(module):
    return {
        block.id: [str(i) for i, option in enumerate(block.value["options"]) if option["correct"]]
        for block in module.questions
    }


def _walk(enrollment, *, modules_to_do, finish):
    course = enrollment.course
    modules = list(services.course_modules(course).order_by("path"))
    for module in modules[:modules_to_do]:
        if module.quiz_kind:
            services.submit_quiz(enrollment=enrollment, module_id=module.pk,
                                 answers=_answers(module), attempt_number=1)  # fmt: skip
        else:
            services.complete_module(enrollment=enrollment, module_id=module.pk)
    if finish and course.evaluation_required:
        services.submit_evaluation(enrollment=enrollment, data=EVALUATION)


@transaction.atomic
def load_demo_activity(*, learners: int = 36, seed: int = 2026) -> int:
    User = get_user_model()
    if User.objects.filter(email__startswith="demo.learner").exists():
        return 0
    rng = random.Random(seed)
    courses = list(CoursePage.objects.live().order_by("code"))
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
                  finish=finish)  # fmt: skip
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
