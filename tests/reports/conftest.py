from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from courses.permissions import ensure_instructor_group
from enrollments.models import Enrollment, EnrollmentStatus
from tests.courses import factories


@pytest.fixture
def catalog(db):
    ctn = factories.program("ctn", "Clinical Trials Network")
    cmiit = factories.program("cmiit", "CMIIT")
    gcp = factories.course(ctn, "CTN-101", modules=2, is_gcp=True, course_version="1",
                           ich_e6_revision="E6(R3)", certificate_validity_months=36)  # fmt: skip
    rdrc = factories.course(ctn, "CTN-201", modules=3)
    bench = factories.course(cmiit, "CMIIT-101", modules=1)
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    return {"ctn": ctn, "cmiit": cmiit, "gcp": gcp, "rdrc": rdrc, "cmiit_course": bench}


def make_enrollments(course, count, *, completed_every=2, organization="Riverside Imaging",
                     prefix="p", score=Decimal("80.00")):  # fmt: skip
    """Bulk-made learners and enrollments: every ``completed_every``-th one completed."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{course.code}-{i}@example.org", full_name=f"Learner {i}",
              profession="technologist", organization=organization) for i in range(count)]
    )  # fmt: skip
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=user, course=course,
                status=(
                    EnrollmentStatus.COMPLETED if i % completed_every == 0
                    else EnrollmentStatus.ACTIVE
                ),
                completed_at=now if i % completed_every == 0 else None,
                modules_completed=1, post_test_attempts=1, post_test_best_score=score,
            )
            for i, user in enumerate(users)
        ]
    )  # fmt: skip
    Certificate.objects.bulk_create(
        [
            Certificate(enrollment=e, status=CertificateStatus.ISSUED, course_code=course.code,
                        learner_name=e.user.full_name, completed_on=now.date(),
                        issued_at=now, expires_on=now.date() + timedelta(days=60))
            for e in enrollments if e.status == EnrollmentStatus.COMPLETED
        ]
    )  # fmt: skip
    return enrollments


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin@example.org", "pw"))
    return client
