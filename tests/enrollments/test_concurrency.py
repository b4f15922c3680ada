"""Concurrent requests on PostgreSQL: one completion and one ``course_completed``, however many."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from enrollments import services
from enrollments.models import Enrollment, EnrollmentStatus, ModuleProgress
from tests.accounts.factories import UserFactory
from tests.conftest import IN_CI
from tests.courses import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs the concurrency tests on PostgreSQL (DATABASE_URL unset)")
        pytest.skip("concurrency is tested on PostgreSQL (set DATABASE_URL)")


def run_in_parallel(function, count=PARALLEL):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(function())
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_twenty_parallel_completions_of_the_last_module_complete_once(completions):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=2, evaluation_required=False)
    first, last = course.get_children().order_by("path")
    learner = UserFactory(email="racer@example.org")
    enrollment = services.enroll(user=learner, course=course)[0]
    services.complete_module(enrollment=enrollment, module_id=first.pk)
    url = reverse("enrollments:complete_module", args=[enrollment.pk, last.pk])

    def post():
        client = Client()
        client.force_login(learner)
        return client.post(url).status_code

    statuses, errors = run_in_parallel(post)
    assert errors == []
    assert sorted(set(statuses)) == [302]
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert ModuleProgress.objects.filter(enrollment=enrollment, module=last).count() == 1
    assert completions == [enrollment.pk]


def test_twenty_parallel_enrollments_make_one():
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1)
    learner = UserFactory(email="double@example.org")
    url = reverse("enrollments:enroll", args=[course.pk])

    def post():
        client = Client()
        client.force_login(learner)
        return client.post(url).status_code

    statuses, errors = run_in_parallel(post)
    assert errors == []
    assert sorted(set(statuses)) == [302]
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
