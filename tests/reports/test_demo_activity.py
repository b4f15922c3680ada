import pytest

from certificates.models import Certificate, CertificateStatus
from courses.translations import translate_course
from enrollments.models import CourseEvaluation, Enrollment, QuizAttempt
from reports.demo import load_demo_activity
from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_demo_activity_makes_progress_and_certificates_once():
    program = factories.program("ctn")
    courses = [factories.course(program, modules=2, post_test=True) for _ in range(3)]
    translate_course(courses[0], language="es", strings={})
    created = load_demo_activity(learners=8)
    # Records live on the English pages; the Spanish translation is the same course.
    assert set(Enrollment.objects.values_list("course_id", flat=True)) <= {c.pk for c in courses}
    assert created == Enrollment.objects.count()
    assert created > 0
    completed = Enrollment.objects.filter(status="completed").count()
    assert completed > 0
    assert Certificate.objects.filter(status=CertificateStatus.ISSUED).count() == completed
    # Every finished course has its evaluation; first attempts are not all perfect, so the
    # evaluation and question statistics reports have something to show.
    assert CourseEvaluation.objects.count() == completed
    assert QuizAttempt.objects.filter(number=1).count() > 0
    assert QuizAttempt.objects.filter(number=1, passed=False).exists()
    assert load_demo_activity(learners=8) == 0
    assert Enrollment.objects.count() == created
