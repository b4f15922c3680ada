from celery import shared_task


@shared_task(name="home.ping", acks_late=False, soft_time_limit=5, time_limit=10)
def ping(token: str = "") -> str:
    """A no-op round trip through the broker and a worker: health checks and the CI smoke test."""
    return f"pong:{token}"
