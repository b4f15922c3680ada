"""Celery tasks: thin. Grade passback retries with backoff while the platform is unreachable."""

import requests
from celery import shared_task
from pylti1p3.exception import LtiException, LtiServiceException

from lti import services

PLATFORM_ERRORS = (requests.RequestException, LtiServiceException, LtiException, ConnectionError)


@shared_task(
    name="lti.post_score",
    ignore_result=True,
    autoretry_for=PLATFORM_ERRORS,
    retry_backoff=5,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
    soft_time_limit=60,
    time_limit=90,
)
def post_score(link_id: int) -> bool:
    return services.post_score(link_id=link_id)


@shared_task(name="lti.sweep_scores", soft_time_limit=240, time_limit=300)
def sweep_scores() -> int:
    return sum(1 for link_id in services.pending_grade_links() if post_score.delay(link_id))
