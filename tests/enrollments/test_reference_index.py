"""Learners' records stay out of Wagtail's reference index: it is for content (what uses a
document or a snippet), and every save of an indexed record costs queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from certificates.models import Certificate, CertificateEvent
from enrollments import services
from enrollments.models import Enrollment, ModuleProgress
from tests import factories

pytestmark = pytest.mark.django_db


def indexed(model) -> bool:
    return ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).exists()


def test_a_learners_enrollment_progress_and_certificate_leave_no_index_rows():
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=2)
    learner = factories.UserFactory(email="ana@example.org")
    enrollment = services.enroll(user=learner, course=course)[0]
    services.complete_module(enrollment=enrollment, module_id=course.get_children().first().pk)
    other = factories.UserFactory(email="ben@example.org")
    factories.issued_certificate(factories.completed_enrollment(other, course))

    for model in (Enrollment, ModuleProgress, Certificate, CertificateEvent):
        assert not ReferenceIndex.model_is_indexable(model)
        assert not indexed(model)
    # The index itself still works for content: the course page's references are recorded.
    assert ReferenceIndex.model_is_indexable(type(course))
