from celery import shared_task


@shared_task(name="home.ping", acks_late=False, soft_time_limit=5, time_limit=10)
def ping(token: str = "") -> str:
    """A no-op round trip through the broker and a worker: health checks and the CI smoke test."""
    return f"pong:{token}"


class PartialFailure(Exception):
    """A periodic run did every item it could and some failed (each recorded where an
    administrator sees it): raised at the end so that the task retries, with backoff."""


# One failure pattern for every periodic task: what succeeded is recorded item by item, what failed
# is left in an error state and retried with backoff, here and again on the next scheduled run.
PERIODIC_TASK_RETRY = {
    "autoretry_for": (PartialFailure,),
    "retry_backoff": 60,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 5,
}
