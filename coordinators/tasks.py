from celery import shared_task

from coordinators import services
from infrastructure.tasks import PERIODIC_TASK_RETRY


@shared_task(
    name="coordinators.send_monthly_digests",
    soft_time_limit=600,
    time_limit=900,
    **PERIODIC_TASK_RETRY,
)
def send_monthly_digests() -> int:
    return services.send_monthly_digests()
