"""Grade passback (AGS): completion posts the score to the platform's gradebook through the
worker's task, retried with backoff while the gradebook is down."""

import pytest
from django.utils import timezone

from celery_app import app as celery_app
from enrollments.models import EnrollmentStatus
from enrollments.signals import course_completed
from lti import tasks
from lti.models import GradeLink
from tests.lti.test_launch import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def completed_link(client, platform, registration, gcp_course):
    launch(client, platform, registration)
    link = GradeLink.objects.select_related("enrollment").get()
    enrollment = link.enrollment
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.post_test_best_score = 87.5
    enrollment.save()
    return link


def test_completion_posts_the_score_to_the_platforms_gradebook(
    platform, completed_link, eager_celery
):
    course_completed.send(sender=None, enrollment_id=completed_link.enrollment_id)
    (score,) = platform.scores
    assert score["content_type"] == "application/vnd.ims.lis.v1.score+json"
    assert score["query"] == "type=course"  # /scores goes on the path, the query stays
    body = score["body"]
    assert body["userId"] == "platform-user-42"
    assert (body["scoreGiven"], body["scoreMaximum"]) == (87.5, 100.0)
    assert (body["activityProgress"], body["gradingProgress"]) == ("Completed", "FullyGraded")
    # The tool authenticated with a client assertion signed by its published key.
    (token_request,) = platform.token_requests
    assert token_request["assertion"]["iss"] == "tool-client-1"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in token_request["scope"]
    completed_link.refresh_from_db()
    assert completed_link.posted_at is not None
    # Once per completion: a second run (a redelivered task) posts nothing more.
    tasks.post_score.apply(args=[completed_link.pk])
    assert len(platform.scores) == 1


def test_the_score_is_retried_while_the_gradebook_is_down(platform, completed_link, eager_celery):
    platform.down_for = 3
    result = tasks.post_score.apply(args=[completed_link.pk])
    assert result.successful()
    assert platform.down_for == 0
    assert len(platform.scores) == 1
    completed_link.refresh_from_db()
    assert completed_link.posted_at is not None
    assert completed_link.last_error == ""


def test_a_gradebook_that_stays_down_leaves_the_score_pending_for_the_sweep(
    platform, completed_link, eager_celery
):
    platform.down_for = 10_000
    result = tasks.post_score.apply(args=[completed_link.pk])
    assert result.failed()
    completed_link.refresh_from_db()
    assert completed_link.posted_at is None
    assert "503" in completed_link.last_error
    platform.down_for = 0
    tasks.sweep_scores.apply()
    assert len(platform.scores) == 1


def test_the_task_declares_retries_with_backoff():
    task = tasks.post_score
    assert task.max_retries >= 5
    assert task.retry_backoff
    assert task.autoretry_for
