"""Each learning event becomes the expected xAPI statement, read back from a real LRS (Ralph)."""

import uuid

import pytest
from django.db import transaction

from certificates import services as certificate_services
from enrollments import services
from tests import factories
from xapi import services as xapi_services
from xapi.models import DeliveryStatus, OutboxStatement, StatementKind
from xapi.statements import name_based_id

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi"


@pytest.fixture
def course(db):
    program = factories.program("ctn")
    course = factories.course(
        program, "CTN-101", title="GCP for imaging trials", pass_mark=80, attempt_limit=3,
        evaluation_required=False,
    )  # fmt: skip
    factories.module(course, title="Lesson one")
    factories.module(course, title="Post-test", quiz_kind="post_test",
                     questions=[factories.question(f"Q{i}") for i in range(4)])  # fmt: skip
    return course


def _modules(course):
    return list(course.get_children().live().specific().order_by("path"))


def _half_right(module):
    """Two of the four questions right: 50.00 %."""
    right, wrong = factories.correct_answers(module), factories.wrong_answers(module)
    ids = [block.id for block in module.questions]
    return {qid: (right if index < 2 else wrong)[qid] for index, qid in enumerate(ids)}


def test_the_whole_course_sends_each_event_as_its_statement(xapi_on, course, settings):
    lrs = xapi_on
    learner = factories.UserFactory(email="learner@example.org", full_name="Ada Learner")
    lesson, post_test = _modules(course)

    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    services.submit_quiz(enrollment=enrollment, module_id=post_test.pk,
                         answers=_half_right(post_test), attempt_number=1)  # fmt: skip
    right = factories.correct_answers(post_test)
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=right, attempt_number=2
    )
    certificate = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    certificate_services.issue_certificate(certificate_id=certificate.pk)

    rows = list(OutboxStatement.objects.order_by("pk"))
    assert [row.kind for row in rows] == [
        StatementKind.ENROLLED,
        StatementKind.MODULE_COMPLETED,
        StatementKind.QUIZ_FAILED,
        StatementKind.QUIZ_PASSED,
        StatementKind.MODULE_COMPLETED,
        StatementKind.COURSE_COMPLETED,
        StatementKind.CERTIFICATE_ISSUED,
    ]
    assert {row.status for row in rows} == {DeliveryStatus.PENDING}

    report = xapi_services.deliver_due()
    assert (report.delivered, report.failed) == (7, 0)
    assert set(OutboxStatement.objects.values_list("status", flat=True)) == {"delivered"}

    site = settings.SITE_URL
    course_url = f"{site}{course.url}"
    registration = str(name_based_id("registration", enrollment.pk, 1))
    pseudonym = str(name_based_id("user", learner.pk))
    actor = {"objectType": "Agent", "account": {"homePage": site, "name": pseudonym}}
    stored = {}
    for row in rows:
        found = lrs.by_id(row.statement_id)
        assert len(found) == 1
        stored[row.pk] = found[0]
        assert found[0]["actor"] == actor  # no name, no email, not even hashed
        assert found[0]["context"]["registration"] == registration
    # Read back by registration: exactly these seven, nothing else of this enrollment.
    assert sorted(s["id"] for s in lrs.get(registration=registration)) == sorted(
        str(row.statement_id) for row in rows
    )

    enrolled, lesson_done, failed, passed, post_test_done, completed, earned = (
        stored[row.pk] for row in rows
    )
    assert enrolled["verb"]["id"] == f"{ADL}/verbs/registered"
    assert enrolled["object"] == {
        "objectType": "Activity",
        "id": course_url,
        "definition": {"type": f"{ADL}/activities/course",
                       "name": {"en-US": "CTN-101 GCP for imaging trials"}},
    }  # fmt: skip

    assert lesson_done["verb"]["id"] == f"{ADL}/verbs/completed"
    assert lesson_done["object"]["id"] == f"{site}{lesson.url}"
    assert lesson_done["object"]["definition"]["type"] == f"{ADL}/activities/module"
    assert lesson_done["context"]["contextActivities"]["parent"][0]["id"] == course_url

    assert failed["verb"]["id"] == f"{ADL}/verbs/failed"
    assert failed["object"]["id"] == f"{site}{post_test.url}"
    assert failed["object"]["definition"]["type"] == f"{ADL}/activities/assessment"
    assert failed["result"] == {
        "score": {"scaled": 0.5, "raw": 2, "min": 0, "max": 4},
        "success": False,
        "completion": False,
    }
    assert failed["context"]["extensions"] == {"http://id.tincanapi.com/extension/attempt-id": 1}
    assert passed["verb"]["id"] == f"{ADL}/verbs/passed"
    assert passed["result"] == {
        "score": {"scaled": 1.0, "raw": 4, "min": 0, "max": 4},
        "success": True,
        "completion": True,
    }
    assert post_test_done["verb"]["id"] == f"{ADL}/verbs/completed"
    assert post_test_done["object"]["id"] == f"{site}{post_test.url}"

    assert completed["verb"]["id"] == f"{ADL}/verbs/completed"
    assert completed["object"]["id"] == course_url
    assert completed["result"] == {"completion": True, "success": True}

    assert earned["verb"] == {"id": "http://id.tincanapi.com/verb/earned",
                              "display": {"en-US": "earned"}}  # fmt: skip
    assert earned["object"]["id"] == f"{course_url}#certificate"
    assert (
        earned["object"]["definition"]["type"] == "http://id.tincanapi.com/activitytype/certificate"
    )
    assert earned["context"]["contextActivities"]["parent"][0]["id"] == course_url


def test_statement_ids_are_stable_names_of_the_event(xapi_on, course, settings):
    learner = factories.UserFactory()
    enrollment, _ = services.enroll(user=learner, course=course)
    row = OutboxStatement.objects.get()
    site_namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL}/xapi")
    assert row.statement_id == uuid.uuid5(site_namespace, f"enrolled:{enrollment.pk}:1")
    assert row.statement["id"] == str(row.statement_id)
    # Recording the same event again (a replay) keeps the one row.
    xapi_services.record_enrolled(enrollment=enrollment)
    assert OutboxStatement.objects.count() == 1


def test_a_renewal_is_a_new_registration(xapi_on, course):
    learner = factories.UserFactory()
    lesson, post_test = _modules(course)
    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    right = factories.correct_answers(post_test)
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=right, attempt_number=1
    )
    enrollment.refresh_from_db()
    services.start_new_cycle(enrollment=enrollment)
    enrolled = OutboxStatement.objects.filter(kind=StatementKind.ENROLLED).order_by("pk")
    registrations = [row.statement["context"]["registration"] for row in enrolled]
    assert registrations == [
        str(name_based_id("registration", enrollment.pk, 1)),
        str(name_based_id("registration", enrollment.pk, 2)),
    ]


def test_a_rolled_back_event_leaves_no_row(xapi_on, course):
    learner = factories.UserFactory()
    lesson, _post_test = _modules(course)
    enrollment, _ = services.enroll(user=learner, course=course)
    assert OutboxStatement.objects.count() == 1

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.complete_module(enrollment=enrollment, module_id=lesson.pk)
        assert OutboxStatement.objects.filter(kind=StatementKind.MODULE_COMPLETED).count() == 1
        raise Abort
    assert list(OutboxStatement.objects.values_list("kind", flat=True)) == ["enrolled"]
    # The refused event (a quiz module cannot be "marked read") writes nothing either.
    with pytest.raises(services.QuizRequired):
        services.complete_module(enrollment=enrollment, module_id=_post_test.pk)
    assert OutboxStatement.objects.count() == 1


def test_without_an_endpoint_nothing_is_written_or_sent(
    settings, course, django_assert_num_queries
):
    settings.XAPI_ENDPOINT = ""
    learner = factories.UserFactory()
    enrollment, _ = services.enroll(user=learner, course=course)
    lesson, post_test = _modules(course)
    services.complete_module(enrollment=enrollment, module_id=lesson.pk)
    right = factories.correct_answers(post_test)
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=right, attempt_number=1
    )
    assert OutboxStatement.objects.count() == 0
    with django_assert_num_queries(0):
        assert xapi_services.deliver_due().delivered == 0
